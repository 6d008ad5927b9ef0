"""Profanity and slurs from the built-in lists in ``threadline.scoring.wordlists``."""

from __future__ import annotations

import html
import re

from threadline.scoring.base import Score, ScoringContext, Verdict
from threadline.scoring.normalize import find_term_places
from threadline.scoring.threats import hit_context
from threadline.scoring.wordlists import DEFAULT_PROFANITY_WORDS, DEFAULT_SLURS

# Slurs that are also ordinary words or reclaimed names ("a chink in his armour", "spic and
# span", the Dutch dykes, faggots and peas, a fag break, "queer studies", the Spurs' "Yid
# Army"): alone they do not hold; the semantic model reads the sentence and decides.
HOMONYM_SLURS = frozenset(
    {"dyke", "dykes", "fag", "fags", "faggot", "faggots", "spic", "chink", "chinks", "yid",
     "yids", "queer", "queers", "coon", "coons", "spook", "spooks", "retard", "retarded"}
)  # fmt: skip


# A homonym slur aimed at someone ("you fag", "dirty coon", "those dykes") is a slur.
_AIMED = re.compile(
    r"\b(?:you|u|ya|dirty|filthy|stupid|fucking|fuckin|bloody|lousy|disgusting|typical|"
    r"those|these|damn|sick|little|fat|ugly)\s+([a-z]+)(?:\s+([a-z]+))?"
)


def _aimed(text: str) -> set[str]:
    """Words right after an aiming word (or one word further), lower case."""
    return {w for m in _AIMED.finditer(text.lower()) for w in m.groups() if w}


def _terms(text: str) -> tuple[str, ...]:
    return tuple(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


class ProfanityScorer:
    """HOLD a comment with a slur against a group (``DEFAULT_SLURS``), and, where
    ``site.hold_profanity`` is on, one with strong profanity ("fucking", "cunt",
    ``DEFAULT_PROFANITY_WORDS``); matched like the site word lists.

    Most strong profanity is aimed at nobody ("this fucking weather"), and a slur in
    quotation marks or after "called her" or "the slur" is mostly reported, not meant, and a
    slur that is also an ordinary word (``HOMONYM_SLURS``) is often not a slur at all: these
    PASS with value 0.5 and their reason kept, and the semantic model (last in the chain)
    judges them; it still holds profanity aimed at someone. It holds rather than rejects so a
    moderator decides; a site that wants profanity rejected outright lists the words in its
    banned words. Reasons name each term: "Profanity: 'fucking'", "Slur: 'kike'". No
    database queries.
    """

    name = "profanity"
    profanity: tuple[str, ...] = _terms(DEFAULT_PROFANITY_WORDS)
    slurs: tuple[str, ...] = _terms(DEFAULT_SLURS)

    def score(self, ctx: ScoringContext) -> Score:
        text = html.unescape(ctx.text or ctx.body)
        slurs = find_term_places(text, self.slurs)
        # Profanity only quoted or reported ("the abuse she got: 'bitch', 'whore'") is the
        # model's to judge, like a quoted slur.
        said: dict[str, bool] = {}
        for term, place in find_term_places(text, self.profanity):
            meant = place is None or hit_context(text, place, negation=False) is None
            said[term] = said.get(term, False) or meant
        words = [t for t, meant in said.items() if meant]
        quoted = [t for t, meant in said.items() if not meant]
        if not slurs and not said:
            return Score(scorer=self.name, value=0.0)
        # A slur holds when one of its occurrences is plainly used, not quoted or reported.
        plain: dict[str, bool] = {}
        for term, place in slurs:
            meant = place is None or hit_context(text, place, negation=False) is None
            plain[term] = plain.get(term, False) or meant
        homonyms = {t for t in plain if t in HOMONYM_SLURS}
        if homonyms:
            aimed = _aimed(text)
            homonyms = {t for t in homonyms if not ({t, t + "s", t + "es"} & aimed)}
        reasons = [f"Slur: '{t}'" for t, p in plain.items() if p and t not in homonyms]
        reasons += [f"Slur or homonym (left to the model): '{t}'" for t in homonyms]
        reasons += [
            f"Slur (quoted or reported, left to the model): '{t}'"
            for t, p in plain.items()
            if not p and t not in homonyms
        ]
        plain = {t: p for t, p in plain.items() if t not in homonyms}
        reasons += [f"Profanity: '{t}'" for t in words]
        reasons += [f"Profanity (quoted or reported, left to the model): '{t}'" for t in quoted]
        held = any(plain.values()) or bool(words and ctx.site.hold_profanity)
        return Score(
            scorer=self.name,
            value=1.0 if held else 0.5,
            verdict=Verdict.HOLD if held else Verdict.PASS,
            reasons=tuple(reasons),
            explanation=tuple([*plain, *words, *quoted]),
        )
