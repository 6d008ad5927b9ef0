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
from threadline.scoring import semantic


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
    # Like the rejected comments, and the shipped model is unsure of it (one it is already
    # sure of, raw 0.98, has nowhere to go).
    probe = "Go back where you came from, the lot of you"
    before = semantic.load_model().predict(probe, memory=semantic.site_memory("alpha"))
    out = _run("train", "--site", "alpha", "--min-decisions", "5")
    assert "8 approved, 9 rejected" in out
    assert (tmp_path / "models" / "semantic-alpha.npz").exists()
    # The site's scores now lean toward its desk's decisions on similar comments.
    after = semantic.load_model().predict(probe, memory=semantic.site_memory("alpha"))
    assert after["score"] > before["score"]
    calm = "Thanks for the careful reporting on the convoy"
    memory = semantic.site_memory("alpha")
    assert semantic.load_model().predict(calm, memory=memory)["score"] < 0.51
    semantic.forget_site_memories()


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
    assert "ROC-AUC: 1.0000" in out
    assert "toxic held: 100.0%; civil held: 0.0%, civil nudged: 0.0%" in out
    assert "Functional suite:" in out and "civil_war_news" in out


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


def test_evaluate_reports_the_functional_suite_per_group(db: Any, tmp_path: Path) -> None:
    suite = tmp_path / "suite.csv"
    suite.write_text(
        "group,label,text\n"
        "threat,hold,I will find where you live and hurt you and your family.\n"
        "threat,publish,The shelling killed four people near the station overnight.\n"
        "thanks,publish,Thank you for the reporting.\n"
    )
    out = _run("evaluate", "--suite", str(suite), "--failures", "5")
    assert "Functional suite: 100.0% of 3 cases right" in out
    assert "threat" in out and "thanks" in out


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
