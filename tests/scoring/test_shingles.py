"""Packed 5-gram fingerprints give exactly the Jaccard similarity of plain string sets,
whatever the script, and fall back to sets where packing cannot be lossless."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.scoring.shingles import fingerprint, jaccard, shingles, similarities

# Mostly a few letters (so texts share 5-grams), some accents, Greek and Cyrillic (packed),
# and CJK, emoji and U+0FFF / U+1000 either side of the packing limit (sets).
_TEXT = st.text(
    st.one_of(
        st.sampled_from("aab cde "),
        st.sampled_from("éßøαжה"),
        st.sampled_from("日本語😀\u0fff\u1000"),
    ),
    max_size=60,
)


@settings(max_examples=400, deadline=None)
@given(mine=_TEXT, others=st.lists(_TEXT, max_size=8))
def test_similarities_equal_plain_set_jaccard(mine: str, others: list[str]) -> None:
    expected = [jaccard(shingles(mine), shingles(o)) for o in others]
    assert similarities(fingerprint(mine), [fingerprint(o) for o in others]) == expected


def test_packing_is_used_below_u1000_only() -> None:
    assert fingerprint("a plain latin text, ünïcode, ελληνικά").packed is not None
    assert fingerprint("日本語のテキストです").packed is None
    assert fingerprint("abcd").packed is None  # under 5 characters: its own single 5-gram


def test_near_duplicates_are_found_in_a_long_list() -> None:
    base = "the ceasefire will not hold and everyone in the region knows it"
    others = [f"unrelated comment number {i} about the budget" for i in range(40)]
    others[25] = base.replace("everyone", "every one")
    values = similarities(fingerprint(base), [fingerprint(o) for o in others])
    assert values.index(max(values)) == 25 and max(values) > 0.8 > sorted(values)[-2]
