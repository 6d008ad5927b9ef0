"""The optional MiniLM scorer; skipped when the ``ml`` extra is not installed."""

from __future__ import annotations

import pytest

from tests.scoring.conftest import make_ctx
from threadline.models import Site
from threadline.scoring import minilm

pytestmark = pytest.mark.skipif(
    not minilm.available() or not minilm.HEAD_PATH.exists(),
    reason="the ml extra is not installed (pip install 'threadline[ml]')",
)


def test_embeddings_are_unit_vectors_of_384_dimensions() -> None:
    vectors = minilm.load_model().embedder.embed(["Thanks for the report.", "ok"])
    assert vectors.shape == (2, 384)
    assert abs(float((vectors[0] ** 2).sum()) - 1.0) < 1e-4


def test_abuse_scores_above_civil_comments() -> None:
    model = minilm.load_model()
    civil = model.predict_many(
        [
            "Thanks for the report, very balanced.",
            "Does anyone know when the council votes on this?",
        ]
    )
    abusive = model.predict_many(["you are a fucking idiot", "shut up you stupid bitch"])
    assert max(civil) < min(abusive)


def test_scorer_reports_a_probability_and_the_model_version() -> None:
    score = minilm.MiniLMScorer().score(make_ctx(Site(), "you are a fucking idiot"))
    assert score.scorer == "minilm" and 0.0 <= score.value <= 1.0
    assert score.version.startswith("minilm-int8+head@")


def test_batch_and_single_predictions_agree() -> None:
    model = minilm.load_model()
    texts = ["short", "a somewhat longer sentence about the war in the east"]
    batch = model.predict_many(texts)
    assert batch == pytest.approx([model.predict(t) for t in texts], abs=1e-4)


@pytest.mark.django_db
def test_runs_as_a_background_job_over_a_published_comment(story) -> None:  # noqa: ANN001
    from django.conf import settings
    from django.test import override_settings

    from tests.factories import post_comment
    from threadline.scoring.background import rescore_comment

    comment = post_comment(story, "Thanks, a clear and balanced report.").comment
    conf = {**settings.THREADLINE, "BACKGROUND_SCORERS": ["threadline.scoring.minilm.MiniLMScorer"]}
    with override_settings(THREADLINE=conf):
        assert rescore_comment(comment.pk) == "kept"
