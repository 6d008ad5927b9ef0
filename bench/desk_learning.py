#!/usr/bin/env python3
"""How a site's desk decisions change the semantic model (``SiteMemory``), on held-out text.

A simulated newsroom with its own standard: its moderators reject every comment that the
Globe and Mail annotators called unhealthy (hostile, antagonising, dismissive,
condescending, sarcastic or unfairly generalising), a stricter line than the shipped model
draws. Its desk decisions are N comments of the UCC ``val`` file
(``../shared/fixtures/toxicity-train/noncommercial``, never trained on); the figures are
measured on the UCC ``test`` file, which no decision came from:

- ROC-AUC for the site's standard, before and after learning from the decisions;
- the share of comments it would reject that the model holds when 3 % of the comments it
  accepts are held (the threshold chosen on the scores at hand, before and after).

    .venv/bin/python bench/desk_learning.py [--decisions 100,400,1600,4000]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
UCC = ROOT.parent / "shared" / "fixtures" / "toxicity-train" / "noncommercial"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def read(path: Path) -> tuple[list[str], np.ndarray]:
    texts, labels = [], []
    with path.open(newline="", encoding="utf-8") as fp:
        for row in csv.DictReader(fp):
            texts.append(row["comment"])
            labels.append(int(row["healthy"] != "1"))
    return texts, np.array(labels, dtype=np.float32)


def held_at(scores: np.ndarray, labels: np.ndarray, civil_share: float = 0.03) -> float:
    threshold = np.quantile(scores[labels == 0], 1 - civil_share)
    return float((scores[labels == 1] > threshold).mean())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decisions", default="100,400,1600,4000")
    args = parser.parse_args()
    import django

    django.setup()
    from threadline.scoring import semantic

    if not UCC.exists():
        sys.exit(f"{UCC} is missing")
    model = semantic.load_model()
    started = time.monotonic()
    desk_texts, desk_labels = read(UCC / "ucc-val.holdout-filtered.csv")
    test_texts, test_labels = read(UCC / "ucc-test.holdout-filtered.csv")
    desk, test = model.score(desk_texts), model.score(test_texts)
    desk_pooled, test_pooled = desk.pooled, test.pooled
    desk_raw, test_raw = desk.probs.max(axis=1), test.probs.max(axis=1)
    print(
        f"embedded {len(desk_texts)} + {len(test_texts)} comments in "
        f"{time.monotonic() - started:.0f} s; site standard: {int(test_labels.sum())} of "
        f"{len(test_labels)} test comments rejected"
    )
    order = sorted(
        range(len(desk_texts)), key=lambda i: hashlib.sha256(desk_texts[i].encode()).digest()
    )
    base_auc = roc_auc_score(test_labels, test_raw)
    print(f"{'decisions':>9} {'ROC-AUC':>8} {'held @3% civil':>15}")
    print(f"{0:>9} {base_auc:>8.4f} {held_at(test_raw, test_labels):>15.1%}   (shipped model)")
    for n in (int(x) for x in args.decisions.split(",")):
        idx = order[:n]
        if desk_labels[idx].min() == desk_labels[idx].max():
            continue
        memory = semantic.SiteMemory.fit(desk_pooled[idx], desk_raw[idx], desk_labels[idx])
        adjusted = memory.adjust(test_pooled, test_raw)
        auc = roc_auc_score(test_labels, adjusted)
        print(f"{n:>9} {auc:>8.4f} {held_at(adjusted, test_labels):>15.1%}")


if __name__ == "__main__":
    main()
