"""Load mix on loopback: 95 % thread reads, 5 % posts, on a story of 1,000 comments.

    .venv/bin/python bench/load_mix.py --duration 60                      # embedded default
    .venv/bin/python bench/load_mix.py --duration 60 --web 2 \\
        --postgres postgres://postgres@127.0.0.1:5432/postgres --redis redis://127.0.0.1:6379/15

Starts its own web processes on a fresh database (a temporary SQLite file, or a PostgreSQL
database it creates and drops) and prints requests/s, p50/p95/p99 latency and errors.
Client load comes from several processes so the client is not the bottleneck.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.production import servers  # noqa: E402


def client(
    ports: list[int],
    story: int,
    duration: float,
    threads: int,
    post_share: float,
    out: mp.Queue,
    seed: int,
) -> None:
    import threading

    lat_read: list[float] = []
    lat_post: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + duration

    def run(n: int) -> None:
        rnd = random.Random(seed * 1000 + n)
        port = ports[n % len(ports)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        reads, posts, errs = [], [], []
        while time.monotonic() < stop_at:
            post = rnd.random() < post_share
            start = time.perf_counter()
            try:
                if post:
                    body = json.dumps(
                        {"body": f"Load comment {rnd.random()}", "author_name": f"Load {n}"}
                    )
                    conn.request(
                        "POST",
                        f"/api/v1/stories/{story}/comments",
                        body,
                        {
                            "Content-Type": "application/json",
                            "X-Threadline-Guest": f"load-{seed}-{n}",
                        },
                    )
                else:
                    conn.request("GET", f"/api/v1/stories/{story}/comments?limit=50")
                resp = conn.getresponse()
                resp.read()
                elapsed = time.perf_counter() - start
                if resp.status >= 400:
                    errs.append(str(resp.status))
                (posts if post else reads).append(elapsed)
            except (OSError, http.client.HTTPException) as exc:
                errs.append(type(exc).__name__)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        with lock:
            lat_read.extend(reads)
            lat_post.extend(posts)
            errors.extend(errs)

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    out.put((lat_read, lat_post, errors))


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000


def run(args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="tl-load-") as tmp_name:
        tmp = Path(args.logs or tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        db = servers.Database(tmp, args.postgres)
        db.create()
        extra = {"THREADLINE_REDIS_URL": args.redis} if args.redis else {}
        env = servers.base_env(tmp, db.url, **extra)
        procs: list[servers.Proc] = []
        try:
            servers.manage(env, "migrate", "--noinput", "-v0")
            story = servers.seed(env, comments=args.comments)["story"]
            ports = [servers.free_port() for _ in range(args.web)]
            procs = [servers.web(env, p, tmp / f"web{i}.log") for i, p in enumerate(ports)]
            for p in ports:
                servers.wait_http(f"http://127.0.0.1:{p}/healthz")
            out: mp.Queue = mp.Queue()
            clients = [
                mp.Process(
                    target=client,
                    args=(ports, story, args.duration, args.threads, args.post_share, out, i),
                )
                for i in range(args.clients)
            ]
            started = time.monotonic()
            for c in clients:
                c.start()
            results = [out.get() for _ in clients]
            for c in clients:
                c.join()
            wall = time.monotonic() - started
        finally:
            for proc in procs:
                proc.stop()
            db.drop()
    reads = [x for r in results for x in r[0]]
    posts = [x for r in results for x in r[1]]
    errors = [x for r in results for x in r[2]]
    total = len(reads) + len(posts)
    return {
        "mode": ("postgres" if args.postgres else "sqlite") + ("+redis" if args.redis else ""),
        "web_processes": args.web,
        "duration_s": round(wall, 1),
        "requests": total,
        "requests_per_s": round(total / wall, 1),
        "reads": len(reads),
        "posts": len(posts),
        "errors": len(errors),
        "error_kinds": sorted(set(errors))[:5],
        "read_ms": {p: round(pct(reads, p), 1) for p in (50, 95, 99)},
        "post_ms": {p: round(pct(posts, p), 1) for p in (50, 95, 99)},
        "all_p99_ms": round(pct(reads + posts, 99), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=600, help="seconds (default 600)")
    parser.add_argument("--web", type=int, default=1, help="web processes")
    parser.add_argument("--postgres", default="", help="PostgreSQL server URL (else SQLite)")
    parser.add_argument("--redis", default="", help="Redis URL (else per-process cache)")
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per client process")
    parser.add_argument("--post-share", type=float, default=0.05)
    parser.add_argument("--logs", default="", help="keep server logs in this directory")
    print(json.dumps(run(parser.parse_args()), indent=2))


if __name__ == "__main__":
    main()
