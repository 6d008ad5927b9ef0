"""Measuring the whole moderation pipeline as a first-time guest meets it: the functional
suite per capability, labelled sets, the civil nudge and hold rates. Used by ``threadline
moderation evaluate`` and the tests; nothing here runs while comments are posted.

Each text goes through the configured scorers and the policy exactly as a post does
(``comment_score``), with an unsaved story and no commenter, so nothing is written. The
scorers that look at history (duplicates, posting speed, trust) have none to look at.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from threadline.actions.moderation import comment_score
from threadline.actions.sites import new_site
from threadline.domain.text import plain_text
from threadline.models import Site, Story
from threadline.scoring.base import ScoringContext, load_scorers
from threadline.scoring.corpora import load_suite

SUITE_PATH = Path(__file__).resolve().parent.parent / "scoring" / "data" / "functional_suite.csv"
# Scorers that read the site's history: a lone text has none, so they are left out.
HISTORY_SCORERS = frozenset({"duplicate", "velocity", "trust"})


@dataclass
class Outcome:
    action: str  # publish, hold, reject
    warn: bool
    score: float | None  # the highest model score, if a model ran
    reasons: list[str] = field(default_factory=list)

    @property
    def held(self) -> bool:
        return self.action != "publish"


def run_pipeline(texts: Sequence[str], site: Site | None = None) -> list[Outcome]:
    """The decision on each text as a first-time guest's comment on ``site``."""
    site = site or new_site(name="evaluation")
    story = Story(site=site, url="https://news.example/evaluation", title="Evaluation")
    scorers = tuple(
        s
        for s in load_scorers(tuple(settings.THREADLINE["SCORERS"]))
        if s.name not in HISTORY_SCORERS
    )
    now = timezone.now()
    out = []
    for body in texts:
        ctx = ScoringContext(site=site, story=story, body=body, text=plain_text(body), now=now)
        decision = comment_score(ctx=ctx, scorers=scorers)
        out.append(
            Outcome(
                action=decision.action.value,
                warn=decision.warn,
                score=decision.toxicity,
                reasons=list(decision.reasons),
            )
        )
    return out


@dataclass
class SuiteReport:
    groups: dict[str, tuple[int, int]]  # group -> (correct, total)
    failures: list[tuple[str, str, str, list[str]]]  # group, expected, text, reasons

    @property
    def accuracy(self) -> float:
        correct = sum(c for c, _ in self.groups.values())
        return correct / max(sum(t for _, t in self.groups.values()), 1)

    def by_group(self) -> dict[str, float]:
        return {g: c / t for g, (c, t) in sorted(self.groups.items())}


def evaluate_suite(
    path: Path = SUITE_PATH,
    *,
    site: Site | None = None,
    pipeline: Callable[[Sequence[str], Site | None], list[Outcome]] = run_pipeline,
) -> SuiteReport:
    """Accuracy per group of the functional suite: a ``hold`` case is right when it is held
    or rejected, a ``publish`` case when it is published."""
    cases = load_suite(path)
    outcomes = pipeline([t for _, t, _ in cases], site)
    groups: dict[str, tuple[int, int]] = {}
    failures = []
    for (group, text, label), outcome in zip(cases, outcomes, strict=True):
        right = outcome.held == bool(label)
        c, t = groups.get(group, (0, 0))
        groups[group] = (c + int(right), t + 1)
        if not right:
            failures.append((group, "hold" if label else "publish", text, outcome.reasons))
    return SuiteReport(groups=groups, failures=failures)


def rates(outcomes: Sequence[Outcome], labels: Sequence[int]) -> dict[str, float | int]:
    """Held and nudged shares of the civil (0) and abusive (1) texts."""
    civil = [o for o, y in zip(outcomes, labels, strict=True) if not y]
    abusive = [o for o, y in zip(outcomes, labels, strict=True) if y]

    def share(items: list[Outcome], test: Callable[[Outcome], bool]) -> float:
        return sum(1 for o in items if test(o)) / len(items) if items else 0.0

    return {
        "civil": len(civil),
        "abusive": len(abusive),
        "civil_held": share(civil, lambda o: o.held),
        "civil_nudged": share(civil, lambda o: o.warn and not o.held),
        "abusive_held": share(abusive, lambda o: o.held),
    }
