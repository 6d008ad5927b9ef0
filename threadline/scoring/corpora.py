"""The labelled sets under ``../shared/fixtures`` as (text, labels) rows, for training and
evaluating the semantic model (``scripts/finetune_semantic.py``, ``threadline moderation
evaluate``). Nothing here runs while comments are posted.

Every row carries the four heads the model learns, each 1, 0 or ``None`` (not labelled by
that set): ``toxic`` (abusive: a moderator should see it first), ``hate`` (an attack on a
people, religion or other protected group), ``threat`` (a threat or a wish of death or
violence) and ``insult`` (an insult at a person). Each set is split three ways by a hash
of the text, the same on every run, so duplicates land on one side: ``train`` (fitting),
``dev`` (early stopping and calibration) and ``test`` (figures only).

Which set may do what (``fixtures/toxicity-train/SOURCES.md``):
- ``ucc`` (Globe and Mail news comments, CC BY-NC-SA): never trained on; its ``dev`` part
  calibrates the thresholds, its ``test`` part is only measured;
- ``wikipedia`` (the nonfuzzed Wikipedia test set): only measured;
- ``templates``: identity sentences; a hash-chosen half of the identity words is trained
  on, sentences with the other half only measured.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

HEADS = ("toxic", "hate", "threat", "insult")
Labels = dict[str, int | None]

# Sources never fitted on, whatever their split.
EVALUATION_ONLY = frozenset({"ucc", "wikipedia"})


@dataclass
class Corpus:
    texts: list[str] = field(default_factory=list)
    labels: list[Labels] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    splits: list[str] = field(default_factory=list)

    def add(self, text: str, labels: Labels, source: str, split: str | None = None) -> None:
        text = text.strip()
        if not text:
            return
        self.texts.append(text)
        self.labels.append({h: labels.get(h) for h in HEADS})
        self.sources.append(source)
        self.splits.append(split or split_of(text))

    def __len__(self) -> int:
        return len(self.texts)

    def select(self, *, sources: set[str] | None = None, splits: set[str] | None = None) -> Corpus:
        out = Corpus()
        for text, labels, source, split in zip(
            self.texts, self.labels, self.sources, self.splits, strict=True
        ):
            if (sources is None or source in sources) and (splits is None or split in splits):
                out.texts.append(text)
                out.labels.append(labels)
                out.sources.append(source)
                out.splits.append(split)
        return out

    def head(self, name: str) -> list[int | None]:
        return [labels[name] for labels in self.labels]


def normalised(text: str) -> str:
    """Lower case, one space between words: how texts are compared for equality."""
    return " ".join(text.lower().split())


def split_of(text: str) -> str:
    """``train`` (70 %), ``dev`` (15 %) or ``test`` (15 %), by a hash of the normalised text."""
    key = normalised(text).encode()
    byte = hashlib.sha256(key).digest()[0]
    return "train" if byte < 179 else "dev" if byte < 217 else "test"


def _rows(path: Path, delimiter: str = ",") -> Iterator[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fp:
        yield from csv.DictReader(fp, delimiter=delimiter)


def _civil() -> Labels:
    return {h: 0 for h in HEADS}


def _toxic_only(toxic: int) -> Labels:
    """A set that labels toxicity only: its civil rows are civil on every head."""
    return _civil() if not toxic else {"toxic": 1, "hate": None, "threat": None, "insult": None}


_OLID_USER = re.compile(r"(?:@USER\s*)+")


def load(root: Path) -> Corpus:
    """Every labelled row under ``root`` (``../shared/fixtures``)."""
    corpus = Corpus()
    tox = root / "toxicity"
    train = root / "toxicity-train"

    for row in _rows(tox / "davidson-labeled_data.csv"):
        cls = row["class"]
        if cls == "2":
            corpus.add(row["tweet"], _civil(), "davidson")
        else:
            hate = 1 if cls == "0" else 0
            labels = {"toxic": 1, "hate": hate, "threat": None, "insult": None}
            corpus.add(row["tweet"], labels, "davidson")

    for row in _rows(tox / "hatexplain-mbib-092.csv"):
        cat = row["category"]
        if cat == "3":  # no majority among annotators
            continue
        text = " ".join(w for w in row["text"].split() if w != "user")
        if cat == "0":
            labels = {"toxic": 0, "hate": 0, "threat": None, "insult": None}
        else:
            labels = {"toxic": 1, "hate": int(cat == "1"), "threat": None, "insult": None}
        corpus.add(text, labels, "hatexplain")

    for row in _rows(tox / "jigsaw-toxic-comment-train-sample.csv"):
        flags: dict[str, int] = {
            "toxic": int(any(row[f] == "1" for f in ("toxic", "severe_toxic", "obscene"))),
            "hate": int(row["identity_hate"] == "1"),
            "threat": int(row["threat"] == "1"),
            "insult": int(row["insult"] == "1"),
        }
        flags["toxic"] = max(flags.values())
        corpus.add(row["comment_text"], dict(flags), "jigsaw")

    for row in _rows(tox / "wikipedia-toxicity_nonfuzzed_testset.csv"):
        toxic = int(row["toxic"] == "True")
        corpus.add(row["comment"].replace("``", '"'), _toxic_only(toxic), "wikipedia", "test")

    train_terms, _ = split_identity_terms(root)
    for row in _rows(tox / "en_sentence_templates.csv"):
        phrase = row["phrase"]
        toxic = int(row["toxicity"] == "toxic")
        # Only a sample: 76,564 near-identical sentences would swamp everything else.
        if hashlib.sha256(phrase.encode()).digest()[1] >= 20:
            continue
        trained = any(w in train_terms for w in phrase.lower().split())
        labels = {"toxic": toxic, "hate": toxic, "threat": None, "insult": None}
        if not toxic:
            labels = _civil()
        corpus.add(phrase, labels, "templates", "train" if trained else "test")

    for name in ("olid-training-v1.0.tsv",):
        for row in _rows(train / name, "\t"):
            corpus.add(_olid(row["tweet"]), _olid_labels(row["subtask_a"], row), "olid")
    gold = {r["id"]: r["label"] for r in _rows(train / "olid-labels-levela.csv")}
    for row in _rows(train / "olid-testset-levela.tsv", "\t"):
        if row["id"] in gold:
            corpus.add(_olid(row["tweet"]), _olid_labels(gold[row["id"]], {}), "olid")

    for name in ("cat-large-gn.csv", "cat-large-gc.holdout-filtered.csv"):
        for row in _rows(train / name):
            corpus.add(row["text"], _toxic_only(int(row["label"])), "wikitalk")
    for row in _rows(train / "cat-small.holdout-filtered.csv"):
        corpus.add(row["text"], _toxic_only(int(row["label_oc"])), "wikitalk")

    for row in _rows(train / "ethos-binary.csv", ";"):
        share = float(row["isHate"])
        if share >= 0.5:
            corpus.add(row["comment"], {"toxic": 1, "hate": 1}, "ethos")
        elif share == 0.0:
            corpus.add(row["comment"], _civil(), "ethos")

    for name in ("ucc-val.holdout-filtered.csv", "ucc-test.holdout-filtered.csv"):
        split = "dev" if "val" in name else "test"
        for row in _rows(train / "noncommercial" / name):
            ucc = ucc_labels(row)
            if ucc is not None:
                corpus.add(row["comment"], ucc, "ucc", split)
    return corpus


def _olid(text: str) -> str:
    return " ".join(_OLID_USER.sub(" ", text).replace("URL", " ").split())


def _olid_labels(a: str, row: dict[str, str]) -> Labels:
    if a == "NOT":
        return {"toxic": 0, "hate": 0, "threat": None, "insult": 0}
    b, c = row.get("subtask_b"), row.get("subtask_c")
    return {
        "toxic": 1,
        "hate": 1 if c == "GRP" else 0 if c in ("IND", "OTH") or b == "UNT" else None,
        "threat": None,
        "insult": 1 if c == "IND" else 0 if b == "UNT" else None,
    }


UCC_ATTRIBUTES = (
    "antagonize",
    "condescending",
    "dismissive",
    "generalisation",
    "generalisation_unfair",
    "hostile",
    "sarcastic",
)


def ucc_labels(row: dict[str, str]) -> Labels | None:
    """Civil: every annotator called it healthy and none marked any unhealthy attribute
    (a "healthy" majority alone still lets through "what an idiot" and "you are a raving
    lunatic"). Abusive: hostile or antagonising. The rest is neither, so left out."""
    if row["hostile"] == "1" or row["antagonize"] == "1":
        return {"toxic": 1, "hate": None, "threat": None, "insult": None}
    unanimous = float(row["healthy:confidence"] or 0) >= 0.99
    if row["healthy"] == "1" and unanimous and not any(float(row[a] or 0) for a in UCC_ATTRIBUTES):
        return _civil()
    return None


def split_identity_terms(root: Path) -> tuple[frozenset[str], frozenset[str]]:
    """The identity words of the template sentences, split in two by hash: sentences with
    a word of the first half may be trained on, the others only measured."""
    words: set[str] = set()
    for row in _rows(root / "toxicity" / "en_sentence_templates.csv"):
        if row["template"] == "verb_adj":
            words.update(row["phrase"].lower().split()[1:])
    train = frozenset(w for w in words if hashlib.sha256(w.encode()).digest()[0] < 128)
    return train, frozenset(words - train)


def load_suite(path: Path) -> list[tuple[str, str, int]]:
    """The functional suite: (group, text, 1 if it must be held else 0)."""
    return [
        (row["group"], row["text"], int(row["label"] == "hold"))
        for row in _rows(path)
        if row.get("text")
    ]
