"""Several processes, one truth: two web processes and a Celery worker on PostgreSQL and
Redis. Writes go through one process; the other shows the same comment, votes, moderation
state and live events."""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.production import servers
from tests.production.conftest import Receiver, services

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


class Sse:
    """Reads one SSE stream in a thread and keeps (arrival time, parsed event)."""

    def __init__(self, url: str) -> None:
        self.events: list[tuple[float, dict[str, str]]] = []
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._read, args=(url,), daemon=True)
        self.thread.start()
        assert self.ready.wait(10), "stream did not open"

    def _read(self, url: str) -> None:
        with urllib.request.urlopen(url, timeout=30) as stream:  # noqa: S310
            current: dict[str, str] = {}
            for raw in stream:
                line = raw.decode().rstrip("\n")
                if line.startswith(": connected"):
                    self.ready.set()
                if not line and current:
                    self.events.append((time.monotonic(), current))
                    current = {}
                elif ":" in line and not line.startswith(":"):
                    key, _, value = line.partition(":")
                    current[key] = value.strip()

    def wait_for(self, text: str, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, event in self.events:
                if text in event.get("data", ""):
                    return at
            time.sleep(0.02)
        raise AssertionError(f"no event with {text} in {timeout} s: {self.events}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    pg, redis = services()
    tmp = tmp_path_factory.mktemp("cluster")
    db = servers.Database(tmp, pg)
    db.create()
    redis15 = redis.rsplit("/", 1)[0] + "/15"
    env = servers.base_env(
        tmp,
        db.url,
        THREADLINE_REDIS_URL=redis15,
        THREADLINE_BROKER_URL=redis15,
        THREADLINE_LIVE_MAX_SECONDS="30",
        THREADLINE_LIVE_HEARTBEAT_SECONDS="1",
        THREADLINE_WEBHOOK_ALLOW_PRIVATE="true",  # the receiver listens on the loopback
    )
    procs: list[servers.Proc] = []
    try:
        servers.manage(env, "migrate", "--noinput", "-v0")
        info = servers.seed(env, comments=3)
        servers.manage(
            env,
            "createmoderator",
            "mod",
            "--site",
            info["site"],
            "--password",
            "a long moderator password",
        )
        ports = [servers.free_port(), servers.free_port()]
        procs = [servers.web(env, p, tmp / f"web{i}.log") for i, p in enumerate(ports)]
        procs.append(servers.worker(env, tmp / "worker.log"))
        for port in ports:
            servers.wait_http(f"http://127.0.0.1:{port}/healthz")
        yield {
            "a": f"http://127.0.0.1:{ports[0]}",
            "b": f"http://127.0.0.1:{ports[1]}",
            "env": env,
            "tmp": tmp,
            **info,
        }
    finally:
        for proc in procs:
            proc.stop()
        db.drop()


def _thread(base: str, story: int) -> dict[str, Any]:
    status, body = servers.request("GET", f"{base}/api/v1/stories/{story}/comments?sort=newest")
    assert status == 200, body
    return body


def _find(thread: dict[str, Any], comment_id: int) -> dict[str, Any] | None:
    stack = list(thread["comments"])
    while stack:
        node = stack.pop()
        if node["id"] == comment_id:
            return node
        stack.extend(node["replies"])
    return None


def test_readyz_reports_every_dependency_ok(cluster: dict[str, Any]) -> None:
    for base in (cluster["a"], cluster["b"]):
        status, body = servers.request("GET", base + "/readyz")
        assert (status, body["status"]) == (200, "ok"), body
        assert body["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}


def test_a_comment_posted_through_one_process_is_seen_through_both(
    cluster: dict[str, Any],
) -> None:
    a, b, story = cluster["a"], cluster["b"], cluster["story"]
    before_b = _thread(b, story)  # warm B's caches: they must not hide the new comment
    live_b = Sse(f"{b}/api/v1/stories/{story}/events")
    live_a = Sse(f"{a}/api/v1/stories/{story}/events")
    posted_at = time.monotonic()
    status, body = servers.request(
        "POST",
        f"{a}/api/v1/stories/{story}/comments",
        {"body": "Seen everywhere?", "author_name": "Pat"},
    )
    assert status == 201, body
    cid = body["id"]
    assert live_b.wait_for(f'"comment_id":{cid}', timeout=2) - posted_at < 2
    live_a.wait_for(f'"comment_id":{cid}', timeout=2)
    for base in (a, b):
        thread = _thread(base, story)
        assert _find(thread, cid) is not None
        assert thread["total"] == before_b["total"] + 1


def test_votes_and_moderation_through_one_process_show_through_the_other(
    cluster: dict[str, Any],
) -> None:
    a, b, story = cluster["a"], cluster["b"], cluster["story"]
    status, body = servers.request(
        "POST",
        f"{b}/api/v1/stories/{story}/comments",
        {"body": "Vote on me.", "author_name": "Lee"},
    )
    cid = body["id"]
    _thread(a, story)  # cached in A before the votes
    live_a = Sse(f"{a}/api/v1/stories/{story}/events")
    for n in range(3):
        status, _ = servers.request(
            "POST",
            f"{b}/api/v1/comments/{cid}/votes",
            {"value": 1},
            headers={"X-Threadline-Guest": f"voter-{n}"},
        )
        assert status == 200
    assert _find(_thread(a, story), cid)["upvotes"] == 3
    live_a.wait_for(f'"comment_id":{cid},"kind":"voted"', timeout=2)

    status, login = servers.request(
        "POST",
        f"{a}/api/v1/auth/login",
        {"username": "mod", "password": "a long moderator password"},
    )
    assert status == 200, login
    status, body = servers.request(
        "POST",
        f"{a}/api/v1/moderation/comments/{cid}/reject",
        {"reason": "spam"},
        headers={"Authorization": f"Bearer {login['token']}"},
    )
    assert status == 200, body
    live_a.wait_for(f'"comment_id":{cid},"kind":"rejected"', timeout=2)
    for base in (a, b):
        assert _find(_thread(base, story), cid) is None
        status, _ = servers.request("GET", f"{base}/api/v1/comments/{cid}")
        assert status in (200, 404)


def test_the_worker_delivers_signed_webhooks(cluster: dict[str, Any]) -> None:
    with Receiver() as receiver:
        out = servers.manage(
            cluster["env"],
            "webhook",
            "add",
            "--site",
            cluster["site"],
            "--url",
            receiver.url,
            "--event",
            "comment.posted",
        )
        secret = out.strip().splitlines()[-1].split("secret: ")[1]
        status, body = servers.request(
            "POST",
            f"{cluster['b']}/api/v1/stories/{cluster['story']}/comments",
            {"body": "Hook me.", "author_name": "Kim"},
        )
        assert status == 201
        deadline = time.monotonic() + 10
        while not receiver.requests and time.monotonic() < deadline:
            time.sleep(0.05)
        assert receiver.requests, (Path(cluster["tmp"]) / "worker.log").read_text()[-2000:]
        got = receiver.requests[0]
        headers = {k.lower(): v for k, v in got["headers"].items()}
        expected = (
            "sha256="
            + hmac.new(
                secret.encode(),
                headers["x-threadline-timestamp"].encode() + b"." + got["body"],
                hashlib.sha256,
            ).hexdigest()
        )
        assert headers["x-threadline-signature"] == expected
        assert headers["x-threadline-event"] == "comment.posted"
        assert f'"id":{body["id"]}'.encode() in got["body"]
