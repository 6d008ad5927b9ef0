"""``threadline moderation train | evaluate | backtest``."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tests.dashboard.world import World
from tests.factories import post_comment
from threadline.actions.moderation_desk import comment_approve, comment_reject


def _run(*args: str) -> str:
    out = StringIO()
    call_command("moderation", *args, stdout=out)
    return out.getvalue()


def test_backtest_prints_the_counts(world: World) -> None:
    out = _run("backtest", "--site", "alpha")
    assert "over 4 comments" in out
    assert "would differ for 1 of 4 comments" in out  # the spam a moderator rejected


def test_train_keeps_the_shipped_model_without_enough_decisions(world: World) -> None:
    out = _run("train", "--site", "alpha")
    assert "0 approved, 1 rejected" in out
    assert "shipped model stays in use" in out


def test_train_writes_a_site_model_from_desk_decisions(
    world: World, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    good = [
        "The convoy reached the city at dawn",
        "Thanks for the careful reporting",
        "The map is out of date, the front moved",
        "Where do the figures come from",
    ]
    bad = [
        "Go back where you came from vermin",
        "You people are filth and should die",
        "Filthy vermin all of them",
        "Die you worthless filth",
    ]
    for i, text in enumerate(good * 2):
        comment_approve(
            comment=post_comment(world.story, f"{text} ({i})", name=f"G{i}", confirm=True).comment,
            actor=world.moderator,
        )
    for i, text in enumerate(bad * 2):
        comment_reject(
            comment=post_comment(world.story, f"{text} ({i})", name=f"B{i}", confirm=True).comment,
            actor=world.moderator,
            reason_code="harassment",
        )
    out = _run("train", "--site", "alpha", "--min-decisions", "5")
    assert "8 approved, 9 rejected" in out
    assert (tmp_path / "models" / "toxicity-alpha.json.gz").exists()


def test_evaluate_prints_auc_precision_and_recall(db: Any, tmp_path: Path) -> None:
    dataset = tmp_path / "tiny.csv"
    with dataset.open("w", newline="") as fp:
        writer = csv.writer(fp)
        writer.writerow(["comment", "toxic"])
        writer.writerows(
            [
                ["Thank you for this thoughtful article.", "0"],
                ["I disagree with the second paragraph.", "0"],
                ["You are a fucking idiot, shut up.", "1"],
                ["Go to hell you stupid moron.", "True"],
            ]
        )
    out = _run(
        "evaluate", "--dataset", str(dataset), "--text-column", "comment", "--label-column", "toxic"
    )
    assert "examples: 4 (2 toxic)" in out
    assert "ROC-AUC:" in out and "precision" in out and "recall" in out


def test_evaluate_with_identity_templates(db: Any, tmp_path: Path) -> None:
    dataset = tmp_path / "tiny.csv"
    dataset.write_text("text,label\nnice,0\nyou idiot,1\n")
    identity = tmp_path / "identity.csv"
    identity.write_text(
        "template,toxicity,phrase\nx,nontoxic,i am a gay man\n"
        "x,nontoxic,i am a muslim woman\nx,toxic,i hate gay people\n"
    )
    out = _run(
        "evaluate",
        "--dataset",
        str(dataset),
        "--text-column",
        "text",
        "--label-column",
        "label",
        "--identity-csv",
        str(identity),
    )
    assert "identity-template false-positive rate" in out


def test_evaluate_names_a_missing_column(db: Any, tmp_path: Path) -> None:
    dataset = tmp_path / "tiny.csv"
    dataset.write_text("text,label\nnice,0\n")
    with pytest.raises(CommandError, match="no column body"):
        _run(
            "evaluate",
            "--dataset",
            str(dataset),
            "--text-column",
            "body",
            "--label-column",
            "label",
        )


def test_unknown_site_is_a_clear_error(db: Any) -> None:
    with pytest.raises(CommandError, match="No site named"):
        _run("backtest", "--site", "nope")
