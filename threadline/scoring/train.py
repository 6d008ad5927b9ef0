"""Training and evaluating the toxicity model (used by ``scripts/train_toxicity.py`` and
``threadline moderation train``). Nothing here runs while comments are posted."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from threadline.scoring.classifier import (
    ToxicityModel,
    forget_site_model_files,
    prepare_text,
    site_model_path,
)

log = logging.getLogger(__name__)

# Words that name a group of people. The model sees them all as one placeholder, so "I am a
# gay man" carries no more weight than "I am a tall man"; slurs are deliberately absent.
IDENTITY_TERMS = frozenset(
    """
gay gays lesbian lesbians bisexual bisexuals transgender trans queer queers homosexual
homosexuals heterosexual straight lgbt lgbtq nonbinary
jew jews jewish muslim muslims islam islamic christian christians catholic catholics
protestant hindu hindus buddhist buddhists sikh sikhs atheist atheists mormon
black blacks white whites asian asians african africans american americans european
europeans mexican mexicans latino latina latinos latinx hispanic hispanics arab arabs
chinese japanese korean indian indians canadian british french german russian
middle eastern immigrant immigrants refugee refugees
woman women man men female male girl girls boy boys
old older elderly young younger teenage teenager teenagers millennial
deaf blind disabled paralyzed
""".split()  # noqa: SIM905 -- a word list reads better as text
)

WORD_PARAMS: dict[str, Any] = {
    "analyzer": "word",
    "ngram_range": (1, 2),
    "lowercase": False,
    "token_pattern": r"(?u)\b\w+\b",
}
CHAR_PARAMS: dict[str, Any] = {"analyzer": "char_wb", "ngram_range": (2, 5), "lowercase": False}


# The Jigsaw sample is the only training text written as long-form comments (Wikipedia talk
# pages) rather than tweets; weighted up so its 282 rows are not drowned by 44,000 tweets.
SOURCE_WEIGHTS: dict[str, float] = {"jigsaw": 10.0}
# Validation negatives that stand for civil comments. HateXplain "normal" posts are left
# out: a quarter of them use slurs or profanity casually, which a news site would hold.
CIVIL_SOURCES = frozenset({"davidson", "jigsaw", "templates"})
VALIDATION_SHARE = 0.2


@dataclass
class Dataset:
    texts: list[str] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    def add(self, text: str, label: int, source: str) -> None:
        self.texts.append(text)
        self.labels.append(label)
        self.sources.append(source)

    def weights(self) -> list[float]:
        return [SOURCE_WEIGHTS.get(s, 1.0) for s in self.sources]

    def split(self, share: float = VALIDATION_SHARE) -> tuple[Dataset, Dataset]:
        """(training, validation): a fixed ``share`` of rows, chosen by a hash of the text
        so that the split is the same on every run and duplicates land on one side."""
        train, val = Dataset(), Dataset()
        for text, label, source in zip(self.texts, self.labels, self.sources, strict=True):
            side = val if hashlib.sha256(text.encode()).digest()[2] < 256 * share else train
            side.add(text, label, source)
        return train, val


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fp:
        yield from csv.DictReader(fp)


def load_training(
    root: Path, *, template_names: frozenset[str] = frozenset(), template_share: float = 0.15
) -> Dataset:
    """The public labelled sets under ``root`` (``../shared/fixtures/toxicity``). The
    Wikipedia test set is never read here; of the identity templates, only a fixed
    ``template_share`` of the ``name_adj`` sentences with the given first names."""
    data = Dataset()
    for row in _rows(root / "davidson-labeled_data.csv"):
        data.add(row["tweet"], int(row["class"] in ("0", "1")), "davidson")
    for row in _rows(root / "hatexplain-mbib-092.csv"):
        if row["category"] != "3":  # no majority among annotators
            text = " ".join(w for w in row["text"].split() if w != "user")
            data.add(text, int(row["category"] in ("1", "2")), "hatexplain")
    flags = ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate")
    for row in _rows(root / "jigsaw-toxic-comment-train-sample.csv"):
        data.add(row["comment_text"], int(any(row[f] == "1" for f in flags)), "jigsaw")
    for row in _rows(root / "en_sentence_templates.csv"):
        phrase = row["phrase"]
        if (
            row["template"] == "name_adj"
            and phrase.split()[0] in template_names
            and hashlib.sha256(phrase.encode()).digest()[1] < 256 * template_share
        ):
            data.add(phrase, int(row["toxicity"] == "toxic"), "templates")
    return data


def split_template_names(root: Path) -> tuple[frozenset[str], frozenset[str]]:
    """Split the first names of the ``name_adj`` templates in two by hash: sentences with the
    first half may be used for training, the second half only for evaluation."""
    names = {
        row["phrase"].split()[0]
        for row in _rows(root / "en_sentence_templates.csv")
        if row["template"] == "name_adj"
    }
    train = frozenset(n for n in names if hashlib.sha256(n.encode()).digest()[0] < 128)
    return train, frozenset(names - train)


def load_wikipedia_test(root: Path) -> tuple[list[str], list[int]]:
    rows = list(_rows(root / "wikipedia-toxicity_nonfuzzed_testset.csv"))
    return [r["comment"] for r in rows], [int(r["toxic"] == "True") for r in rows]


def load_identity_templates(
    root: Path, *, exclude_names: frozenset[str]
) -> tuple[list[str], list[int], list[str]]:
    """Template sentences for measuring identity bias, without those used in training."""
    texts, labels, families = [], [], []
    for row in _rows(root / "en_sentence_templates.csv"):
        if row["template"] == "name_adj" and row["phrase"].split()[0] in exclude_names:
            continue
        texts.append(row["phrase"])
        labels.append(int(row["toxicity"] == "toxic"))
        families.append(row["template"])
    return texts, labels, families


def fit(
    texts: Sequence[str],
    labels: Sequence[int],
    *,
    name: str = "threadline-toxicity",
    mask_identity: bool = True,
    c: float = 1.0,
    max_char: int = 60_000,
    max_word: int = 30_000,
    sample_weight: Sequence[float] | None = None,
) -> dict[str, Any]:
    """Train on ``texts`` and return the model file's content (see ``ToxicityModel``)."""
    terms = IDENTITY_TERMS if mask_identity else frozenset()
    prepared = [prepare_text(t, identity_terms=terms) for t in texts]
    specs = [(WORD_PARAMS, max_word), (CHAR_PARAMS, max_char)]
    vecs = [
        TfidfVectorizer(**p, sublinear_tf=True, min_df=2, max_features=m, dtype=np.float32)
        for p, m in specs
    ]
    x = sparse.hstack([v.fit_transform(prepared) for v in vecs]).tocsr()
    clf = LogisticRegression(
        C=c, class_weight="balanced", max_iter=2000, solver="liblinear", random_state=0
    )
    weights = None if sample_weight is None else np.asarray(sample_weight)
    clf.fit(x, np.asarray(labels), sample_weight=weights)
    coef, blocks, start = clf.coef_[0], [], 0
    for (params, _), vec in zip(specs, vecs, strict=True):
        grams = vec.get_feature_names_out().tolist()
        block_coef = coef[start : start + len(grams)]
        start += len(grams)
        blocks.append(
            {
                "params": {**params, "ngram_range": list(params["ngram_range"])},
                "sublinear_tf": True,
                "grams": grams,
                "idf": [round(float(v), 4) for v in vec.idf_],
                "coef": [round(float(v), 4) for v in block_coef],
            }
        )
    return {
        "name": name,
        "created": dt.date.today().isoformat(),
        "sklearn": sklearn.__version__,
        "intercept": float(clf.intercept_[0]),
        "identity_terms": sorted(terms),
        "training": {"examples": len(texts), "positives": int(sum(labels))},
        "blocks": blocks,
    }


def write_model(data: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    os.replace(tmp, path)  # a process reading the old file never sees half a new one
    return path


def train_site_model(texts: Sequence[str], labels: Sequence[int], site_name: str) -> Path:
    """Train a model for one site from its moderators' decisions (1 = rejected / removed,
    0 = published) and write it where ``model_for_site`` finds it. Returns the path."""
    if len(set(labels)) < 2:
        raise ValueError("need both accepted and rejected comments to train")
    data = fit(texts, labels, name=f"threadline-toxicity-{site_name}")
    path = write_model(data, site_model_path(site_name))
    forget_site_model_files()  # this process scores with it from the next comment
    return path


def _rates(scores: np.ndarray, labels: np.ndarray, threshold: float) -> dict[str, float]:
    flagged = scores >= threshold
    tp = int(np.sum(flagged & (labels == 1)))
    precision = tp / max(int(flagged.sum()), 1)
    recall = tp / max(int((labels == 1).sum()), 1)
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "false_positive_rate": round(
            float(np.mean(flagged[labels == 0])) if (labels == 0).any() else 0.0, 4
        ),
    }


def evaluate(
    texts: Sequence[str],
    labels: Sequence[int],
    scorer_fn: Callable[[Sequence[str]], Sequence[float]],
    thresholds: dict[str, float],
    *,
    identity_texts: Sequence[str] = (),
    identity_labels: Sequence[int] = (),
) -> dict[str, Any]:
    """ROC-AUC and precision / recall / false-positive rate at each named threshold
    (e.g. ``{"hold": 0.7, "warn": 0.8}``). ``identity_false_positive_rate`` is the share of
    non-toxic identity sentences at or above the hold threshold (None without them)."""
    y = np.asarray(labels)
    s = np.asarray(scorer_fn(texts), dtype=float)
    out: dict[str, Any] = {
        "n": len(y),
        "positives": int(y.sum()),
        "roc_auc": round(float(roc_auc_score(y, s)), 4) if len(set(y)) == 2 else None,
    }
    for name, t in thresholds.items():
        out[name] = {"threshold": t, **_rates(s, y, t)}
    out["identity_false_positive_rate"] = None
    if identity_texts:
        iy = np.asarray(identity_labels)
        iscores = np.asarray(scorer_fn(identity_texts), dtype=float)
        hold = thresholds.get("hold", 0.7)
        out["identity_false_positive_rate"] = round(float(np.mean(iscores[iy == 0] >= hold)), 4)
        out["identity"] = {
            name: {"threshold": t, **_rates(iscores, iy, t)} for name, t in thresholds.items()
        }
        if len(set(iy)) == 2:
            out["identity"]["roc_auc"] = round(float(roc_auc_score(iy, iscores)), 4)
    return out


def threshold_for_fpr(scores: Sequence[float], labels: Sequence[int], max_fpr: float) -> float:
    """The lowest threshold (2 decimals) at which at most ``max_fpr`` of the negatives score
    at or above it: the most sensitive setting that keeps false positives in budget."""
    negatives = np.sort(np.asarray(scores, dtype=float)[np.asarray(labels) == 0])
    for step in range(1, 100):
        t = step / 100
        if float(np.mean(negatives >= t)) <= max_fpr:
            return t
    return 0.99


def model_scorer(path: Path) -> Callable[[Sequence[str]], list[float]]:
    model = ToxicityModel.load(path)
    return model.predict_many
