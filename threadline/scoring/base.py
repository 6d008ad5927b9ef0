"""The Scorer protocol and what scorers return. Scorers decide nothing: the policy in
``threadline.scoring.policy`` turns their scores into publish / hold / reject."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from threadline.models import Comment, Commenter, Site, Story


class Verdict(enum.IntEnum):
    """What a scorer suggests; the policy takes the strongest suggestion."""

    PASS = 0
    HOLD = 1
    REJECT = 2


@dataclass(frozen=True)
class Score:
    scorer: str
    value: float  # 0 (fine) .. 1 (certainly bad)
    verdict: Verdict = Verdict.PASS
    reasons: tuple[str, ...] = ()  # human-readable markers: "Suspect phrase: 'zog'"
    explanation: tuple[str, ...] = ()  # words or phrases that drove the score
    version: str = ""
    skip_model: bool = False  # trusted commenters skip the toxicity model


@dataclass
class ScoringContext:
    """Everything a scorer may look at. ``text`` is the comment without markup."""

    site: Site
    story: Story
    body: str
    text: str
    commenter: Commenter | None = None
    parent: Comment | None = None
    comment_id: int | None = None  # set for edits and rescoring
    ip: str | None = None
    is_edit: bool = False
    honeypot: str = ""
    now: datetime | None = None
    earlier: list[Score] = field(default_factory=list)


class Scorer(Protocol):
    name: str

    def score(self, ctx: ScoringContext) -> Score: ...


@lru_cache(maxsize=8)
def load_scorers(paths: tuple[str, ...]) -> tuple[Scorer, ...]:
    """Instantiate the scorers named by dotted paths, once per process."""
    return tuple(import_string(path)() for path in paths)
