"""Fast n-gram analyzers for the toxicity model: the same n-grams, in the same order, as
``TfidfVectorizer(**params).build_analyzer()`` for the parameters the model files use
(``analyzer`` "word" or "char_wb", ``lowercase=False``, no stop words, accents kept), at a
fraction of the cost. Other parameters fall back to scikit-learn's own analyzer.

``tests/scoring/test_ngrams.py`` checks token-for-token equality with scikit-learn on the
labelled toxicity sets and on generated text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache
from itertools import repeat
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

Analyzer = Callable[[str], list[str]]

# Parameters whose scikit-learn defaults the fast analyzers assume.
_DEFAULTS: dict[str, Any] = {
    "input": "content",
    "preprocessor": None,
    "tokenizer": None,
    "stop_words": None,
    "strip_accents": None,
}
# Distinct words remembered per character block: a comment's words are mostly common ones.
WORD_CACHE = 32768
# Token patterns with a simpler twin that finds the same tokens: a greedy run of word
# characters already starts and ends at a word boundary, so the ``\b`` tests only cost time
# (a third of ``findall``'s).
_SAME_TOKENS = {r"(?u)\b\w+\b": r"(?u)\w+", r"(?u)\b\w\w+\b": r"(?u)\w\w+"}


def column_dtype(size: int) -> type[np.integer]:
    """The array type for columns of a vocabulary of ``size`` n-grams, with one value to
    spare as "unknown": 16 bits when it fits, as NumPy's stable sort of 16-bit integers is
    a radix sort, several times faster on a comment's few hundred columns."""
    return np.uint16 if size < np.iinfo(np.uint16).max else np.int32


def _params(params: dict[str, Any]) -> dict[str, Any] | None:
    """The parameters with defaults filled in, or None when the fast path does not apply."""
    full = {**_DEFAULTS, "lowercase": True, "token_pattern": r"(?u)\b\w\w+\b", **params}
    if any(full[k] != v for k, v in _DEFAULTS.items()) or full["lowercase"]:
        return None
    if full.get("analyzer") not in ("word", "char_wb"):
        return None
    lo, hi = full.get("ngram_range", (1, 1))
    if not 1 <= lo <= hi:
        return None
    if full["analyzer"] == "word" and re.compile(full["token_pattern"]).groups > 1:
        return None  # scikit-learn refuses such a pattern: let it say so
    full["ngram_range"] = (int(lo), int(hi))
    return full


def _word_analyzer(token_pattern: str, lo: int, hi: int) -> Analyzer:
    findall = re.compile(_SAME_TOKENS.get(token_pattern, token_pattern)).findall

    def analyze(text: str) -> list[str]:
        tokens = findall(text)
        grams = list(tokens) if lo == 1 else []
        for n in range(max(lo, 2), min(hi, len(tokens)) + 1):
            grams += map(" ".join, zip(*(tokens[i:] for i in range(n)), strict=False))
        return grams

    return analyze


def _word_char_grams(word: str, lo: int, hi: int) -> list[str]:
    """One word's ``char_wb`` n-grams: padded with a space each side; a padded word shorter
    than ``n`` counts once, as a whole, and stops the longer sizes."""
    w = f" {word} "
    size = len(w)
    grams: list[str] = []
    for n in range(lo, hi + 1):
        if size <= n:
            grams.append(w)
            break
        grams += [w[i : i + n] for i in range(size - n + 1)]
    return grams


def _char_wb_analyzer(lo: int, hi: int) -> Analyzer:
    def analyze(text: str) -> list[str]:
        # scikit-learn first turns white-space runs into one space: that changes nothing
        # here, as split() skips runs and its white space is the same as the regex's \s.
        return [g for word in text.split() for g in _word_char_grams(word, lo, hi)]

    return analyze


def build_analyzer(params: dict[str, Any]) -> Analyzer:
    """The n-grams of a text exactly as ``TfidfVectorizer(**params).build_analyzer()``
    gives them."""
    full = _params(params)
    if full is None:
        return TfidfVectorizer(**params).build_analyzer()
    lo, hi = full["ngram_range"]
    if full["analyzer"] == "word":
        return _word_analyzer(full["token_pattern"], lo, hi)
    return _char_wb_analyzer(lo, hi)


def build_vocabulary_ids(
    params: dict[str, Any], index: Mapping[str, int]
) -> Callable[[str], np.ndarray]:
    """The analyzer's n-grams of a text that are in the vocabulary ``index`` (n-gram ->
    column), as columns in the analyzer's order, repeats included, typed
    ``column_dtype(len(index))``. For ``char_wb`` each distinct word's columns are computed
    once and remembered, so a comment costs about one cache hit per word."""
    full = _params(params)
    dtype = column_dtype(len(index))
    if full is None or full["analyzer"] != "char_wb":
        analyze = build_analyzer(params)
        unknown = np.iinfo(dtype).max  # never a column: column_dtype keeps it spare

        def ids(text: str) -> np.ndarray:
            grams = analyze(text)
            found = map(index.get, grams, repeat(unknown))
            columns = np.fromiter(found, dtype=dtype, count=len(grams))
            return columns[columns != unknown]

        return ids
    lo, hi = full["ngram_range"]

    @lru_cache(maxsize=WORD_CACHE)
    def known(word: str) -> bytes:
        columns = map(index.get, _word_char_grams(word, lo, hi))
        return np.array([c for c in columns if c is not None], dtype=dtype).tobytes()

    def char_ids(text: str) -> np.ndarray:
        words = text.split()  # the analyzer's words (see _char_wb_analyzer)
        return np.frombuffer(b"".join(map(known, words)), dtype=dtype)

    return char_ids
