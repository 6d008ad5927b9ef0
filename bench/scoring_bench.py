"""Latency of the inline scoring pipeline: each scorer and the whole chain, per comment.

    .venv/bin/python bench/scoring_bench.py [--n 500]

Uses a throwaway SQLite test database with 300 recent comments on the site, and texts from
the Wikipedia toxicity test set when ../shared is present (else a few built-in ones).
Prints median, 95th and 99th percentiles in milliseconds; the model load time is shown
apart. The transformer (``semantic``) runs only where the rules before it leave a comment
undecided, as in posting (``comment_score``), so its row counts the comments it read.
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

FALLBACK = [
    "Thanks for the report.",
    "I disagree, the ceasefire won't hold. " * 5,
    "you are a fucking idiot",
    "Source: https://www.example.org/a " + "word " * 80,
]


def texts(n: int) -> list[str]:
    path = (
        ROOT.parent
        / "shared"
        / "fixtures"
        / "toxicity"
        / "wikipedia-toxicity_nonfuzzed_testset.csv"
    )
    if not path.exists():
        return (FALLBACK * n)[:n]
    with path.open(newline="", encoding="utf-8") as fp:
        rows = [r["comment"].strip() for r in csv.DictReader(fp)]
    return (rows * (n // len(rows) + 1))[:n]


def ms(values: list[float]) -> str:
    values = sorted(values)
    if not values:
        return "not run"
    median, p95 = statistics.median(values), values[int(len(values) * 0.95)]
    p99 = values[min(int(len(values) * 0.99), len(values) - 1)]
    return (
        f"median {median * 1000:7.3f} ms   p95 {p95 * 1000:7.3f} ms   p99 {p99 * 1000:7.3f} ms"
        f"   ({len(values)} runs)"
    )


def main() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from threadline.models import Comment, Commenter, Site, Story
    from threadline.scoring.base import ScoringContext, load_scorers
    from threadline.scoring.semantic import load_model
    from threadline.scoring.wordlists import DEFAULT_SUSPECT_WORDS

    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    args = parser.parse_args()
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    site = Site.objects.create(
        name="bench",
        suspect_words=DEFAULT_SUSPECT_WORDS,
        banned_words="fuck\ncunt\nshit",
        denied_domains="spam.example",
    )
    story = Story.objects.create(site=site, url="https://bench.example/a")
    who = Commenter.objects.create(site=site, key="k", comments_total=3, comments_published=3)
    sample = texts(args.n)
    Comment.objects.bulk_create(
        Comment(
            site=site, story=story, author_name="x", body=b, body_html=b, created_at=timezone.now()
        )
        for b in sample[:300]
    )
    started = time.perf_counter()
    load_model().predict("Thanks for the article.")
    print(f"model load (once per process): {(time.perf_counter() - started) * 1000:.0f} ms")
    scorers = load_scorers(tuple(settings.THREADLINE["SCORERS"]))
    gc.freeze()  # as `threadline serve` does once its worker has loaded all this
    per: dict[str, list[float]] = {s.name: [] for s in scorers}
    total: list[float] = []
    cpu: list[float] = []  # CPU time of this process: what a busy machine does not inflate
    from threadline.actions.moderation import comment_score

    timed = [_Timed(scorer, per[scorer.name]) for scorer in scorers]
    for text in sample:
        ctx = ScoringContext(
            site=site,
            story=story,
            body=text,
            text=text,
            commenter=who,
            ip="10.0.0.1",
            now=timezone.now(),
        )
        t0, c0 = time.perf_counter(), time.process_time()
        comment_score(ctx=ctx, scorers=timed)
        total.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    lengths = sorted(len(t) for t in sample)
    print(
        f"{len(sample)} comments, median length {lengths[len(lengths) // 2]} chars, "
        f"{os.cpu_count()} CPUs"
    )
    for name, values in per.items():
        print(f"  {name:14s} {ms(values)}")
    print(f"  {'pipeline':14s} {ms(total)}")
    load = os.getloadavg()[0]
    print(f"  {'pipeline CPU':14s} {ms(cpu)}   (process CPU time; load average {load:.1f})")


class _Timed:
    """A scorer that records how long each of its runs takes."""

    def __init__(self, scorer: object, into: list[float]) -> None:
        self.scorer, self.into = scorer, into
        self.name = scorer.name  # type: ignore[attr-defined]
        self.is_model = getattr(scorer, "is_model", False)

    def score(self, ctx: object) -> object:
        t0 = time.perf_counter()
        try:
            return self.scorer.score(ctx)  # type: ignore[attr-defined]
        finally:
            self.into.append(time.perf_counter() - t0)


if __name__ == "__main__":
    main()
