"""The widget's size budget (docs/embed.md): what every reader of every article downloads,
so a feature pays for itself within it."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[1] / "threadline" / "static" / "threadline"


@pytest.mark.parametrize(("name", "budget"), [("embed.js", 30 * 1024), ("count.js", 2 * 1024)])
def test_the_widget_scripts_stay_within_their_gzipped_budget(name: str, budget: int) -> None:
    # Level 6, as `gzip -c` (the check docs/embed.md gives) and most servers compress.
    size = len(gzip.compress((STATIC / name).read_bytes(), compresslevel=6, mtime=0))
    assert size <= budget, f"{name} is {size} bytes gzipped; the budget is {budget}"
