"""The pattern scorers' shortcut: skipping a pattern whose required words are missing must
never change what find_patterns returns, nor the order it returns it in."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.scoring import threats
from threadline.scoring.normalize import token_places, tokens
from threadline.scoring.threats import GroupHateScorer, InsultScorer, ThreatScorer

SCORERS = (ThreatScorer, InsultScorer, GroupHateScorer)


def every_pattern(text: str, patterns: threats._Patterns) -> list[tuple[str, str]]:
    """find_patterns as it was before the shortcut: every reading through every pattern."""
    found: dict[tuple[str, str], None] = {}
    for reading in threats.readings(text):
        for label, pattern, _ in patterns.patterns:
            for match in pattern.finditer(reading):
                found[(label, match.group(0).strip())] = None
    return list(found)


# Words the patterns are made of, so random texts often come close to matching, and
# characters the readings keep or fold (stars, leetspeak, entities, runs, accents).
WORDS = sorted(
    {w for s in SCORERS for p in s.patterns.patterns for ws in p.required for w in ws}
    | {"you", "are", "a", "the", "all", "should", "be", "i", "will", "like", "them", "of"}
)
NOISE = ["*", "f*ck", "1", "&#39;", "--", "_", "é", "sh!t", "diiie", "k.i.l.l", "\u200b", "  "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(WORDS + NOISE) | st.text(max_size=4), max_size=14))
def test_shortcut_returns_what_every_pattern_returns(parts: list[str]) -> None:
    text = " ".join(parts)
    for scorer in SCORERS:
        assert threats.find_patterns(text, scorer.patterns) == every_pattern(text, scorer.patterns)


@pytest.mark.parametrize(
    "text",
    [
        "I hope you and your family die",
        "they all deserve to die, kill them all, you idiot",
        "Russians are animals and filthy arabs; globalists control the banks",
        "wipe them out. i know where you live. f*ck off, morons like you",
        "I will find you and kill you",
    ],
)
def test_abusive_texts_match_the_same_with_the_shortcut(text: str) -> None:
    for scorer in SCORERS:
        hits = threats.find_patterns(text, scorer.patterns)
        assert hits == every_pattern(text, scorer.patterns)
    assert any(threats.find_patterns(text, s.patterns) for s in SCORERS)


def test_required_words_come_from_the_regex() -> None:
    [pattern] = threats._compile(
        [("x", r"\b(?:hope|wish) (?:that )?\w+ (?:die|be killed)s?\b")]
    ).patterns
    assert pattern.required == (
        frozenset({"hope", "wish"}),
        frozenset({"die", "dies", "killed", "killeds"}),
    )
    [pattern] = threats._compile([("x", r"\b(?:kill yourself|kys)\b")]).patterns
    assert pattern.required == (frozenset({"yourself", "kys"}),)
    # An open stretch (\w+) requires nothing, nor does a case-blind pattern.
    assert threats._compile([("x", r"\bx\w+ die\b")]).patterns[0].required == (frozenset({"die"}),)
    assert threats._compile([("x", r"(?i)\bdie\b")]).patterns[0].required == ()
    assert threats._compile([("x", r"\bx\w+\b")]).patterns[0].required == ()


@pytest.mark.parametrize("reading", ["f*ck you", "a  b", " a", "a ", "", "snake_case"])
def test_readings_the_shortcut_cannot_vouch_for_run_every_pattern(reading: str) -> None:
    assert threats._plain_words(reading) is None


def test_plain_reading_gives_its_words() -> None:
    assert threats._plain_words("you are an idiot") == {"you", "are", "an", "idiot"}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS + NOISE + ['"', "'", "“", "”", ",", "."]), max_size=14))
def test_every_word_has_a_place_for_the_context_check(parts: list[str]) -> None:
    # hit_context reads a match's words by index in both: they must stay aligned.
    text = " ".join(parts)
    assert len(token_places(text)) == len(tokens(text))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS + NOISE), max_size=14))
def test_a_match_knows_which_words_it_covers(parts: list[str]) -> None:
    text = " ".join(parts)
    readings = [r.split(" ") for r in threats.readings(text)]
    for scorer in SCORERS:
        for (_, matched), places in threats._find_hits(text, scorer.patterns).items():
            for a, b in places:
                assert any(matched == " ".join(r[a:b]) for r in readings)
