"""The toxicity model: TF-IDF word and character n-grams into a logistic regression.

The shipped model is a gzipped JSON file (vocabulary, idf and coefficients), so loading it
unpickles nothing and does not depend on scikit-learn's private classes. It is read once
per process, on first use. A site may have its own model at
``<THREADLINE_DATA_DIR>/models/toxicity-<site>.json.gz`` (``threadline moderation train``).
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import math
import re
import threading
import time
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings

from threadline.scoring.base import Score, ScoringContext
from threadline.scoring.ngrams import build_vocabulary_ids, column_dtype
from threadline.scoring.normalize import fold

MODEL_DIR = Path(__file__).resolve().parent / "models"
DEFAULT_MODEL = MODEL_DIR / "toxicity.json.gz"

_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+")
_MENTION = re.compile(r"(?:\bRT\s+)?@\w+:?")
_RUN3 = re.compile(r"(.)\1{2,}")


def prepare_text(text: str, *, identity_terms: frozenset[str] = frozenset()) -> str:
    """What the model reads: entities decoded, links and @mentions dropped, folded like the
    word lists, letter runs cut to two, and identity terms replaced by one placeholder so
    that naming a group carries no weight of its own."""
    text = html.unescape(text).replace("``", '"')
    # Most comments have no link and no mention: a substring test costs far less than the
    # patterns' search. (Lower-casing finds "www." in any case: only "W" matches "w".)
    if "://" in text or "www." in text.lower():
        text = _URL.sub(" ", text)
    if "@" in text:
        text = _MENTION.sub(" ", text)
    text = _RUN3.sub(r"\1\1", fold(text))
    if identity_terms:
        text = _identity_pattern(identity_terms).sub("identity", text)
    return " ".join(text.split())


@lru_cache(maxsize=8)
def _identity_pattern(terms: frozenset[str]) -> re.Pattern[str]:
    """Matches a whole run of ``[a-z]`` letters that is one of ``terms`` (a term with other
    characters can never be such a run); one C-level pass instead of a call per word."""
    words = [t for t in terms if re.fullmatch("[a-z]+", t)]
    return re.compile(f"(?<![a-z])(?:{_prefix_tree(words) or '(?!)'})(?![a-z])")


def _prefix_tree(words: Iterable[str]) -> str:
    """An alternation of ``words`` (runs of ``[a-z]``) shaped as a prefix tree, e.g.
    ``gay|gays|german`` as ``g(?:ay(?:s)?|erman)``: at each position the engine tries a few
    letters instead of every word in turn (over twice as fast for ~100 words). It matches
    the same strings; which alternative matches never matters, as the run of letters
    around it must be exactly the word."""
    rests: dict[str, list[str]] = {}
    for word in sorted(words):
        rests.setdefault(word[0], []).append(word[1:])
    branches = []
    for letter, tails in rests.items():
        below = _prefix_tree(t for t in tails if t)
        if below:
            below = f"(?:{below}){'?' if '' in tails else ''}"
        branches.append(letter + below)
    return "|".join(branches)


# 1 + log(n), the sublinear term frequency, for the counts a comment usually has.
_SUBLINEAR_TF = np.array([0.0] + [1.0 + math.log(n) for n in range(1, 1024)])


def _sublinear(counts: np.ndarray) -> np.ndarray:
    if counts.max() < len(_SUBLINEAR_TF):
        return _SUBLINEAR_TF[counts]
    return np.array([1.0 + math.log(n) for n in counts.tolist()])


def _unique(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``np.unique(ids, return_index=True, return_counts=True)`` for non-empty ``ids``, in
    a third of the time: on a few hundred ids its many small steps cost more than the work.
    A stable sort puts each column's first occurrence at the head of its run."""
    n = len(ids)
    by_column = ids.argsort(kind="stable")  # a radix sort for 16-bit columns
    ranked = ids[by_column]
    bounds = np.empty(n + 1, dtype=bool)  # where a run starts, and the end
    bounds[0] = bounds[n] = True
    np.not_equal(ranked[1:], ranked[:-1], out=bounds[1:n])
    bounds = bounds.nonzero()[0]
    starts = bounds[:-1]
    return ranked[starts], by_column[starts], bounds[1:] - starts


class _Block:
    """One vectoriser's share of the model: its vocabulary with each n-gram's idf and
    coefficient, and the fast equivalent of its scikit-learn analyzer (``ngrams``)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        if not len(spec["grams"]) == len(spec["idf"]) == len(spec["coef"]):
            raise ValueError("a model block needs one idf and one coefficient per n-gram")
        self.vocabulary: list[str] = spec["grams"]
        self.index = {g: i for i, g in enumerate(self.vocabulary)}
        # (idf, coefficient) side by side: one memory fetch per n-gram instead of two.
        self.weights = np.column_stack([spec["idf"], spec["coef"]]).astype(float)
        self.sublinear = bool(spec.get("sublinear_tf"))
        self.ids = build_vocabulary_ids(spec["params"], self.index)
        self.dtype = column_dtype(len(self.vocabulary))
        # For each earlier block of the model: its n-grams as this block's columns, or the
        # largest number of the column type (never a column) when this block has no such one.
        self.links: dict[_Block, np.ndarray] = {}

    def link(self, earlier: _Block) -> None:
        missing = np.iinfo(self.dtype).max
        columns = [self.index.get(g, missing) for g in earlier.vocabulary]
        self.links[earlier] = np.array(columns, dtype=self.dtype)

    def contributions(self, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The text's known n-grams as (columns, contributions, order): columns ascending,
        each one's L2-normalised TF-IDF times its coefficient, and the permutation that puts
        them in order of first occurrence. The arithmetic is scikit-learn's, element by
        element, and the norm is summed in first-occurrence order by Python's ``sum``, so
        the figures are the same to the last bit as a loop over a dict."""
        ids = self.ids(text)
        n = len(ids)
        if not n:
            return ids, np.zeros(0), np.zeros(0, dtype=np.intp)
        columns, first, counts = _unique(ids)
        # Positions are distinct, so any sort gives the same order: the radix sort when they
        # fit in 16 bits.
        order = first.astype(column_dtype(n)).argsort(kind="stable")
        if not self.sublinear:
            tf = counts.astype(float)
        elif n < len(_SUBLINEAR_TF):  # then so is every count
            tf = _SUBLINEAR_TF[counts]
        else:
            tf = _sublinear(counts)
        weights = self.weights.take(columns, axis=0)  # a quarter of the time of [columns]
        values = tf * weights[:, 0]
        norm = math.sqrt(sum((values * values)[order].tolist())) or 1.0
        return columns, values / norm * weights[:, 1], order


# One block's share of a text: its n-grams that no earlier block has, as columns and
# contributions in order of first occurrence.
_Segment = tuple[_Block, np.ndarray, np.ndarray]


def _add_shared(
    earlier: list[_Segment], block: _Block, columns: np.ndarray, values: np.ndarray
) -> np.ndarray:
    """Add to the earlier segments' contributions those of ``block``'s n-grams (``columns``
    ascending, at least one) that are earlier n-grams too; returns a mask of those columns."""
    taken = np.zeros(len(columns), dtype=bool)
    last = len(columns) - 1
    for other, ids, other_values in earlier:
        linked = block.links[other][ids]  # as this block's columns, or a number none has
        k = np.minimum(columns.searchsorted(linked), last)
        hit = (columns[k] == linked).nonzero()[0]
        k = k[hit]
        # Each earlier n-gram is once in its segment: no position is added to twice.
        other_values[hit] += values[k]
        taken[k] = True
    return taken


@dataclass
class _Parts:
    """Every known n-gram's contribution, in order: the first block's n-grams, then each
    later block's that no earlier block has (an n-gram two blocks share, such as the word
    "the" and the character 3-gram "the", is one part with the sum of both)."""

    array: np.ndarray  # the contributions, to filter and sort without a loop
    values: list[float]  # the same, for Python's ``sum`` (whose rounding is the reference)
    starts: list[int]  # each segment's first position
    segments: list[tuple[_Block, np.ndarray]]  # each segment's block and columns

    @classmethod
    def join(cls, segments: list[_Segment]) -> _Parts:
        array = np.concatenate([values for _, _, values in segments])
        starts = [0]
        for _, columns, _ in segments[:-1]:
            starts.append(starts[-1] + len(columns))
        pairs = [(block, columns) for block, columns, _ in segments]
        return cls(array, array.tolist(), starts, pairs)

    def gram(self, position: int) -> str:
        segment = bisect_right(self.starts, position) - 1
        block, columns = self.segments[segment]
        return block.vocabulary[columns[position - self.starts[segment]]]

    def named(self, positions: Iterable[int]) -> list[tuple[str, float]]:
        return [(self.gram(p), self.values[p]) for p in positions]


class ToxicityModel:
    """A loaded model file. ``predict`` works on the comment's known n-grams only (NumPy
    over a few hundred columns, no sparse matrices), so a comment scores in a fraction of a
    millisecond."""

    def __init__(self, data: dict[str, Any], *, digest: str) -> None:
        self.name: str = data["name"]
        self.version = f"{data['name']}@{data['created']}-{digest[:8]}"
        self.intercept: float = data["intercept"]
        self.identity_terms = frozenset(data.get("identity_terms", ()))
        self.blocks = [_Block(b) for b in data["blocks"]]
        for i, block in enumerate(self.blocks):
            for earlier in self.blocks[:i]:
                block.link(earlier)

    @classmethod
    def load(cls, path: Path) -> ToxicityModel:
        raw = path.read_bytes()
        return cls(json.loads(gzip.decompress(raw)), digest=hashlib.sha256(raw).hexdigest())

    def _parts(self, text: str) -> _Parts:
        prepared = prepare_text(text, identity_terms=self.identity_terms)
        segments: list[_Segment] = []
        for block in self.blocks:
            columns, values, order = block.contributions(prepared)
            if segments and len(columns):
                order = order[~_add_shared(segments, block, columns, values)[order]]
            segments.append((block, columns[order], values[order]))
        return _Parts.join(segments)

    def _probability(self, parts: _Parts) -> float:
        z = self.intercept + sum(parts.values)
        return 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))

    def explain(self, text: str) -> tuple[float, list[tuple[str, float]]]:
        """The probability and every n-gram's contribution, largest first."""
        parts = self._parts(text)
        everything = parts.named(range(len(parts.values)))
        return self._probability(parts), sorted(everything, key=_minus_value)

    def top_words(
        self, text: str, *, limit: int = 5, above: float = 0.02
    ) -> tuple[float, list[str]]:
        """The probability and up to ``limit`` words (no phrases) contributing more than
        ``above``, largest first: ``explain`` filtered, without naming every n-gram."""
        parts = self._parts(text)
        strong = (parts.array > above).nonzero()[0]
        # Largest first, ties in n-gram order (a stable sort, like ``explain``); then named
        # one by one only until ``limit`` words are found, as few of them are ever shown.
        strong = strong[np.argsort(-parts.array[strong], kind="stable")]
        words: list[str] = []
        for p in strong.tolist():
            if len(words) == limit:  # never, for a negative limit: all, sliced below
                break
            gram = parts.gram(p)
            if " " not in gram.strip()[1:-1]:  # a word, not a phrase
                words.append(_readable(gram))
        return self._probability(parts), words[:limit]

    def predict(self, text: str) -> float:
        return self._probability(self._parts(text))

    def predict_many(self, texts: Iterable[str]) -> list[float]:
        return [self.predict(t) for t in texts]


def _minus_value(item: tuple[str, float]) -> float:
    return -item[1]


_lock = threading.Lock()
_models: dict[Path, ToxicityModel | None] = {}


def site_model_path(site_name: str) -> Path:
    return Path(settings.DATA_DIR) / "models" / f"toxicity-{site_name}.json.gz"


def load_model(path: Path | None = None) -> ToxicityModel:
    """The model at ``path`` (default: the shipped one), read once per process."""
    path = path or DEFAULT_MODEL
    model = _models.get(path)
    if model is None:
        with _lock:  # two request threads must not both parse a 2 MB file
            model = _models.get(path)
            if model is None:
                model = _models[path] = ToxicityModel.load(path)
    return model


# How long the answer to "has this site its own model file?" is reused: checking the disk
# for every comment is wasted work, and a model trained by another process (``threadline
# moderation train``) is picked up this many seconds later.
SITE_MODEL_CHECK_SECONDS = 5.0
_site_models: dict[tuple[str, str], tuple[float, Path | None]] = {}


def _site_model_file(site_name: str) -> Path | None:
    key = (str(settings.DATA_DIR), site_name)
    now = time.monotonic()
    known = _site_models.get(key)
    if known is not None and now < known[0]:
        return known[1]
    path = site_model_path(site_name)
    found = path if path.exists() else None
    _site_models[key] = (now + SITE_MODEL_CHECK_SECONDS, found)
    return found


def forget_site_model_files() -> None:
    """Look for site model files again on the next comment (after training one here)."""
    _site_models.clear()


def model_for_site(site_name: str | None) -> ToxicityModel:
    """The site's own model when one was trained for it, else the shipped model."""
    if site_name:
        path = _site_model_file(site_name)
        if path is not None:
            return load_model(path)
    return load_model()


def score_texts(texts: Sequence[str], *, site_name: str | None = None) -> list[float]:
    """Toxicity probabilities for many texts (evaluation, backtests, rescoring)."""
    return model_for_site(site_name).predict_many(texts)


def _has_letters(text: str, count: int) -> bool:
    """Whether ``text`` has at least ``count`` letters (stops looking once it has)."""
    for c in text:
        if c.isalpha():
            count -= 1
            if count <= 0:
                return True
    return count <= 0


def _readable(gram: str) -> str:
    return gram.strip()


class ToxicityScorer:
    """Probability (0..1) that the comment is toxic, from the site's or the shipped model.

    Texts with fewer than ``min_letters`` letters score 0. Contract: never decides;
    ``verdict`` stays PASS and the policy compares ``value`` with the site's hold / reject /
    warn thresholds. ``explanation`` lists the words and n-grams that
    pushed the score up most; ``version`` names the model so each decision records it.
    No database queries; trusted commenters skip it (``is_model``).
    """

    name = "toxicity"
    is_model = True
    # A text with fewer letters ("a", "ok", "+1") gives the model nothing to go on: its score
    # would be the intercept plus noise ("a" alone scores 0.53), so it is not scored.
    min_letters = 3

    def score(self, ctx: ScoringContext) -> Score:
        model = model_for_site(getattr(ctx.site, "name", None))
        text = ctx.text or ctx.body
        if not _has_letters(text, self.min_letters):
            return Score(
                scorer=self.name,
                value=0.0,
                explanation=("too short to score",),
                version=model.version,
            )
        prob, words = model.top_words(text)
        return Score(
            scorer=self.name,
            value=prob,
            explanation=tuple(dict.fromkeys(words)),
            version=model.version,
        )
