#!/usr/bin/env python3
"""Where the time of one post goes: the posting action with every scorer on, timed by
phase, in-process (no HTTP), on a fresh SQLite database with the bench kit's texts.

    .venv/bin/python bench/post_phases.py [--posts 300]
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT.parent / "shared" / "bench")]
os.environ["THREADLINE_DATA_DIR"] = tempfile.mkdtemp(prefix="tl-post-phases-")
os.environ["THREADLINE_DATABASE_URL"] = f"sqlite:///{os.environ['THREADLINE_DATA_DIR']}/db.sqlite3"
os.environ["THREADLINE_RATE_LIMIT_POST_IP"] = ""
os.environ["THREADLINE_RATE_LIMIT_POST_AUTHOR"] = ""
os.environ["THREADLINE_LOG_LEVEL"] = "WARNING"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import commentgen  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from threadline.actions import comments as actions  # noqa: E402
from threadline.actions.sites import site_create  # noqa: E402
from threadline.actions.stories import story_create  # noqa: E402
from threadline.delivery import events  # noqa: E402
from threadline.domain.identity import Actor  # noqa: E402
from threadline.scoring.base import load_scorers  # noqa: E402

SPENT: collections.Counter[str] = collections.Counter()


def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[name] += time.perf_counter() - start

    return wrapper


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=300)
    n = ap.parse_args().posts
    call_command("migrate", verbosity=0)
    site = site_create(name="phases", origins=["https://phases.example"])
    story = story_create(site=site, url="https://phases.example/a", title="A")
    for scorer in load_scorers(tuple(settings.THREADLINE["SCORERS"])):
        scorer.score = timed("scorer " + scorer.name, scorer.score)  # type: ignore[method-assign]
    actions.comment_score = timed("all scorers", actions.comment_score)
    actions._comment_insert = timed("insert + counters + after-commit", actions._comment_insert)
    events.comment_changed = timed("  of which after-commit side effects", events.comment_changed)
    thread = commentgen.make_thread(n, 9)
    start = time.perf_counter()
    for i, c in enumerate(thread):
        actor = Actor(guest_key=f"g{i % 40}", ip=f"10.0.{i % 7}.1")
        try:
            actions.comment_post(
                story=story,
                actor=actor,
                body=c["text"],
                author_name=c["author"] or "x",
                author_email=c["email"] or "",
            )
        except Exception as exc:  # noqa: BLE001 - nudges and holds are part of the mix
            SPENT["refused: " + type(exc).__name__] += 0
    total = time.perf_counter() - start
    print(f"{n / total:.0f} posts/s, {total / n * 1000:.2f} ms per post (in-process, no HTTP)")
    for name, seconds in sorted(SPENT.items(), key=lambda kv: -kv[1]):
        print(f"  {name:40s} {seconds / n * 1000:.2f} ms")


if __name__ == "__main__":
    main()
