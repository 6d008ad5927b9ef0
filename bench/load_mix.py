"""Load mix on loopback: 95 % thread reads, 5 % posts, on a story of 1,000 comments.

    .venv/bin/python bench/load_mix.py --duration 60                      # embedded default
    .venv/bin/python bench/load_mix.py --duration 60 --web 2 \\
        --postgres postgres://postgres@127.0.0.1:5432/postgres --redis redis://127.0.0.1:6379/15
    # production mode as deploy.md runs it: add a Celery worker (broker: the --redis URL)
    .venv/bin/python bench/load_mix.py --duration 60 --web 2 --worker 1 --postgres … --redis …

Starts its own web processes on a fresh database (a temporary SQLite file, or a PostgreSQL
database it creates and drops) and prints requests/s, p50/p95/p99 latency and errors.
Client load comes from several processes so the client is not the bottleneck.
`bench/load_mix_compare.py` runs this mix on Threadline and on the ../shared/bench peers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import random
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.production import servers  # noqa: E402


@dataclass(frozen=True)
class Target:
    """What the clients ask for: the read URL, and the post URL and body shape (``kind``
    is ``threadline`` or ``isso``; an empty ``post_path`` means the target takes no posts)."""

    ports: tuple[int, ...]
    read_path: str
    post_path: str = ""
    kind: str = "threadline"


def threadline_target(ports: list[int], story: int, read_query: str = "limit=50") -> Target:
    return Target(
        tuple(ports),
        f"/api/v1/stories/{story}/comments?{read_query}",
        f"/api/v1/stories/{story}/comments",
    )


def post_request(kind: str, rnd: random.Random, n: int, seed: int) -> tuple[str, dict[str, str]]:
    """One new comment's JSON body and headers, in the target's own API shape."""
    text = f"Load comment {rnd.random()}"
    headers = {"Content-Type": "application/json"}
    if kind == "isso":  # ../shared/bench/bench.py's body for Isso's POST /new?uri=
        body = {
            "text": text,
            "author": f"Load {n}",
            "email": f"load{n}@example.org",
            "parent": None,
            "title": "bench post",
        }
    else:
        body = {"body": text, "author_name": f"Load {n}"}
        headers["X-Threadline-Guest"] = f"load-{seed}-{n}"
    return json.dumps(body), headers


def client(
    target: Target,
    duration: float,
    threads: int,
    post_share: float,
    out: mp.Queue,
    seed: int,
    timeout: float = 30,
) -> None:
    lat_read: list[float] = []
    lat_post: list[float] = []
    errors: Counter[str] = Counter()
    tally = {"non_2xx": 0, "read_bytes": 0, "ok_reads": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + duration
    share = post_share if target.post_path else 0.0

    def run(n: int) -> None:
        rnd = random.Random(seed * 1000 + n)
        port = target.ports[n % len(target.ports)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        reads, posts, errs = [], [], Counter()
        non_2xx = read_bytes = ok_reads = 0
        while time.monotonic() < stop_at:
            post = rnd.random() < share
            start = time.perf_counter()
            try:
                if post:
                    body, headers = post_request(target.kind, rnd, n, seed)
                    conn.request("POST", target.post_path, body, headers)
                else:
                    conn.request("GET", target.read_path)
                resp = conn.getresponse()
                size = len(resp.read())
                elapsed = time.perf_counter() - start
                if not 200 <= resp.status < 300:
                    non_2xx += 1
                    errs[f"{'post' if post else 'read'} HTTP {resp.status}"] += 1
                elif not post:
                    read_bytes += size
                    ok_reads += 1
                (posts if post else reads).append(elapsed)
            except (OSError, http.client.HTTPException) as exc:
                errs[f"{'post' if post else 'read'} {type(exc).__name__}"] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        with lock:
            lat_read.extend(reads)
            lat_post.extend(posts)
            errors.update(errs)
            tally["non_2xx"] += non_2xx
            tally["read_bytes"] += read_bytes
            tally["ok_reads"] += ok_reads

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    usage = resource.getrusage(resource.RUSAGE_SELF)  # this client process since its fork
    tally["cpu_s"] = usage.ru_utime + usage.ru_stime
    out.put((lat_read, lat_post, dict(errors), tally))


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000


def percentiles(values: list[float]) -> dict[int, float | None]:
    """p50/p95/p99 in ms; None when nothing completed."""
    return {p: round(pct(values, p), 1) if values else None for p in (50, 95, 99)}


def busy_jiffies() -> int:
    """CPU time used by the whole machine so far (all cores, every process), in ticks."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    return sum(fields[i] for i in (0, 1, 2, 5, 6, 7))  # user nice system irq softirq steal


def measure(
    target: Target,
    *,
    duration: float,
    clients: int = 4,
    threads: int = 8,
    post_share: float = 0.05,
    timeout: float = 30,
) -> dict[str, object]:
    """Run the mix against ``target`` for ``duration`` seconds and sum up what came back."""
    out: mp.Queue = mp.Queue()
    procs = [
        mp.Process(target=client, args=(target, duration, threads, post_share, out, i, timeout))
        for i in range(clients)
    ]
    started, busy = time.monotonic(), busy_jiffies()
    for c in procs:
        c.start()
    results = [out.get() for _ in procs]
    for c in procs:
        c.join()
    wall = time.monotonic() - started
    busy = (busy_jiffies() - busy) / os.sysconf("SC_CLK_TCK")
    reads = [x for r in results for x in r[0]]
    posts = [x for r in results for x in r[1]]
    errors: Counter[str] = Counter()
    for r in results:
        errors.update(r[2])
    non_2xx = sum(r[3]["non_2xx"] for r in results)
    read_bytes = sum(r[3]["read_bytes"] for r in results)
    ok_reads = sum(r[3]["ok_reads"] for r in results)
    total = len(reads) + len(posts)
    return {
        "duration_s": round(wall, 1),
        "requests": total,
        "requests_per_s": round(total / wall, 1),
        "reads": len(reads),
        "posts": len(posts),
        "reads_per_s": round(len(reads) / wall, 1),
        "posts_per_s": round(len(posts) / wall, 1),
        "errors": sum(errors.values()),
        "errors_by_kind": dict(sorted(errors.items())),
        "non_2xx": non_2xx,
        "read_bytes_mean": round(read_bytes / max(1, ok_reads)),
        "read_ms": percentiles(reads),
        "post_ms": percentiles(posts),
        "all_p99_ms": round(pct(reads + posts, 99), 1),
        # % of one core (100 × cores = the whole machine): these clients, and everything
        # (servers, clients, other jobs) — the client's share shows when it is the limit
        "cpu_client_pct": round(100 * sum(r[3]["cpu_s"] for r in results) / wall),
        "cpu_machine_pct": round(100 * busy / wall),
    }


def forget_thread_pages(redis_url: str, story: int) -> None:
    """Drop cached pages of ``story`` left in Redis by an earlier run: the fresh database
    reuses the story id and versions, so an old page would be served as a cheap hit."""
    import redis

    conn = redis.Redis.from_url(redis_url)
    try:
        for key in conn.scan_iter(match=f"*tl:thread:{story}:*", count=1000):
            conn.delete(key)
    finally:
        conn.close()


def mode_name(args: argparse.Namespace) -> str:
    mode = ("postgres" if args.postgres else "sqlite") + ("+redis" if args.redis else "")
    return mode + (f"+{args.worker} celery worker" if args.worker else "")


def run(args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="tl-load-") as tmp_name:
        tmp = Path(args.logs or tmp_name)
        tmp.mkdir(parents=True, exist_ok=True)
        db = servers.Database(tmp, args.postgres)
        db.create()
        extra = {"THREADLINE_REDIS_URL": args.redis} if args.redis else {}
        broker = args.broker or (args.redis if args.worker else "")
        if broker:
            extra["THREADLINE_BROKER_URL"] = broker
        env = servers.base_env(tmp, db.url, **extra)
        procs: list[servers.Proc] = []
        try:
            servers.manage(env, "migrate", "--noinput", "-v0")
            story = servers.seed(env, comments=args.comments)["story"]
            if args.redis:
                forget_thread_pages(args.redis, story)
            ports = [servers.free_port() for _ in range(args.web)]
            procs = [servers.web(env, p, tmp / f"web{i}.log") for i, p in enumerate(ports)]
            procs += [servers.worker(env, tmp / f"worker{i}.log") for i in range(args.worker)]
            for p in ports:
                servers.wait_http(f"http://127.0.0.1:{p}/healthz")
            result = measure(
                threadline_target(ports, story, args.read_query),
                duration=args.duration,
                clients=args.clients,
                threads=args.threads,
                post_share=args.post_share,
                timeout=args.timeout,
            )
        finally:
            for proc in procs:
                proc.stop()
            db.drop()
    return {"mode": mode_name(args), "web_processes": args.web, **result}


def add_mix_options(parser: argparse.ArgumentParser) -> None:
    """The client options, shared with bench/load_mix_compare.py."""
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per client process")
    parser.add_argument("--post-share", type=float, default=0.05)
    parser.add_argument(
        "--read-query",
        default="limit=50",
        help="query of Threadline's thread read (limit=20000&depth=100: the whole thread)",
    )
    parser.add_argument("--timeout", type=float, default=30, help="client timeout, seconds")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=600, help="seconds (default 600)")
    parser.add_argument("--web", type=int, default=1, help="web processes")
    parser.add_argument("--worker", type=int, default=0, help="Celery worker processes")
    parser.add_argument("--postgres", default="", help="PostgreSQL server URL (else SQLite)")
    parser.add_argument("--redis", default="", help="Redis URL (else per-process cache)")
    parser.add_argument(
        "--broker", default="", help="Celery broker URL (default with --worker: --redis)"
    )
    add_mix_options(parser)
    parser.add_argument("--logs", default="", help="keep server logs in this directory")
    args = parser.parse_args()
    if args.worker and not (args.broker or args.redis):
        parser.error("--worker needs --broker or --redis")
    print(json.dumps(run(args), indent=2))


if __name__ == "__main__":
    main()
