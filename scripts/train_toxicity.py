"""Rebuild the shipped toxicity model from the public data sets and print its evaluation.

    .venv/bin/python scripts/train_toxicity.py [--data ../shared/fixtures/toxicity] [--out PATH]

Trains on Davidson, HateXplain, the Jigsaw sample and a share of the identity templates
(half of the ``name_adj`` first names); evaluates on the Wikipedia toxicity test set and on
the templates not used in training. Prints one JSON document.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

CIVIL = [
    "Thanks for the report.",
    "I disagree, the ceasefire won't hold.",
    "Here is the source: https://www.example.org/report.pdf",
    "Does anyone know when the council votes on this?",
    "I am Jewish and I found this piece balanced.",
    "As a gay man I appreciate this coverage.",
]
TOXIC = [
    "Mexicans are filthy animals",
    "you are a fucking idiot",
    "shut up you stupid bitch",
    "I hope you and your family die",
]


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
    args = parser.parse_args()

    train_names, eval_names = train.split_template_names(args.data)
    data = train.load_training(args.data, template_names=train_names)
    started = time.perf_counter()
    path = train.write_model(train.fit(data.texts, data.labels), args.out)
    took = time.perf_counter() - started
    model = ToxicityModel.load(path)
    wiki_texts, wiki_labels = train.load_wikipedia_test(args.data)
    id_texts, id_labels, _ = train.load_identity_templates(args.data, exclude_names=train_names)
    report = train.evaluate(
        wiki_texts,
        wiki_labels,
        model.predict_many,
        {"hold": 0.7, "warn": 0.8},
        identity_texts=id_texts,
        identity_labels=id_labels,
    )
    sources = {s: data.sources.count(s) for s in dict.fromkeys(data.sources)}
    print(
        json.dumps(
            {
                "model": model.version,
                "path": str(path),
                "bytes": path.stat().st_size,
                "train_seconds": round(took, 1),
                "training_examples": sources,
                "wikipedia_test": {k: v for k, v in report.items() if k != "identity"},
                "identity_templates": report.get("identity"),
                "examples": {t: round(model.predict(t), 3) for t in CIVIL + TOXIC},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
