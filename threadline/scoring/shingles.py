"""Near-duplicate texts: the Jaccard similarity of their sets of character 5-grams.

A new comment is compared with dozens of recent ones, so each text's 5-grams are kept as a
sorted array of integers (five 12-bit characters packed into one 64-bit number, when every
character is below U+1000, which covers the Latin, Greek, Cyrillic, Hebrew, Arabic and
Indic scripts) and one comment is compared with all the others in a few array operations.
Packing is lossless, so the figures are those of the plain set computation; texts with
other characters fall back to sets of strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

SIZE = 5
_BITS = 12


def shingles(text: str) -> frozenset[str]:
    """The text's 5-grams (a text under 5 characters is its own single 5-gram)."""
    n = max(len(text) - SIZE + 1, 1)
    return frozenset(map(text.__getitem__, map(slice, range(n), range(SIZE, n + SIZE))))


def jaccard(sa: frozenset[str], sb: frozenset[str]) -> float:
    if not sa or not sb:
        return 0.0
    common = len(sa & sb)
    return common / (len(sa) + len(sb) - common)  # |A ∪ B| without building the union


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """A normalised text and its 5-grams: packed (sorted, distinct) or, failing that, a set."""

    text: str
    packed: np.ndarray | None
    grams: frozenset[str] | None

    def as_set(self) -> frozenset[str]:
        return self.grams if self.grams is not None else shingles(self.text)


def _pack(text: str) -> np.ndarray | None:
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if len(codes) < SIZE or int(codes.max()) >> _BITS:
        return None
    codes = codes.astype(np.uint64)
    n = len(codes) - SIZE + 1
    packed = codes[:n].copy()
    for i in range(1, SIZE):
        packed <<= np.uint64(_BITS)
        packed |= codes[i : n + i]
    return np.unique(packed)


def fingerprint(text: str) -> Fingerprint:
    packed = _pack(text)
    return Fingerprint(text, packed, shingles(text) if packed is None else None)


def similarities(mine: Fingerprint, others: Sequence[Fingerprint]) -> list[float]:
    """``jaccard`` of ``mine``'s 5-grams with each of ``others``', in order."""
    out: dict[int, float] = {}
    if mine.packed is not None:
        batch = {i: o.packed for i, o in enumerate(others) if o.packed is not None}
        if batch:
            size = len(mine.packed)
            common = _common(mine.packed, list(batch.values()))
            for (i, theirs), both in zip(batch.items(), common, strict=True):
                out[i] = both / (size + len(theirs) - both)  # as ``jaccard``, in integers
    if len(out) < len(others):
        grams = mine.as_set()
        for i, other in enumerate(others):
            if i not in out:
                out[i] = jaccard(grams, other.as_set())
    return [out[i] for i in range(len(others))]


def _common(mine: np.ndarray, arrays: list[np.ndarray]) -> list[int]:
    """How many of each array's values ``mine`` (sorted) has: one binary search each."""
    everything = np.concatenate(arrays)
    at = np.minimum(np.searchsorted(mine, everything), len(mine) - 1)
    found = (mine[at] == everything).astype(np.int64)
    starts = np.cumsum([0] + [len(a) for a in arrays[:-1]])
    return [int(n) for n in np.add.reduceat(found, starts)]
