from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.scoring import normalize as normalize_module
from threadline.scoring.normalize import find_terms, fold, normalize

TERMS = [
    "fuck",
    "cunt",
    "ass",
    "shit",
    "kill",
    "zog",
    "(((",
    "kill them all",
    "hope you die",
    "good",
    "1488",
    "14 words",
    "nigger",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # leetspeak
        ("$h1t happens", ["shit"]),
        ("sh!t", ["shit"]),
        ("k1ll", ["kill"]),
        ("a$$", ["ass"]),
        ("@ss", ["ass"]),
        ("h0pe y0u d1e", ["hope you die"]),
        # separators inside words
        ("F.U.C.K you", ["fuck"]),
        ("f u c k", ["fuck"]),
        ("f-u-c-k", ["fuck"]),
        ("f_u_c_k", ["fuck"]),
        ("f*ck off", ["fuck"]),
        ("z.o.g", ["zog"]),
        # confusables, accents, zero-width characters, width variants
        ("fμck", ["fuck"]),
        ("ѕhіt", ["shit"]),  # Cyrillic dze and i
        ("ZОG", ["zog"]),  # Cyrillic capital O
        ("fück", ["fuck"]),
        ("f\u200buck", ["fuck"]),
        ("ｆｕｃｋ", ["fuck"]),
        # repeated letters
        ("fuuuuuck", ["fuck"]),
        ("shiiiiit", ["shit"]),
        ("good", ["good"]),
        ("goooood", ["good"]),
        # phrases, plurals, numbers, literals
        ("K1LL them ALL", ["kill them all", "kill"]),
        ("zogs everywhere", ["zog"]),
        ("the 14 words", ["14 words"]),
        ("(((globalists)))", ["((("]),
    ],
)
def test_find_terms_sees_through_obfuscation(text: str, expected: list[str]) -> None:
    assert sorted(find_terms(text, TERMS)) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe United won",
        "a classic assassin story",
        "passing the bass",
        "Shitake mushrooms",  # a whole different word
        "a skilled killer whale",  # 'kill' is whole-word only
        "14 people, 88 words",
        "a good day",  # 'good' is not an elongated 'god'
        "F. Scott wrote a novel",
        "",
    ],
)
def test_find_terms_ignores_substrings_and_near_misses(text: str) -> None:
    assert find_terms(text, ["cunt", "ass", "shit", "kill", "kill them all", "1488", "god"]) == []


def test_phrase_needs_every_word_in_order() -> None:
    assert find_terms("kill them later, all of them", ["kill them all"]) == []


def test_find_terms_reports_each_term_once_as_listed() -> None:
    assert find_terms("Fuck fuck F U C K", ["Fuck"]) == ["Fuck"]


def test_fold_maps_lookalikes_and_case() -> None:
    assert fold("ΑΒС Straße") == "abc strasse"


def test_normalize_gives_one_spelling_per_word() -> None:
    assert normalize("Thaaaanks!!! for the 4rticle") == "thaanks for the article"


def _every_token_checked(text: str, terms: list[str]) -> list[str]:
    """``find_terms`` without its shortcut: every token tried as the start of every term."""
    index = normalize_module.compile_terms(tuple(terms))
    hits = {term: None for literal, term in index.literals if literal in fold(text)}
    toks = normalize_module._tokens(text)
    for i, forms in enumerate(toks):
        for words, term in normalize_module._starts(forms, index):
            if normalize_module._phrase_at(toks, i, words):
                hits[term] = None
        if index.wildcards and any("*" in f for f in forms):
            hits.update(dict.fromkeys(normalize_module._wildcard_hits(forms, index)))
    return list(hits)


_WORDS = ["kill", "them", "all", "bitch", "ass", "zog", "good", "the", "14", "words", "(((", "x"]
_NOISE = ["es", "s", "!", "*", "1", "3", "@", ".", " ", "  ", "u", "c", "k", "ee"]


@settings(max_examples=400, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(_WORDS + _NOISE), max_size=25),
    terms=st.lists(
        st.lists(st.sampled_from(_WORDS + ["f*ck", "sh!t", "b1tch"]), min_size=1, max_size=3).map(
            " ".join
        ),
        max_size=6,
    ),
)
def test_find_terms_shortcut_changes_no_answer(pieces: list[str], terms: list[str]) -> None:
    text = "".join(pieces)
    assert find_terms(text, terms) == _every_token_checked(text, terms)


def test_default_lists_give_the_same_hits_with_and_without_the_shortcut() -> None:
    from threadline.scoring.wordlists import DEFAULT_PROFANITY_WORDS, DEFAULT_SUSPECT_WORDS

    lists = [DEFAULT_SUSPECT_WORDS, DEFAULT_PROFANITY_WORDS]
    texts = [
        "Kill them all, the zog and the globalist cabal!",
        "what a f*cking b1tches day, sh!t",
        "(((they))) know, 14 words, 1488",
        "nothing at all to see here",
    ]
    for raw in lists:
        terms = [t for t in raw.splitlines() if t and not t.startswith("#")]
        for text in texts:
            assert find_terms(text, terms) == _every_token_checked(text, terms)
