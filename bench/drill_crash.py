"""Crash drill: kill -9 a web process and the Celery worker during a burst of posts.

    .venv/bin/python bench/drill_crash.py --postgres postgres://postgres@127.0.0.1:5432/postgres \\
        --redis redis://127.0.0.1:6379/15

Two web processes and one worker (PostgreSQL, Redis broker) take posts from 16 threads for
--duration seconds; a third of the way in, web 0 and the worker are killed with SIGKILL and
restarted a second later. Afterwards it checks that every comment that got a 2xx is in the
database, and that every comment's webhook job ran exactly once in effect (one delivered
row per comment; the receiver saw each delivery id, duplicates counted).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.production import servers  # noqa: E402
from tests.production.conftest import Receiver  # noqa: E402

CHECK = """
import json
from threadline.models import Comment, WebhookDelivery
ids = list(Comment.objects.filter(story_id={story}).values_list("id", flat=True))
rows = list(WebhookDelivery.objects.values_list("comment_id_ref", "status"))
print(json.dumps({{"ids": ids, "deliveries": rows}}))
"""


def burst(
    bases: list[str], story: int, stop: threading.Event, ok: list[int], failed: Counter, n: int
) -> None:
    i = 0
    while not stop.is_set():
        base = bases[(n + i) % len(bases)]
        i += 1
        try:
            status, body = servers.request(
                "POST",
                f"{base}/api/v1/stories/{story}/comments",
                {"body": f"Drill post {n}-{i}", "author_name": f"D{n}"},
                headers={"X-Threadline-Guest": f"drill-{n}"},
            )
        except OSError as exc:
            failed[type(exc).__name__] += 1
            time.sleep(0.05)
            continue
        if 200 <= status < 300:
            ok.append(body["id"])
        else:
            failed[str(status)] += 1


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", required=True)
    parser.add_argument("--redis", required=True)
    parser.add_argument("--duration", type=float, default=15)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tl-drill-"))
    db = servers.Database(tmp, args.postgres)
    db.create()
    env = servers.base_env(
        tmp,
        db.url,
        THREADLINE_REDIS_URL=args.redis,
        THREADLINE_BROKER_URL=args.redis,
        THREADLINE_BROKER_VISIBILITY_TIMEOUT="5",
    )
    procs: list[servers.Proc] = []
    with Receiver() as receiver:
        try:
            servers.manage(env, "migrate", "--noinput", "-v0")
            info = servers.seed(env)
            servers.manage(
                env,
                "webhook",
                "add",
                "--site",
                info["site"],
                "--url",
                receiver.url,
                "--event",
                "comment.posted",
            )
            ports = [servers.free_port(), servers.free_port()]
            bases = [f"http://127.0.0.1:{p}" for p in ports]
            procs = [servers.web(env, p, tmp / f"web{i}.log") for i, p in enumerate(ports)]
            procs.append(servers.worker(env, tmp / "worker.log"))
            for base in bases:
                servers.wait_http(base + "/healthz")
            ok: list[int] = []
            failed: Counter = Counter()
            stop = threading.Event()
            threads = [
                threading.Thread(target=burst, args=(bases, info["story"], stop, ok, failed, n))
                for n in range(args.threads)
            ]
            for t in threads:
                t.start()
            time.sleep(args.duration / 3)
            procs[0].kill9()
            procs[2].kill9()
            killed_at = len(ok)
            time.sleep(1)
            procs[0] = servers.web(env, ports[0], tmp / "web0.log")
            procs[2] = servers.worker(env, tmp / "worker.log")
            time.sleep(args.duration * 2 / 3)
            stop.set()
            for t in threads:
                t.join()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                state = json.loads(
                    servers.manage(env, "shell", "-c", CHECK.format(story=info["story"]))
                    .strip()
                    .splitlines()[-1]
                )
                if all(s == "delivered" for _, s in state["deliveries"]):
                    break
                time.sleep(1)
        finally:
            for proc in procs:
                proc.stop()
            db.drop()
        received = Counter(r["headers"].get("X-Threadline-Delivery") for r in receiver.requests)
    in_db = set(state["ids"])
    per_comment = Counter(c for c, _ in state["deliveries"])
    print(
        json.dumps(
            {
                "posts_2xx": len(ok),
                "posts_2xx_before_kill": killed_at,
                "failed_requests": dict(failed),
                "missing_after_restart": len(set(ok) - in_db),
                "comments_in_db": len(in_db),
                "deliveries": len(state["deliveries"]),
                "deliveries_delivered": sum(1 for _, s in state["deliveries"] if s == "delivered"),
                "comments_with_other_than_one_delivery": sum(
                    1 for c in in_db if per_comment[c] != 1
                ),
                "delivery_ids_received": len(received),
                "delivery_ids_received_twice": sum(1 for n in received.values() if n > 1),
                "logs": str(tmp),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
