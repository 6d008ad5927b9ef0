"""Import benchmark: a generated Disqus export into a fresh SQLite database.

    .venv/bin/python bench/import_bench.py [--comments 1000000] [--per-thread 100] [--keep]

Prints the file size, comments/s (whole import: reading, staging and writing) and the
process's peak RSS (resource.getrusage). Targets: >= 10,000 comments/s, peak < 300 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
    'xmlns:dsq="http://disqus.com/disqus-internals">\n'
)


def generate(path: Path, comments: int, per_thread: int, seed: int = 7) -> None:
    """Threads first, then posts; ~30 % replies to an earlier post in the same thread."""
    rng = random.Random(seed)
    threads = max(1, comments // per_thread)
    with open(path, "w", encoding="utf-8") as out:
        out.write(HEAD)
        for t in range(threads):
            out.write(
                f'<thread dsq:id="{t + 1}"><id>t{t}</id><forum>bench</forum>'
                f"<link>https://bench.example/story/{t}</link><title>Story {t} — ünïcode"
                "</title><createdAt>2020-01-01T00:00:00Z</createdAt></thread>\n"
            )
        for n in range(comments):
            thread = n % threads + 1
            parent = ""
            if n >= threads and rng.random() < 0.3:
                earlier = n - threads * rng.randint(1, max(1, n // threads))
                parent = f'<parent dsq:id="{earlier + 1}"/>'
            person = rng.randint(1, 20000)
            out.write(
                f'<post dsq:id="{n + 1}"><id/><message><![CDATA[<p>Comment {n} on a story, '
                f'with <b>some</b> text &amp; a link <a href="https://ex.example/{n}">here</a>.'
                f"</p>]]></message><createdAt>2021-0{1 + n % 9}-1{n % 9}T12:{n % 60:02d}:00Z"
                f"</createdAt><isDeleted>false</isDeleted><isSpam>{str(n % 97 == 0).lower()}"
                f"</isSpam><author><email>person{person}@example.org</email><name>Person {person}"
                f"</name><isAnonymous>false</isAnonymous></author><ipAddress>10.0.{person % 256}.1"
                f'</ipAddress><thread dsq:id="{thread}"/>{parent}</post>\n'
            )
        out.write("</disqus>\n")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--per-thread", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="threadline-bench-"))
    os.environ["THREADLINE_DATA_DIR"] = str(work)
    os.environ["THREADLINE_DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["THREADLINE_REDIS_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    export = work / "export.xml"
    started = time.perf_counter()
    generate(export, args.comments, args.per_thread)
    print(
        f"generated {args.comments:,} comments, {export.stat().st_size / 1e6:,.0f} MB "
        f"in {time.perf_counter() - started:.1f} s"
    )

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from threadline.actions.imports import import_run
    from threadline.models import Comment, Site

    Site.objects.create(name="bench", allowed_origins=["https://bench.example"])
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu_before = _cpu()
    started = time.perf_counter()
    with open(export, "rb") as fp:
        report = import_run(site_name="bench", fp=fp)
    elapsed = time.perf_counter() - started
    cpu = _cpu() - cpu_before
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stored = Comment.objects.count()
    print(
        f"imported {report.created:,} comments ({stored:,} rows, {report.skipped_bad} bad) "
        f"into {report.stories_created:,} stories in {elapsed:.1f} s"
    )
    print(
        f"rate: {report.created / elapsed:,.0f} comments/s wall-clock (target >= 10,000); "
        f"{report.created / cpu:,.0f} comments per CPU-second ({cpu:.1f} s user+sys; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    print(f"peak RSS: {peak:,.0f} MB (before import {rss_before:,.0f} MB; target < 300 MB)")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
