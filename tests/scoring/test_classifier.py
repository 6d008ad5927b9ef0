from __future__ import annotations

import gzip
import json
import math
import random
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from tests.conftest import shared_path
from threadline.models import Site, Story
from threadline.scoring.base import ScoringContext, Verdict
from threadline.scoring.classifier import (
    DEFAULT_MODEL,
    ToxicityScorer,
    _identity_pattern,
    _unique,
    forget_site_model_files,
    load_model,
    model_for_site,
    prepare_text,
    score_texts,
)
from threadline.scoring.train import load_wikipedia_test

CIVIL = [
    "Thanks for the report",
    "I disagree, the ceasefire won't hold",
    "Good reporting, here is the source: https://apnews.com/article/123",
    "When will the council publish the budget?",
    "I am a gay man and I enjoyed this article",
    "I am Jewish",
]
TOXIC = [
    "Mexicans are filthy animals",
    "shut up you stupid bitch",
    "you are a fucking idiot",
    "go back to your country you dirty immigrant",
]


def _ctx(text: str) -> ScoringContext:
    site = Site(name="no-such-site-model")
    return ScoringContext(site=site, story=Story(site=site), body=text, text=text)


def test_shipped_model_is_small_and_loads_once() -> None:
    assert DEFAULT_MODEL.stat().st_size < 5 * 1024 * 1024
    assert load_model() is load_model()


def test_civil_comments_score_below_the_hold_threshold() -> None:
    scores = score_texts(CIVIL)
    assert max(scores) < 0.7, dict(zip(CIVIL, scores, strict=True))


def test_every_toxic_example_outranks_every_civil_one() -> None:
    assert min(score_texts(TOXIC)) > max(score_texts(CIVIL))


def test_scorer_reports_probability_version_and_words() -> None:
    score = ToxicityScorer().score(_ctx("shut up you stupid bitch"))
    assert score.scorer == "toxicity" and score.verdict is Verdict.PASS
    assert 0.7 < score.value <= 1.0
    assert score.version.startswith("threadline-toxicity@")
    assert "bitch" in score.explanation or "stupid" in score.explanation
    assert ToxicityScorer.is_model is True


def test_identity_terms_share_one_placeholder() -> None:
    model = load_model()
    assert prepare_text("I am Jewish", identity_terms=model.identity_terms) == "i am identity"
    assert model.predict("I am a gay man") == pytest.approx(model.predict("I am a muslim man"))


def test_site_without_its_own_model_uses_the_shipped_one() -> None:
    assert model_for_site("no-such-site-model") is load_model()


def test_site_model_is_preferred_when_present(tmp_path: Path, settings) -> None:  # noqa: ANN001
    settings.DATA_DIR = tmp_path
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "toxicity-mysite.json.gz").write_bytes(DEFAULT_MODEL.read_bytes())
    assert model_for_site("mysite") is not load_model()


@pytest.mark.parametrize("text", ["a", "ok", "+1", "!!"])
def test_texts_under_three_letters_are_not_scored(text: str) -> None:
    from tests.scoring.conftest import make_ctx
    from threadline.scoring.classifier import ToxicityScorer

    score = ToxicityScorer().score(make_ctx(Site(), text))
    assert (score.value, score.explanation) == (0.0, ("too short to score",))


def _plain_model(path: Path) -> Callable[[str], tuple[float, list[tuple[str, float]]]]:
    """The model file evaluated the plain way, as the scorer did before it was made fast:
    scikit-learn's analyzers, then a loop over dicts. (probability, parts largest first)."""
    data = json.loads(gzip.decompress(path.read_bytes()))
    blocks = [
        (
            TfidfVectorizer(**b["params"]).build_analyzer(),
            {g: (i, c) for g, i, c in zip(b["grams"], b["idf"], b["coef"], strict=True)},
        )
        for b in data["blocks"]
    ]
    terms = frozenset(data["identity_terms"])

    def explain(text: str) -> tuple[float, list[tuple[str, float]]]:
        prepared = prepare_text(text, identity_terms=terms)
        parts: dict[str, float] = {}
        for analyze, weights in blocks:
            vec = {}
            for gram, n in Counter(analyze(prepared)).items():
                if gram in weights:
                    idf, coef = weights[gram]
                    vec[gram] = ((1.0 + math.log(n)) * idf, coef)
            norm = math.sqrt(sum(v * v for v, _ in vec.values())) or 1.0
            for gram, (v, coef) in vec.items():
                parts[gram] = parts.get(gram, 0.0) + v / norm * coef
        z = data["intercept"] + sum(parts.values())
        prob = 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))
        return prob, sorted(parts.items(), key=lambda kv: -kv[1])

    return explain


def test_model_gives_the_plain_computation_to_the_last_bit() -> None:
    root = shared_path("fixtures", "toxicity")
    texts, _ = load_wikipedia_test(root)
    texts += [t for t in TOXIC + CIVIL] + ["", "!!", "the the the " * 40, "日本語のテキスト"]
    plain, model = _plain_model(DEFAULT_MODEL), load_model()
    scorer = ToxicityScorer()
    for text in texts[::2]:
        prob, parts = plain(text)
        assert model.explain(text) == (prob, parts), text
        assert model.predict(text) == prob
        words = [g.strip() for g, v in parts if v > 0.02 and " " not in g.strip()[1:-1]][:5]
        assert model.top_words(text) == (prob, words)
        if len([c for c in text if c.isalpha()]) >= 3:
            assert scorer.score(_ctx(text)).explanation == tuple(dict.fromkeys(words))


def _plain_top_words(
    parts: list[tuple[str, float]], *, limit: int = 5, above: float = 0.02
) -> list[str]:
    words = [g.strip() for g, v in parts if v > above and " " not in g.strip()[1:-1]]
    return words[:limit]


def test_odd_texts_and_limits_give_the_plain_computation_to_the_last_bit() -> None:
    texts = json.loads(shared_path("fixtures", "unicode", "blns.json").read_text("utf-8"))
    texts += [
        "WWW.Example.com/x and HTTPS://a.b @Bob RT @al: you idiot &amp; moron",
        "gay gays xgay gayx 2gay gay_ GAY black-blacks african americans",
        "sooooo stupiiiid " * 300,  # more n-grams than the small-count table
        "stupid idiot " * 4000,  # more n-grams than 16 bits can number
    ]
    rng = random.Random(7)
    words = " ".join(TOXIC + CIVIL + texts[:200]).split()
    texts += [" ".join(rng.choices(words, k=rng.randint(1, 400))) for _ in range(100)]
    plain, model = _plain_model(DEFAULT_MODEL), load_model()
    limits = [{}, {"limit": 0}, {"limit": 1}, {"limit": -2}, {"limit": 50, "above": -1.0}]
    for text in texts:
        prob, parts = plain(text)
        assert model.explain(text) == (prob, parts), text
        for kw in limits:
            assert model.top_words(text, **kw) == (prob, _plain_top_words(parts, **kw)), text


def test_identity_pattern_matches_what_the_plain_alternation_does() -> None:
    terms = load_model().identity_terms | {"x", "gayish", "c++"}
    words = sorted(t for t in terms if re.fullmatch("[a-z]+", t))
    plain = re.compile(f"(?<![a-z])(?:{'|'.join(words)})(?![a-z])")
    pieces = [*terms, "s", "ish", "-", " ", "2", "_", "é"]
    rng = random.Random(3)
    for _ in range(3000):
        text = "".join(rng.choices(pieces, k=rng.randint(1, 8)))
        assert _identity_pattern(terms).sub("@", text) == plain.sub("@", text), text
    assert _identity_pattern(frozenset()).sub("@", "gay") == "gay"


def test_only_w_itself_matches_w_regardless_of_case() -> None:
    """``prepare_text`` skips the link pattern, which matches "www." in any case, when the
    lower-cased text has no "www.": right only as no other character matches "w" or "."."""
    w = re.compile("(?i)[w.]")
    chars = [chr(c) for c in range(sys.maxunicode + 1) if w.fullmatch(chr(c))]
    assert sorted(c.lower() for c in chars) == [".", "w", "w"]


@pytest.mark.parametrize("dtype", [np.uint16, np.int32])
def test_unique_is_numpys(dtype: type[np.integer]) -> None:
    rng = np.random.default_rng(5)
    for size in [1, 2, 3, 50, 700, 5000]:
        ids = rng.integers(0, size // 3 + 2, size).astype(dtype)
        expected = np.unique(ids, return_index=True, return_counts=True)
        assert all(np.array_equal(a, b) for a, b in zip(_unique(ids), expected, strict=True))


def test_a_model_trained_for_a_site_is_picked_up(tmp_path: Path, settings) -> None:  # noqa: ANN001
    settings.DATA_DIR = tmp_path
    assert model_for_site("late") is load_model()  # no file yet: the answer is kept a while
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "toxicity-late.json.gz").write_bytes(DEFAULT_MODEL.read_bytes())
    assert model_for_site("late") is load_model()
    forget_site_model_files()  # what training in this process does; others wait seconds
    assert model_for_site("late") is not load_model()
