"""Profanity and slurs from the built-in lists in ``threadline.scoring.wordlists``."""

from __future__ import annotations

import html

from threadline.scoring.base import Score, ScoringContext, Verdict
from threadline.scoring.normalize import find_terms
from threadline.scoring.wordlists import DEFAULT_PROFANITY_WORDS, DEFAULT_SLURS


def _terms(text: str) -> tuple[str, ...]:
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


class ProfanityScorer:
    """HOLD a comment with strong profanity ("fucking", "cunt") or a slur against a group
    (``DEFAULT_PROFANITY_WORDS``, ``DEFAULT_SLURS``), matched like the site word lists.

    It holds rather than rejects so a moderator decides; a site that wants profanity
    rejected outright lists the words in its banned words. Reasons name each term:
    "Profanity: 'fucking'", "Slur: 'kike'". No database queries.
    """

    name = "profanity"
    profanity: tuple[str, ...] = _terms(DEFAULT_PROFANITY_WORDS)
    slurs: tuple[str, ...] = _terms(DEFAULT_SLURS)

    def score(self, ctx: ScoringContext) -> Score:
        text = html.unescape(ctx.text or ctx.body)
        slurs = find_terms(text, self.slurs)
        words = find_terms(text, self.profanity)
        if not slurs and not words:
            return Score(scorer=self.name, value=0.0)
        reasons = [f"Slur: '{t}'" for t in slurs] + [f"Profanity: '{t}'" for t in words]
        return Score(
            scorer=self.name,
            value=1.0,
            verdict=Verdict.HOLD,
            reasons=tuple(reasons),
            explanation=tuple(slurs + words),
        )
