"""The semantic toxicity model: what it reads, how it scores, explains and learns from a desk."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.scoring.conftest import make_ctx
from threadline.models import Site
from threadline.scoring import semantic


@pytest.fixture(scope="module")
def model() -> semantic.SemanticModel:
    return semantic.load_model()


def test_links_and_mentions_become_plain_words() -> None:
    text = "@maria see https://www.reuters.com/world/x?y=1 &amp; www.un.org"
    assert semantic.prepare(text) == "@user see link & link"


def test_a_long_comment_is_read_in_sentence_chunks(model: semantic.SemanticModel) -> None:
    short = model.encoder.windows("Thanks for the report.")
    assert len(short) == 1
    text = "The council met on Tuesday to discuss the bridge repairs. " * 40 + "You vile rat."
    windows = model.encoder.windows(text)
    assert len(windows) == semantic.MAX_CHUNKS
    assert all(len(w) <= semantic.CHUNK for w in windows)
    decode = model.encoder.tokenizer.decode
    # Chunks end on sentence ends, and the last one holds the last sentence.
    assert all(decode(w).rstrip().endswith(".") for w in windows)
    assert decode(windows[-1]).endswith("you vile rat.")


@pytest.mark.parametrize(
    "text",
    [
        "Thanks for the clear report, the map of the front line helps a lot.",
        "I disagree with the author: sanctions have not worked and will not work now.",
        "My grandmother fled Kharkiv in 1943; reading this brought it all back.",
        "As a gay man and a veteran I found this piece fair.",
    ],
)
def test_civil_comments_are_below_the_nudge(model: semantic.SemanticModel, text: str) -> None:
    assert model.predict(text)["score"] < Site().warn_threshold


@pytest.mark.parametrize(
    "text",
    [
        "Those people are vermin and should be wiped off the face of the earth.",
        "I hope you and your whole family die in a fire.",
        "You are a pathetic, worthless idiot and everyone here despises you.",
    ],
)
def test_abuse_is_held(model: semantic.SemanticModel, text: str) -> None:
    assert model.predict(text)["score"] >= Site().hold_threshold


def test_the_calibration_is_monotonic_and_keeps_the_site_scale() -> None:
    calibration = semantic.Calibration.load()
    assert np.all(np.diff(calibration.raw_points) > 0)
    assert np.all(np.diff(calibration.cal_points) > 0)
    values = calibration(np.linspace(0, 1, 101))
    assert np.all(np.diff(values) >= 0)
    assert values[0] == 0.0 and values[-1] == 1.0
    assert calibration.meta["figures"]["calibration_civil_rows"] > 1000


def test_the_calibration_survives_a_save_and_load(tmp_path) -> None:  # noqa: ANN001
    calibration = semantic.Calibration.load()
    calibration.save(tmp_path / "c.npz")
    again = semantic.Calibration.load(tmp_path / "c.npz")
    raw = np.linspace(0, 1, 11)
    assert np.allclose(calibration(raw), again(raw))
    assert again.meta == calibration.meta


def test_windows_of_a_text_are_scored_by_their_strongest(model: semantic.SemanticModel) -> None:
    insult = "You are a worthless, brainless idiot."
    long = "The council met on Tuesday to discuss the bridge repairs. " * 40 + insult
    probs, pooled = model.score([insult, long])
    assert probs[1].max() > 0.5
    assert np.allclose(np.linalg.norm(pooled, axis=1), 1.0, atol=1e-3)


def test_the_explanation_names_whole_words_of_the_comment(model: semantic.SemanticModel) -> None:
    text = "The weather in Odesa was fine today, but you are a disgusting worthless maggot."
    words = model.explain(text)
    assert words
    plain = semantic.prepare(text)
    for phrase in words:
        # Whole words of the comment, never fragments of one.
        assert re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", plain), phrase
    assert any(w in " ".join(words) for w in ("maggot", "disgusting", "worthless"))


def test_the_scorer_explains_only_what_it_objects_to(db) -> None:  # noqa: ANN001
    scorer = semantic.SemanticScorer()
    calm = scorer.score(make_ctx(Site(name="calm"), "Thanks, a helpful explainer."))
    assert calm.scorer == "semantic" and calm.explanation == () and calm.reasons == ()
    assert calm.version.startswith("semantic@")
    rude = scorer.score(make_ctx(Site(name="calm"), "Shut up, you brainless clown."))
    assert rude.value >= Site().warn_threshold
    assert rude.reasons and rude.explanation


REJECTED = [
    "Every reporter at this paper is a paid liar for the regime.",
    "The journalists here are all paid liars working for the regime.",
    "This newspaper's reporters are liars on the regime's payroll.",
    "Paid regime liars, every last reporter at this paper.",
]
APPROVED = [
    "The government spokesman gave a long statement on the grain deal.",
    "Thanks for the clear explanation of the new tax rules.",
    "The bridge was repaired last year and traffic is back to normal.",
    "I would like to read more about the farmers affected by the drought.",
]


def test_desk_decisions_move_similar_comments(model: semantic.SemanticModel) -> None:
    probs, vectors = model.score(REJECTED + APPROVED)
    labels = [1] * len(REJECTED) + [0] * len(APPROVED)
    memory = semantic.SiteMemory.fit(vectors, probs.max(axis=1), labels)
    memory.decisions = 100_000  # as if the desk had decided a great many such comments
    near = "All the reporters at this paper are liars paid by the regime!"
    far = "Lovely photos of the harbour at sunrise."
    before = model.predict_many([near, far])
    after = model.predict_many([near, far], memory=memory)
    assert after[0]["score"] > before[0]["score"] + 0.1
    assert after[1]["score"] < Site().warn_threshold
    # A few decisions move the shipped model only a little.
    memory.decisions = 8
    few = model.predict_many([near, far], memory=memory)[0]["score"]
    assert before[0]["score"] <= few < after[0]["score"]


def test_site_memory_is_found_by_site_name(settings, tmp_path) -> None:  # noqa: ANN001
    settings.DATA_DIR = tmp_path
    semantic.forget_site_memories()
    assert semantic.site_memory("paper") is None
    path = semantic.build_site_memory("paper", ["one text", "another text"], [1, 0])
    assert path == tmp_path / "models" / "semantic-paper.npz"
    memory = semantic.site_memory("paper")
    assert memory is not None and memory.decisions == 2 and memory.coef.shape == (385,)
    semantic.forget_site_memories()
