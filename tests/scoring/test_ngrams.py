"""The fast analyzers give exactly scikit-learn's n-grams, in scikit-learn's order, for the
parameters the toxicity model uses: on the labelled comment sets and on generated text."""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterator
from functools import cache
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from tests.conftest import shared_path
from threadline.scoring.classifier import DEFAULT_MODEL, load_model, prepare_text
from threadline.scoring.ngrams import build_analyzer, build_vocabulary_ids


@cache
def _shipped_blocks() -> list[dict[str, Any]]:
    return json.loads(gzip.decompress(DEFAULT_MODEL.read_bytes()))["blocks"]


@cache
def _vocabulary_ids(block: int) -> tuple[dict[str, int], Any]:
    spec = _shipped_blocks()[block]
    index = {g: i for i, g in enumerate(spec["grams"])}
    return index, build_vocabulary_ids(_shipped_params()[block], index)


def _shipped_params() -> list[dict[str, Any]]:
    return [
        {**b["params"], "ngram_range": tuple(b["params"]["ngram_range"])} for b in _shipped_blocks()
    ]


OTHER_PARAMS: list[dict[str, Any]] = [
    {
        "analyzer": "word",
        "ngram_range": (1, 3),
        "lowercase": False,
        "token_pattern": r"(?u)\b\w+\b",
    },
    {"analyzer": "word", "ngram_range": (2, 2), "lowercase": False},
    {"analyzer": "word", "ngram_range": (1, 1), "lowercase": False},
    {"analyzer": "char_wb", "ngram_range": (1, 3), "lowercase": False},
    {"analyzer": "char_wb", "ngram_range": (3, 6), "lowercase": False},
    # Not sped up: these take scikit-learn's own analyzer.
    {"analyzer": "char_wb", "ngram_range": (2, 5)},
    {"analyzer": "char", "ngram_range": (2, 3), "lowercase": False},
    {"analyzer": "word", "ngram_range": (1, 2), "strip_accents": "unicode", "lowercase": False},
]


def _reference(params: dict[str, Any]) -> Any:
    return TfidfVectorizer(**params).build_analyzer()


def _labelled_texts() -> Iterator[str]:
    root = shared_path("fixtures", "toxicity")
    for name, column, limit in (
        ("wikipedia-toxicity_nonfuzzed_testset.csv", "comment", None),
        ("jigsaw-toxic-comment-train-sample.csv", "comment_text", None),
        ("davidson-labeled_data.csv", "tweet", 1500),
        ("hatexplain-mbib-092.csv", "text", 1500),
    ):
        with (root / name).open(newline="", encoding="utf-8") as fp:
            for i, row in enumerate(csv.DictReader(fp)):
                if limit is not None and i >= limit:
                    break
                yield row[column]


@pytest.fixture(scope="module")
def labelled_texts() -> list[str]:
    texts = list(_labelled_texts())
    identity = load_model().identity_terms
    # Raw, and as the model reads them (folded, links dropped, identity terms replaced).
    return texts + [prepare_text(t, identity_terms=identity) for t in texts]


def test_the_shipped_model_uses_the_fast_analyzers() -> None:
    from threadline.scoring.ngrams import _params

    assert all(_params(p) is not None for p in _shipped_params())


@pytest.mark.parametrize("params", _shipped_params(), ids=repr)
def test_fast_analyzer_matches_sklearn_on_labelled_comments(
    params: dict[str, Any], labelled_texts: list[str]
) -> None:
    fast, slow = build_analyzer(params), _reference(params)
    for text in labelled_texts:
        assert fast(text) == slow(text), text


@pytest.mark.parametrize("params", OTHER_PARAMS, ids=repr)
def test_other_parameters_give_sklearn_n_grams_too(
    params: dict[str, Any], labelled_texts: list[str]
) -> None:
    fast, slow = build_analyzer(params), _reference(params)
    for text in labelled_texts[::5]:
        assert fast(text) == slow(text), text


def test_vocabulary_columns_match_sklearn_n_grams(labelled_texts: list[str]) -> None:
    for block, params in enumerate(_shipped_params()):
        (index, ids), slow = _vocabulary_ids(block), _reference(params)
        for text in labelled_texts[::3]:
            assert ids(text).tolist() == [index[g] for g in slow(text) if g in index], text


# Letters of several scripts, digits, punctuation, and the many kinds of white space that
# scikit-learn and str.split() treat as separators.
_CHARS = st.one_of(
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
    st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u2028\u3000_'-.!é")),
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(_CHARS, max_size=120))
def test_fast_analyzers_match_sklearn_on_generated_text(text: str) -> None:
    for params in _shipped_params() + OTHER_PARAMS[:5]:
        assert build_analyzer(params)(text) == _reference(params)(text), params


@settings(max_examples=150, deadline=None)
@given(text=st.text(_CHARS, max_size=120))
def test_vocabulary_columns_match_sklearn_on_generated_text(text: str) -> None:
    for block, params in enumerate(_shipped_params()):
        index, ids = _vocabulary_ids(block)
        assert ids(text).tolist() == [index[g] for g in _reference(params)(text) if g in index]


def test_a_vocabulary_too_big_for_16_bits_gets_the_same_columns(
    labelled_texts: list[str],
) -> None:
    for block, params in enumerate(_shipped_params()):
        small, _ = _vocabulary_ids(block)
        # The same n-grams behind 70,000 others: columns past 65,535, in 32 bits.
        index = {f"\x00{i}": i for i in range(70_000)}
        index.update({g: c + 70_000 for g, c in small.items()})
        ids, slow = build_vocabulary_ids(params, index), _reference(params)
        for text in labelled_texts[::25]:
            columns = ids(text)
            assert columns.dtype == np.int32
            assert columns.tolist() == [index[g] for g in slow(text) if g in index], text
