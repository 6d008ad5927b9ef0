from __future__ import annotations

import pytest

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
