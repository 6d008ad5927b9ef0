"""The whole pipeline against the functional suite (``threadline/scoring/data``), as a
first-time guest's comment on a default site: the share of cases decided right in each
capability group. The suite is hand-written for evaluation and never trained on.

The floors are the figures measured when the shipped model was trained (docs/moderation.md)
less a small margin, so a retrained model or a changed rule that makes a group worse fails
here; the targets (80 % in every group) are in the docs beside them.
"""

from __future__ import annotations

import pytest

from threadline.actions.evaluation import SUITE_PATH, SuiteReport, evaluate_suite

pytestmark = pytest.mark.django_db

FLOORS = {
    "civil_war_news": 0.92,
    "coded_hate": 0.78,
    "counter_speech": 0.9,
    "dehumanisation": 0.84,
    "derogation_explicit": 0.9,
    "derogation_implicit": 0.6,
    "identity_neutral": 0.95,
    "insult_person": 0.92,
    "negation": 0.7,
    "profanity_untargeted": 0.64,
    "question_opinion": 0.76,  # 0.80 since the retrain on long-form comments (0.88 before)
    "slur": 0.8,
    "slur_reclaimed_homonym": 0.9,
    "spelling": 0.8,
    "threat_explicit": 0.82,
    "threat_implicit": 0.78,
}


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker) -> SuiteReport:  # noqa: ANN001
    with django_db_blocker.unblock():
        return evaluate_suite()


def test_every_group_of_the_suite_is_measured(report: SuiteReport) -> None:
    assert set(report.groups) == set(FLOORS)
    assert sum(t for _, t in report.groups.values()) >= 400


@pytest.mark.parametrize("group", sorted(FLOORS))
def test_each_group_stays_above_its_floor(report: SuiteReport, group: str) -> None:
    correct, total = report.groups[group]
    failures = [text for g, _, text, _ in report.failures if g == group][:5]
    assert correct / total >= FLOORS[group], (group, correct, total, failures)


def test_overall_accuracy(report: SuiteReport) -> None:
    assert report.accuracy >= 0.85


HELDOUT = SUITE_PATH.with_name("functional_suite_heldout.csv")


def test_the_held_out_suite_stays_above_its_floor() -> None:
    """83 cases written after the rules were last tuned and never tuned on since (see
    docs/moderation.md): the honest figure for wordings no rule was written for."""
    report = evaluate_suite(path=HELDOUT)
    assert report.accuracy >= 0.72, report.groups
