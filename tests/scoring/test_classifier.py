from __future__ import annotations

from pathlib import Path

import pytest

from threadline.models import Site, Story
from threadline.scoring.base import ScoringContext, Verdict
from threadline.scoring.classifier import (
    DEFAULT_MODEL,
    ToxicityScorer,
    load_model,
    model_for_site,
    prepare_text,
    score_texts,
)

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
