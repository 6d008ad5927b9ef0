"""Sanity checks on the hand-written functional test suite for the moderation model.

The CSV is evaluation-only data (never used for training); these tests only check its shape.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

SUITE = (
    Path(__file__).resolve().parents[2] / "threadline" / "scoring" / "data" / "functional_suite.csv"
)

GROUPS = (
    "derogation_explicit",
    "derogation_implicit",
    "dehumanisation",
    "threat_explicit",
    "threat_implicit",
    "slur",
    "slur_reclaimed_homonym",
    "profanity_untargeted",
    "insult_person",
    "negation",
    "question_opinion",
    "counter_speech",
    "spelling",
    "coded_hate",
    "civil_war_news",
    "identity_neutral",
)

# Groups that mix abusive cases with civil controls.
BOTH_LABELS = (
    "derogation_explicit",
    "derogation_implicit",
    "dehumanisation",
    "threat_explicit",
    "threat_implicit",
    "profanity_untargeted",
    "insult_person",
    "negation",
    "question_opinion",
    "spelling",
    "coded_hate",
)

# Groups whose cases are all of one label.
SINGLE_LABEL = {
    "slur": "hold",
    "slur_reclaimed_homonym": "publish",
    "counter_speech": "publish",
    "civil_war_news": "publish",
    "identity_neutral": "publish",
}

LABELS = {"hold", "publish"}


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    with SUITE.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["group", "label", "text"]
        return list(reader)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def test_enough_rows(rows: list[dict[str, str]]) -> None:
    assert len(rows) >= 400


def test_groups_known_and_each_has_twenty(rows: list[dict[str, str]]) -> None:
    counts = Counter(r["group"] for r in rows)
    assert set(counts) == set(GROUPS)
    small = {g: n for g, n in counts.items() if n < 20}
    assert not small, small


def test_big_groups_meet_their_minimum(rows: list[dict[str, str]]) -> None:
    counts = Counter(r["group"] for r in rows)
    assert counts["civil_war_news"] >= 60
    assert counts["identity_neutral"] >= 30


def test_labels_are_hold_or_publish(rows: list[dict[str, str]]) -> None:
    assert {r["label"] for r in rows} <= LABELS


def test_texts_non_empty(rows: list[dict[str, str]]) -> None:
    assert all(r["text"].strip() for r in rows)


def test_no_duplicate_texts(rows: list[dict[str, str]]) -> None:
    counts = Counter(_norm(r["text"]) for r in rows)
    dups = [t for t, n in counts.items() if n > 1]
    assert not dups, dups


def test_mixed_groups_have_both_labels(rows: list[dict[str, str]]) -> None:
    labels: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        labels[r["group"]].add(r["label"])
    for group in BOTH_LABELS:
        assert labels[group] == LABELS, group


def test_single_label_groups(rows: list[dict[str, str]]) -> None:
    labels: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        labels[r["group"]].add(r["label"])
    for group, label in SINGLE_LABEL.items():
        assert labels[group] == {label}, group


def test_every_group_is_classified() -> None:
    assert set(BOTH_LABELS) | set(SINGLE_LABEL) == set(GROUPS)
    assert not set(BOTH_LABELS) & set(SINGLE_LABEL)
