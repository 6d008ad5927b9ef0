"""Calibration on civil long-form comments the model never trained on: news comments (the
Globe and Mail comments of ``toxicity-train/noncommercial``, test file — the calibration
used the other file — every annotator called them healthy) and the civil Wikipedia talk
comments of the Wikipedia test set. The model nudges at most 3 % of them and holds at
most 2 % (the hold point is the civil comments' 2 % since 8 December: at 1 % most of the
abuse in war-news threads published, docs/moderation.md); the whole pipeline, as first-time
guests' comments, holds at most 3 % of the news comments."""

from __future__ import annotations

import csv
import hashlib

import pytest

from tests.conftest import shared_path
from threadline.actions.evaluation import rates, run_pipeline
from threadline.models import Site
from threadline.scoring.corpora import ucc_labels
from threadline.scoring.semantic import load_model

pytestmark = pytest.mark.django_db
SAMPLE = 1200  # comments a set: enough for a 1 % rate, a few seconds each


def _sample(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    rows.sort(key=lambda r: hashlib.sha256(r[0].encode()).digest())
    return rows[:SAMPLE]


def _news() -> list[tuple[str, int]]:
    path = shared_path(
        "fixtures", "toxicity-train", "noncommercial", "ucc-test.holdout-filtered.csv"
    )
    with path.open(newline="", encoding="utf-8") as fp:
        labelled = [(r["comment"], ucc_labels(r)) for r in csv.DictReader(fp)]
    civil = [(t, 0) for t, labels in labelled if labels is not None and labels["toxic"] == 0]
    abusive = [(t, 1) for t, labels in labelled if labels is not None and labels["toxic"] == 1]
    return _sample(civil) + abusive


def _wikipedia() -> list[tuple[str, int]]:
    path = shared_path("fixtures", "toxicity", "wikipedia-toxicity_nonfuzzed_testset.csv")
    with path.open(newline="", encoding="utf-8") as fp:
        rows = [(r["comment"], int(r["toxic"] == "True")) for r in csv.DictReader(fp)]
    return _sample([r for r in rows if not r[1]]) + [r for r in rows if r[1]]


@pytest.mark.parametrize("load", [_news, _wikipedia], ids=["news", "wikipedia"])
def test_the_model_rarely_nudges_or_holds_civil_long_form_comments(load) -> None:  # noqa: ANN001
    civil = [t for t, y in load() if not y]
    assert len(civil) >= 1000
    scores = [p["score"] for p in load_model().predict_many(civil)]
    site = Site()
    nudged = sum(site.warn_threshold <= s < site.hold_threshold for s in scores) / len(civil)
    held = sum(s >= site.hold_threshold for s in scores) / len(civil)
    assert nudged <= 0.03 and held <= 0.02, (nudged, held)


def test_the_pipeline_publishes_civil_news_comments(db) -> None:  # noqa: ANN001
    """The whole pipeline adds the site's rules (links from first-time commenters, strong
    profanity, shouting) to the model's holds."""
    rows = _news()
    figures = rates(run_pipeline([t for t, _ in rows]), [y for _, y in rows])
    assert figures["civil_nudged"] <= 0.03, figures
    assert figures["civil_held"] <= 0.03, figures
