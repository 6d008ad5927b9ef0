"""Rebuild the shipped toxicity model from the public data sets, choose the default site
thresholds on a validation split, and print the evaluation.

    .venv/bin/python scripts/train_toxicity.py [--data ../shared/fixtures/toxicity] [--out PATH]
        [--hold-fpr 0.03] [--warn-fpr 0.06]

1. Davidson, HateXplain, the Jigsaw sample (weighted x10) and a share of the identity
   templates are split 80 / 20 by a hash of the text.
2. A model fitted on the 80 % scores the 20 %; the hold threshold is the lowest at which at
   most ``--hold-fpr`` of the civil validation negatives (Davidson "neither", Jigsaw clean,
   templates) score at or above it; the warn ("think twice") threshold likewise with
   ``--warn-fpr``.
3. The shipped model is fitted on all the training data, with those thresholds stored in it.
4. It is evaluated on the Wikipedia toxicity test set (never used above) and on the
   identity templates not trained on, alone and together with the text rules.
Prints one JSON document.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

EXAMPLES = [
    "Thanks for the report.",
    "I disagree, the ceasefire won't hold.",
    "Does anyone know when the council votes on this?",
    "I am Jewish and I found this piece balanced.",
    "As a gay man I appreciate this coverage.",
    "Mexicans are filthy animals",
    "you are a fucking idiot",
    "shut up you stupid bitch",
    "I hope you and your family die",
]


def _validate(train: Any, data: Any, args: argparse.Namespace) -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score

    from threadline.scoring.classifier import ToxicityModel

    fit_part, val = data.split()
    model = ToxicityModel(
        train.fit(fit_part.texts, fit_part.labels, sample_weight=fit_part.weights()),
        digest="validation",
    )
    scores = np.asarray(model.predict_many(val.texts))
    labels, sources = np.asarray(val.labels), np.asarray(val.sources)
    civil = np.isin(sources, list(train.CIVIL_SOURCES)) | (labels == 1)
    hold = train.threshold_for_fpr(scores[civil], labels[civil], args.hold_fpr)
    warn = train.threshold_for_fpr(scores[civil], labels[civil], args.warn_fpr)

    def at(t: float) -> dict[str, float]:
        neg = labels == 0
        return {
            "recall": round(float(np.mean(scores[labels == 1] >= t)), 4),
            "civil_fpr": round(float(np.mean(scores[civil & neg] >= t)), 4),
            "hatexplain_normal_fpr": round(
                float(np.mean(scores[neg & (sources == "hatexplain")] >= t)), 4
            ),
        }

    return {
        "rows": len(val.texts),
        "positives": int(labels.sum()),
        "roc_auc": round(float(roc_auc_score(labels, scores)), 4),
        "thresholds": {"hold": hold, "warn": warn},
        "at_hold": at(hold),
        "at_warn": at(warn),
        "at_0.7": at(0.7),
        "at_0.5": at(0.5),
    }


def _with_rules(
    texts: list[str], labels: list[int], scores: list[float], hold: float
) -> dict[str, float]:
    from threadline.scoring.offline import rule_holds

    y, s = np.asarray(labels), np.asarray(scores)
    held = np.asarray(rule_holds(texts)) | (s >= hold)
    return {
        "recall": round(float(np.mean(held[y == 1])), 4),
        "precision": round(float(np.mean(y[held])), 4) if held.any() else 0.0,
        "false_positive_rate": round(float(np.mean(held[y == 0])), 4),
    }


def main() -> None:
    import django

    django.setup()
    from threadline.scoring import train
    from threadline.scoring.classifier import DEFAULT_MODEL, ToxicityModel

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=ROOT.parent / "shared" / "fixtures" / "toxicity"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--hold-fpr", type=float, default=0.03)
    parser.add_argument("--warn-fpr", type=float, default=0.06)
    args = parser.parse_args()

    train_names, eval_names = train.split_template_names(args.data)
    data = train.load_training(args.data, template_names=train_names)
    started = time.perf_counter()
    validation = _validate(train, data, args)
    content = train.fit(data.texts, data.labels, sample_weight=data.weights())
    content["thresholds"] = validation["thresholds"]
    content["validation"] = validation
    path = train.write_model(content, args.out)
    took = time.perf_counter() - started
    model = ToxicityModel.load(path)
    hold, warn = validation["thresholds"]["hold"], validation["thresholds"]["warn"]
    wiki_texts, wiki_labels = train.load_wikipedia_test(args.data)
    id_texts, id_labels, _ = train.load_identity_templates(args.data, exclude_names=train_names)
    report = train.evaluate(
        wiki_texts,
        wiki_labels,
        model.predict_many,
        {"hold": hold, "warn": warn, "old_hold_0.7": 0.7},
        identity_texts=id_texts,
        identity_labels=id_labels,
    )
    wiki_scores = model.predict_many(wiki_texts)
    sources = {s: data.sources.count(s) for s in dict.fromkeys(data.sources)}
    print(
        json.dumps(
            {
                "model": model.version,
                "path": str(path),
                "bytes": path.stat().st_size,
                "train_seconds": round(took, 1),
                "training_examples": sources,
                "source_weights": train.SOURCE_WEIGHTS,
                "validation": validation,
                "wikipedia_test": {k: v for k, v in report.items() if k != "identity"},
                "wikipedia_test_model_or_rules": {
                    "at_hold": _with_rules(wiki_texts, wiki_labels, wiki_scores, hold),
                    "at_warn": _with_rules(wiki_texts, wiki_labels, wiki_scores, warn),
                },
                "identity_templates": report.get("identity"),
                "examples": {t: round(model.predict(t), 3) for t in EXAMPLES},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
