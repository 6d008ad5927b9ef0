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
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from sklearn.feature_extraction.text import TfidfVectorizer

from threadline.scoring.base import Score, ScoringContext
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
    text = _MENTION.sub(" ", _URL.sub(" ", text))
    text = _RUN3.sub(r"\1\1", fold(text))
    if identity_terms:
        text = re.sub(
            r"[a-z]+", lambda m: "identity" if m.group(0) in identity_terms else m.group(0), text
        )
    return " ".join(text.split())


@dataclass
class _Block:
    """One vectoriser's share of the model: analyzer, and per n-gram (idf, coefficient)."""

    analyze: Callable[[str], list[str]]
    weights: dict[str, tuple[float, float]]
    sublinear: bool

    def contributions(self, text: str) -> dict[str, float]:
        counts = Counter(self.analyze(text))
        vec = {}
        for gram, n in counts.items():
            entry = self.weights.get(gram)
            if entry is not None:
                tf = 1.0 + math.log(n) if self.sublinear else float(n)
                vec[gram] = (tf * entry[0], entry[1])
        norm = math.sqrt(sum(v * v for v, _ in vec.values())) or 1.0
        return {gram: v / norm * coef for gram, (v, coef) in vec.items()}


class ToxicityModel:
    """A loaded model file. ``predict`` is pure Python over dict look-ups: no sparse matrices,
    so one short comment scores in well under a millisecond."""

    def __init__(self, data: dict[str, Any], *, digest: str) -> None:
        self.name: str = data["name"]
        self.version = f"{data['name']}@{data['created']}-{digest[:8]}"
        self.intercept: float = data["intercept"]
        self.identity_terms = frozenset(data.get("identity_terms", ()))
        self.blocks = [self._block(b) for b in data["blocks"]]

    @staticmethod
    def _block(spec: dict[str, Any]) -> _Block:
        params = spec["params"]
        analyzer = TfidfVectorizer(**params).build_analyzer()
        weights = {
            g: (idf, coef)
            for g, idf, coef in zip(spec["grams"], spec["idf"], spec["coef"], strict=True)
        }
        return _Block(analyzer, weights, bool(spec.get("sublinear_tf")))

    @classmethod
    def load(cls, path: Path) -> ToxicityModel:
        raw = path.read_bytes()
        return cls(json.loads(gzip.decompress(raw)), digest=hashlib.sha256(raw).hexdigest())

    def explain(self, text: str) -> tuple[float, list[tuple[str, float]]]:
        prepared = prepare_text(text, identity_terms=self.identity_terms)
        parts: dict[str, float] = {}
        for block in self.blocks:
            for gram, value in block.contributions(prepared).items():
                parts[gram] = parts.get(gram, 0.0) + value
        z = self.intercept + sum(parts.values())
        prob = 1.0 / (1.0 + math.exp(-max(min(z, 40.0), -40.0)))
        return prob, sorted(parts.items(), key=lambda kv: -kv[1])

    def predict(self, text: str) -> float:
        return self.explain(text)[0]

    def predict_many(self, texts: Iterable[str]) -> list[float]:
        return [self.predict(t) for t in texts]


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


def model_for_site(site_name: str | None) -> ToxicityModel:
    """The site's own model when one was trained for it, else the shipped model."""
    if site_name:
        path = site_model_path(site_name)
        if path.exists():
            return load_model(path)
    return load_model()


def score_texts(texts: Sequence[str], *, site_name: str | None = None) -> list[float]:
    """Toxicity probabilities for many texts (evaluation, backtests, rescoring)."""
    return model_for_site(site_name).predict_many(texts)


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
        if sum(c.isalpha() for c in text) < self.min_letters:
            return Score(
                scorer=self.name,
                value=0.0,
                explanation=("too short to score",),
                version=model.version,
            )
        prob, parts = model.explain(text)
        words = [_readable(g) for g, v in parts if v > 0.02 and " " not in g.strip()[1:-1]][:5]
        return Score(
            scorer=self.name,
            value=prob,
            explanation=tuple(dict.fromkeys(words)),
            version=model.version,
        )
