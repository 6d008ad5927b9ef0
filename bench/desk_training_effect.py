#!/usr/bin/env python3
"""How training on a site's desk decisions changes the model's figures.

A fresh site gets the long-form Jigsaw sample (../shared/fixtures/toxicity, 282 rows with
human labels) as its desk history: each comment held, then approved or rejected by a
moderator according to its label. Then, as an operator would:

    threadline moderation evaluate ...            (the shipped model)
    threadline moderation train --site effect --base-data ../shared/fixtures/toxicity
    threadline moderation evaluate ... --site effect   (the site's model)

both on the Wikipedia test set (never trained on) and the identity templates.

    .venv/bin/python bench/desk_training_effect.py
"""

from __future__ import annotations

import csv
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "fixtures" / "toxicity"
sys.path.insert(0, str(ROOT))
os.environ["THREADLINE_DATA_DIR"] = tempfile.mkdtemp(prefix="tl-desk-effect-")
os.environ["THREADLINE_DATABASE_URL"] = f"sqlite:///{os.environ['THREADLINE_DATA_DIR']}/db.sqlite3"
os.environ["THREADLINE_LOG_LEVEL"] = "WARNING"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from threadline.actions.comments import comment_insert_trusted  # noqa: E402
from threadline.actions.moderation_desk import comment_approve, comment_reject  # noqa: E402
from threadline.actions.sites import site_add_moderator, site_create  # noqa: E402
from threadline.actions.stories import story_create  # noqa: E402


def desk_history() -> tuple[int, int]:
    site = site_create(name="effect", origins=["https://effect.example"])
    mod = get_user_model().objects.create_user("mod", password="a long passphrase 1")
    site_add_moderator(site=site, user=mod)
    story = story_create(site=site, url="https://effect.example/a", title="A")
    approved = rejected = 0
    with (SHARED / "jigsaw-toxic-comment-train-sample.csv").open(newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            comment = comment_insert_trusted(
                story=story,
                parent=None,
                author_name=f"r{i}",
                body=row["comment_text"][:10_000],
                status="pending",
            )
            if row["toxic"] == "1":
                comment_reject(comment=comment, actor=mod, reason_code="harassment")
                rejected += 1
            else:
                comment_approve(comment=comment, actor=mod)
                approved += 1
    return approved, rejected


def evaluate(site: str = "") -> None:
    args = [
        "moderation",
        "evaluate",
        "--dataset",
        str(SHARED / "wikipedia-toxicity_nonfuzzed_testset.csv"),
        "--text-column",
        "comment",
        "--label-column",
        "toxic",
        "--identity-csv",
        str(SHARED / "en_sentence_templates.csv"),
    ]
    call_command(*args, *(["--site", site] if site else []))


if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    print("desk history (approved, rejected):", desk_history(), flush=True)
    print("\n== shipped model ==", flush=True)
    evaluate()
    print(
        "\n== after `moderation train --site effect --base-data ../shared/fixtures/toxicity` ==",
        flush=True,
    )
    call_command("moderation", "train", "--site", "effect", "--base-data", str(SHARED))
    evaluate("effect")
