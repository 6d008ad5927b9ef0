#!/usr/bin/env python3
"""Load the benchmark kit's generated threads (../shared/bench, data/threads/thread-N.json)
into a Threadline database: story id N holds the N-comment thread (so GET URLs can name
the size), story 1 receives the POST case. The same comments, parents and order as Isso got.

    THREADLINE_DATA_DIR=bench/work/tl python bench/load_threadline.py bench/work/data/threads
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from threadline.actions.comments import comment_insert_trusted  # noqa: E402
from threadline.actions.sites import site_create, site_update_settings  # noqa: E402
from threadline.models import Site, Story  # noqa: E402


def main(threads_dir: str) -> None:
    site = Site.objects.filter(name="bench").first() or site_create(
        name="bench", origins=["http://127.0.0.1:9"]
    )
    # The POST case replies to comments it posted a moment before. Posted from one address
    # at hundreds a second, those trip the flood rule and are held, as they should be; the
    # site lets readers reply to held comments so the bench's replies are taken (and scored)
    # as Isso takes them, rather than refused with 409 parent_not_open.
    site_update_settings(site=site, actor=None, changes={"allow_replies_to_held": True})
    Story.objects.get_or_create(
        pk=1, defaults={"site": site, "url": "http://127.0.0.1:9/bench/post", "title": "bench post"}
    )
    for path in sorted(
        Path(threads_dir).glob("thread-*.json"), key=lambda p: int(p.stem.split("-")[1])
    ):
        size = int(path.stem.split("-")[1])
        if Story.objects.filter(pk=size).exists():
            print(f"size={size} already loaded")
            continue
        story = Story.objects.create(
            pk=size,
            site=site,
            url=f"http://127.0.0.1:9/bench/t{size}",
            title=f"Bench thread {size}",
        )
        made = {}
        t0 = time.perf_counter()
        for c in json.loads(path.read_text()):
            parent = made.get(c["parent"]) if c["parent"] is not None else None
            made[c["idx"]] = comment_insert_trusted(
                story=story,
                parent=parent,
                author_name=c["author"] or "Anonymous",
                author_email=c["email"] or "",
                body=c["text"],
                source="bench",
            )
        dt = time.perf_counter() - t0
        print(f"loaded size={size} seconds={dt:.1f} rate={size / dt:.0f}/s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
