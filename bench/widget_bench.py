#!/usr/bin/env python3
"""The widget in headless Chromium against a real Threadline server (uvicorn, WhiteNoise).

    .venv/bin/python bench/widget_bench.py [--runs 5]

Loads the bench kit's 1,000- and 10,000-comment threads (../shared/bench/commentgen.py
make_thread) into bench/work/widget/ once, starts `manage.py serve`, serves a host page
from another port, and measures per run (medians printed):

- 1,000 comments, whole thread in one request (data-threadline-limit=1000): script start
  (embed.js loaded) -> thread painted; API response end -> thread painted (the widget's
  own work: build, insert, layout, paint); the widget's renderMs (DOM build only);
- 10,000 comments, first page (50 top-level threads with their replies): navigation start
  -> painted, and load event -> painted;
- bytes transferred (body + headers, as the network saw them) for embed.js and the API.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work" / "widget"
KIT = ROOT.parent / "shared" / "bench"
PY = sys.executable
SIZES = (1000, 10000)
# Recorded before any page script runs: when the thread was painted (two frames after the
# threadline:loaded event, i.e. after layout and paint of the inserted DOM).
PAINT_PROBE = """
document.addEventListener('threadline:loaded', (e) => {
  window.__tl = {loaded: performance.now(), renderMs: e.detail.renderMs};
  const done = () => { window.__tl.painted = performance.now(); };
  requestAnimationFrame(() => requestAnimationFrame(done));
});
"""


def _env(port: int = 0) -> dict[str, str]:
    env = dict(
        os.environ,
        THREADLINE_DATA_DIR=str(WORK),
        DJANGO_SETTINGS_MODULE="config.settings",
        THREADLINE_SCORERS="none",
        THREADLINE_RATE_LIMIT_POST_IP="",
    )
    env.pop("THREADLINE_DATABASE_URL", None)
    return env


def _prepare_data(host_origin_port: int) -> None:
    """Migrate, collect static files and load both threads once (kept in bench/work)."""
    if not (KIT / "commentgen.py").exists():
        sys.exit(f"{KIT}/commentgen.py is missing (the bench kit lives beside the checkout)")
    WORK.mkdir(parents=True, exist_ok=True)
    manage = [PY, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=_env(), check=True, cwd=ROOT)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=_env(), check=True, cwd=ROOT)
    code = f"""
import sys, time
sys.path.insert(0, {str(KIT)!r})
import django; django.setup()
from django.db import transaction
from commentgen import make_thread
from threadline.actions.comments import comment_insert_trusted
from threadline.actions.sites import site_create
from threadline.models import Site, Story
site = Site.objects.filter(name="widget-bench").first() or site_create(name="widget-bench")
site.allowed_origins = ["http://127.0.0.1:{host_origin_port}"]
site.save(update_fields=["allowed_origins"])
for n in {SIZES!r}:
    url = f"http://127.0.0.1:{host_origin_port}/t{{n}}"
    story = Story.objects.filter(site=site, title=f"t{{n}}").first()
    if story is not None:
        Story.objects.filter(pk=story.pk).update(url=url)
        continue
    story = Story.objects.create(site=site, url=url, title=f"t{{n}}")
    made, t0 = {{}}, time.perf_counter()
    with transaction.atomic():
        for c in make_thread(n):
            parent = made.get(c["parent"]) if c["parent"] is not None else None
            made[c["idx"]] = comment_insert_trusted(story=story, parent=parent,
                author_name=c["author"], author_email=c["email"] or "", body=c["text"],
                source="bench")
    print(f"loaded {{n}} comments in {{time.perf_counter() - t0:.0f}} s", flush=True)
"""
    with open(WORK / "load.log", "w") as log:  # the eager jobs log a line per comment
        subprocess.run([PY, "-c", code], env=_env(), check=True, cwd=ROOT, stderr=log)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_server(port: int) -> subprocess.Popen:
    log = open(WORK / "server.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [PY, str(ROOT / "manage.py"), "serve", "--port", str(port)],
        env=_env(),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/threadline/embed.js", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    sys.exit(f"server did not start; see {WORK / 'server.log'}")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


def _host_pages(root: Path, port: int, api: str) -> None:
    for n, extra in ((1000, ' data-threadline-limit="1000"'), (10000, "")):
        (root / f"t{n}.html").write_text(
            f'<!doctype html><meta charset="utf-8"><title>t{n}</title><h1>Story</h1>'
            f'<div id="threadline" data-threadline-url="http://127.0.0.1:{port}/t{n}"'
            f' data-threadline-poll="0"{extra}></div>\n'
            f'<script src="{api}/static/threadline/embed.js" async></script>',
            encoding="utf-8",
        )


def _measure(browser: Any, url: str, api: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(PAINT_PROBE)
    sizes: dict[str, int] = {"embed": 0, "api": 0}

    def finished(request: Any) -> None:
        s = request.sizes()
        kind = (
            "embed" if request.url.endswith("embed.js") else "api" if "/api/" in request.url else ""
        )
        if kind:
            sizes[kind] += s["responseBodySize"] + s["responseHeadersSize"]

    page.on("requestfinished", finished)
    # What gzip would make of the API bodies (the server sends them uncompressed).
    gz = {"api": 0}

    def body(response: Any) -> None:
        if "/api/" in response.url and response.status == 200:
            gz["api"] += len(gzip.compress(response.body()))

    page.on("response", body)
    page.goto(url)
    page.wait_for_function("() => window.__tl && window.__tl.painted", timeout=60_000)
    t = page.evaluate("""() => {
        const r = performance.getEntriesByType('resource');
        const js = r.find(e => e.name.endsWith('/embed.js'));
        const thread = r.filter(e => e.name.includes('/comments?')).pop();
        const nav = performance.getEntriesByType('navigation')[0];
        const root = document.querySelector('#threadline').shadowRoot;
        return {script: js.responseEnd, data: thread.responseEnd, load: nav.loadEventStart,
                painted: __tl.painted, renderMs: __tl.renderMs,
                comments: root.querySelectorAll('.tl-comment').length,
                tops: root.querySelectorAll('.tl-list>.tl-comment').length};
    }""")
    page.wait_for_timeout(100)  # let requestfinished events land
    context.close()
    return {**t, "embed_bytes": sizes["embed"], "api_bytes": sizes["api"], "api_gz": gz["api"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    host_root = WORK / "host"
    shutil.rmtree(host_root, ignore_errors=True)
    host_root.mkdir(parents=True)
    host = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(host_root))
    )
    hport = host.server_address[1]
    threading.Thread(target=host.serve_forever, daemon=True).start()
    _prepare_data(hport)
    port = _free_port()
    api = f"http://127.0.0.1:{port}"
    server = _start_server(port)
    _host_pages(host_root, hport, api)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            _measure(browser, f"http://127.0.0.1:{hport}/t1000.html", api)  # warm caches
            big = [
                _measure(browser, f"http://127.0.0.1:{hport}/t1000.html", api)
                for _ in range(args.runs)
            ]
            first = [
                _measure(browser, f"http://127.0.0.1:{hport}/t10000.html", api)
                for _ in range(args.runs)
            ]
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
        host.shutdown()
    _report(big, first, args.runs)


def _bytes(run: dict[str, float]) -> None:
    js = ROOT / "threadline" / "static" / "threadline" / "embed.js"
    print(
        f"  bytes on the wire: embed.js {run['embed_bytes']:,}, API {run['api_bytes']:,}"
        f" (gzipped: embed.js {len(gzip.compress(js.read_bytes())):,}, API {run['api_gz']:,})"
    )


def _report(big: list[dict[str, float]], first: list[dict[str, float]], runs: int) -> None:
    def line(label: str, rows: list[dict[str, float]], f: Any, note: str = "") -> None:
        print(f"  {label:<36}{statistics.median(f(r) for r in rows):7.0f} ms{note}")

    print(f"widget bench: headless Chromium, {os.cpu_count()} CPUs, median of {runs} runs")
    b, f = big[0], first[0]
    print(f"1,000-comment thread ({b['comments']} comments, {b['tops']} top-level, one request):")
    line("script start -> thread painted", big, lambda r: r["painted"] - r["script"])
    line(
        "data arrived -> thread painted",
        big,
        lambda r: r["painted"] - r["data"],
        "   (target <= 300 ms)",
    )
    line("of which DOM build (renderMs)", big, lambda r: r["renderMs"])
    _bytes(b)
    print(f"10,000-comment thread, first page ({f['tops']} top-level, {f['comments']} comments):")
    line("navigation start -> painted", first, lambda r: r["painted"], "   (target <= 500 ms)")
    line("load event -> painted", first, lambda r: r["painted"] - r["load"])
    line("data arrived -> painted", first, lambda r: r["painted"] - r["data"])
    _bytes(f)


if __name__ == "__main__":
    main()
