"""The text-only scorers run over many texts at once, without a site or a database: for
evaluation (``scripts/train_toxicity.py``) and backtests. Only scorers that read the text
alone take part: suspect words (a given list), profanity and slurs, threats, insults,
group hate."""

from __future__ import annotations

from collections.abc import Sequence

from threadline.scoring.base import Scorer, ScoringContext, Verdict
from threadline.scoring.profanity import ProfanityScorer
from threadline.scoring.rules import SuspectWordsScorer
from threadline.scoring.threats import GroupHateScorer, InsultScorer, ThreatScorer
from threadline.scoring.wordlists import DEFAULT_SUSPECT_WORDS


def text_scorers() -> tuple[Scorer, ...]:
    return (
        SuspectWordsScorer(),
        ProfanityScorer(),
        ThreatScorer(),
        InsultScorer(),
        GroupHateScorer(),
    )


def rule_holds(texts: Sequence[str], *, suspect_words: str = DEFAULT_SUSPECT_WORDS) -> list[bool]:
    """For each text, whether any text-only rule would hold (or reject) it."""
    from threadline.models import Site, Story

    site = Site(suspect_words=suspect_words)
    story = Story(site=site)
    scorers = text_scorers()
    out = []
    for text in texts:
        ctx = ScoringContext(site=site, story=story, body=text, text=text)
        out.append(any(s.score(ctx).verdict is not Verdict.PASS for s in scorers))
    return out
