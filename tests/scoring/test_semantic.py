"""The semantic toxicity model: what it reads, how it scores, explains and learns from a desk."""

from __future__ import annotations

import re
import threading
import time

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


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("The kitchen was spic and span by noon.", "The kitchen was spick and span by noon."),
        ("It found a chink in the armour.", "It found a crack in the armour."),
        ("Chinks of light through the clouds.", "cracks of light through the clouds."),
        # aimed at people, the slur is left as written
        ("The chinks in our street are loud.", "The chinks in our street are loud."),
        ("Go home, you dirty spic.", "Go home, you dirty spic."),
    ],
)
def test_a_slur_homonym_in_a_fixed_idiom_is_read_as_the_idiom(text: str, read: str) -> None:
    assert semantic.prepare(text) == read


def test_a_long_comment_is_read_in_sentence_chunks(model: semantic.SemanticModel) -> None:
    short = model.encoder.windows("Thanks for the report.")
    assert len(short) == 1
    text = "The council met on Tuesday to discuss the bridge repairs. " * 80 + "You vile rat."
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
    scores = model.score([insult, long])
    assert scores.probs[1].max() > 0.5
    assert np.allclose(np.linalg.norm(scores.pooled, axis=1), 1.0, atol=1e-3)


def test_the_explanation_names_whole_words_of_the_comment(model: semantic.SemanticModel) -> None:
    text = "The weather in Odesa was fine today, but you are a disgusting worthless maggot."
    words = model.explain(text)
    assert words
    plain = semantic.prepare(text)
    for phrase in words:
        # Whole words of the comment, never fragments of one.
        assert re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", plain), phrase
    assert any(w in " ".join(words) for w in ("maggot", "disgusting", "worthless"))


def test_a_long_comment_is_explained_by_its_abusive_sentence(
    model: semantic.SemanticModel,
) -> None:
    civil = (
        "The council met on Tuesday to discuss the bridge repairs and the new bus timetable. "
        "Residents asked about the cost, and the mayor promised a report by spring. "
    )
    abusive = "Whoever wrote this article is a disgusting worthless maggot. "
    words = model.explain(civil * 3 + abusive + civil * 3)
    assert words
    assert all(w.lower() in abusive.lower() for w in words), words


def test_a_comment_no_single_cut_saves_is_still_explained(
    model: semantic.SemanticModel,
) -> None:
    text = "You stupid worthless idiot, you disgusting moron, you pathetic brainless clown."
    assert model.predict(text)["score"] >= Site().hold_threshold
    assert model.explain(text)


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
    scores = model.score(REJECTED + APPROVED)
    labels = [1] * len(REJECTED) + [0] * len(APPROVED)
    memory = semantic.SiteMemory.fit(scores.pooled, scores.probs.max(axis=1), labels)
    memory.decisions = 100_000  # as if the desk had decided a great many such comments
    near = "All the reporters at this paper are liars paid by the regime!"
    far = "Lovely photos of the harbour at sunrise."
    before = model.predict_many([near, far])
    after = model.predict_many([near, far], memory=memory)
    # The model's probability moves a long way; the policy's scale, calibrated on civil
    # comments, is compressed near the top, so the score moves less.
    assert after[0]["raw"] > before[0]["raw"] + 0.1
    assert after[0]["score"] > before[0]["score"]
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


# Clearly civil to the early layers and the word gate too. (A civil comment of the war's
# own words, "My grandmother fled Kharkiv in 1943; reading this brought it all back.", is
# read to the end since the retrain of 8 December, and published all the same.)
CIVIL = [
    "Thanks for the clear report, the map of the front line helps a lot.",
    "Thank you, this was a very helpful explainer on the sanctions.",
    "The council will vote on the new bus timetable next Thursday.",
]
ABUSIVE = [
    "Those people are vermin and should be wiped off the face of the earth.",
    "I hope you and your whole family die in a fire.",
]


def test_clearly_civil_comments_stop_after_the_early_layers(
    model: semantic.SemanticModel,
) -> None:
    early = model.predict_many(CIVIL + ABUSIVE, early_exit=True)
    whole = model.predict_many(CIVIL + ABUSIVE)
    assert [p["exited"] for p in early[:3]] == [1.0, 1.0, 1.0]
    assert all(p["score"] < Site().warn_threshold for p in early[:3])
    # Abuse is never let off by the early layers: it is read to the end and held. (Compared
    # with the abusive texts read alone: the word gate ends civil ones before the batch,
    # and int8 activations are quantised per batch.)
    for e, w in zip(early[3:], model.predict_many(ABUSIVE), strict=True):
        assert e["exited"] == 0.0 and e["score"] >= Site().hold_threshold
        assert abs(e["score"] - w["score"]) < 0.05
    assert all(p["exited"] == 0.0 for p in whole)


def test_a_site_with_desk_memory_reads_every_comment_to_the_end(
    model: semantic.SemanticModel,
) -> None:
    scores = model.score(REJECTED + APPROVED)
    memory = semantic.SiteMemory.fit(scores.pooled, scores.probs.max(axis=1), [1] * 4 + [0] * 4)
    assert all(
        p["exited"] == 0.0 for p in model.predict_many(CIVIL, memory=memory, early_exit=True)
    )


def test_a_site_that_warns_lower_than_the_default_gets_no_early_exit(db) -> None:  # noqa: ANN001
    scorer = semantic.SemanticScorer()
    low = Site(name="strict", warn_threshold=0.2, hold_threshold=0.3)
    value = scorer.score(make_ctx(low, CIVIL[0])).value
    assert value == pytest.approx(semantic.load_model().predict(CIVIL[0])["score"], abs=1e-6)


def test_overlapping_requests_share_one_inference_and_get_their_own_answers(
    model: semantic.SemanticModel,
) -> None:
    texts = CIVIL + ABUSIVE
    alone = [model.predict(t, early_exit=True) for t in texts]
    runs = 0
    encoder_score = model.encoder.score

    def counting(*args, **kwargs):  # noqa: ANN002,ANN003,ANN202
        nonlocal runs
        runs += 1
        if runs == 1:  # the first inference lasts until every other request has queued
            deadline = time.monotonic() + 10
            while len(model.batcher.pending) < len(texts) - 1 and time.monotonic() < deadline:
                time.sleep(0.005)
        return encoder_score(*args, **kwargs)

    model.encoder.score = counting  # type: ignore[method-assign]
    results: dict[int, float] = {}
    start = threading.Barrier(len(texts))

    def post(i: int) -> None:
        start.wait()
        results[i] = model.predict(texts[i], early_exit=True)

    try:
        threads = [threading.Thread(target=post, args=(i,)) for i in range(len(texts))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        del model.encoder.score
    assert runs == 2  # the first request's run, then one run for all the others
    # Batched with others, each gets its own score: the same raw score up to the int8
    # activations' per-batch ranges (the calibrated scale is steep near the top), and the
    # same decision.
    hold = Site().hold_threshold
    for i, got in results.items():
        assert got["raw"] == pytest.approx(alone[i]["raw"], abs=0.01)
        assert (got["score"] >= hold) == (alone[i]["score"] >= hold)


def test_an_inference_error_reaches_every_waiting_request(model: semantic.SemanticModel) -> None:
    batcher = semantic.Batcher(model.encoder)

    class Broken:
        def score(self, *args, **kwargs):  # noqa: ANN002,ANN003,ANN202
            raise RuntimeError("model file damaged")

    batcher.encoder = Broken()  # type: ignore[assignment]
    with pytest.raises(RuntimeError, match="damaged"):
        batcher(["one"], None)
    assert not batcher.busy and not batcher.pending


def test_a_long_comment_reads_only_its_suspect_sentences_to_the_end(
    model: semantic.SemanticModel,
) -> None:
    civil = "The council met on Tuesday to discuss the bridge repairs. "
    long = civil * 40 + "You are a worthless, brainless idiot."
    late_rows: list[int] = []
    run = model.encoder.late.run

    class Counting:
        def run(self, outputs, feeds):  # noqa: ANN001,ANN201
            late_rows.append(len(feeds["hidden"]))
            return run(outputs, feeds)

    windows = len(model.encoder.windows(semantic.prepare(long)))
    late = model.encoder.late
    model.encoder.late = Counting()  # type: ignore[assignment]
    try:
        early = model.predict(long, early_exit=True)
        stopped = model.predict(civil * 30, early_exit=True)
    finally:
        model.encoder.late = late
    assert early["exited"] == 0.0 and early["score"] >= Site().warn_threshold
    assert 1 <= sum(late_rows) < windows  # the abusive chunk, not the civil ones
    assert stopped["exited"] == 1.0 and stopped["score"] < Site().warn_threshold
    whole = model.predict(long)
    assert abs(whole["score"] - early["score"]) < 0.05


def test_the_word_gate_ends_clearly_civil_comments_before_the_transformer(
    model: semantic.SemanticModel,
) -> None:
    assert model.encoder.gate is not None, "the shipped gate belongs to the shipped weights"
    early_rows: list[int] = []
    run = model.encoder.early.run

    class Counting:
        def run(self, outputs, feeds):  # noqa: ANN001,ANN201
            early_rows.append(len(feeds["input_ids"]))
            return run(outputs, feeds)

    early = model.encoder.early
    model.encoder.early = Counting()  # type: ignore[assignment]
    try:
        gated = model.predict_many(CIVIL[:2], early_exit=True)
    finally:
        model.encoder.early = early
    assert early_rows == []  # no transformer run at all
    assert all(p["gated"] == 1.0 and p["exited"] == 1.0 for p in gated)
    assert all(p["score"] < Site().warn_threshold for p in gated)
    whole = model.predict_many(CIVIL[:2])  # read to the end: civil all the same
    assert all(p["gated"] == 0.0 and p["score"] < Site().warn_threshold for p in whole)


def test_the_word_gate_lets_abuse_through_to_the_transformer(model: semantic.SemanticModel) -> None:
    long = "The council met on Tuesday to discuss the bridge repairs. " * 40
    texts = [
        *ABUSIVE,
        "Jews control the banks and the media, everyone knows it.",
        long + ABUSIVE[1],
    ]
    for p in model.predict_many(texts, early_exit=True):
        assert p["gated"] == 0.0 and p["score"] >= Site().hold_threshold
    # In a long comment the gate ends the civil chunks, and the abusive one is read.
    windows = model.encoder.windows(semantic.prepare(long + ABUSIVE[1]))
    gate = model.encoder.gate
    assert gate is not None
    below = gate.scores(windows) < gate.gate_below
    assert below[:-1].any() and not below[-1]


def test_the_gate_is_not_used_for_other_weights_or_when_switched_off(
    tmp_path,
    settings,  # noqa: ANN001
) -> None:
    gate = semantic.Gate.load(semantic.GATE_PATH)
    gate.save(tmp_path / "gate.npz")
    again = semantic.Gate.load(tmp_path / "gate.npz")
    windows = [[101, 2023, 2003, 1037, 3231, 102], [101, 102]]
    assert np.allclose(again.scores(windows)[:1], gate.scores(windows)[:1])
    assert again.meta == gate.meta and again.gate_below == pytest.approx(gate.gate_below)
    digest = gate.meta["calibration_sha256"]
    assert semantic.load_gate(digest, tmp_path / "gate.npz") is not None
    assert semantic.load_gate("0" * 64, tmp_path / "gate.npz") is None  # retrained weights
    assert semantic.load_gate(digest, tmp_path / "missing.npz") is None
    settings.THREADLINE = {**settings.THREADLINE, "MODEL_GATE": False}
    assert semantic.load_gate(digest, tmp_path / "gate.npz") is None


def test_the_shipped_gate_belongs_to_the_shipped_calibration() -> None:
    import hashlib

    gate = semantic.Gate.load(semantic.GATE_PATH)
    assert (
        gate.meta["calibration_sha256"]
        == hashlib.sha256(semantic.CALIBRATION_PATH.read_bytes()).hexdigest()
    )
    figures = gate.meta["figures"]
    # At most one in 400 of the test comments the whole model would nudge or hold is ended
    # by the gate (4 of 1,910 for the weights of 8 December; docs/moderation.md).
    assert figures["test_flagged_lost_to_gate"] <= figures["test_flagged_comments"] / 400
