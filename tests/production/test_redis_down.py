"""Redis down: reads and posts keep working (cache misses, jobs queued in the database),
/readyz says degraded, and a Redis that comes back is used again without a restart."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import override_settings

from tests.production import servers
from tests.production.conftest import Receiver
from threadline.actions.webhooks import webhook_create
from threadline.delivery.jobqueue import BackgroundWorker

CLOSED = f"redis://127.0.0.1:{servers.free_port()}/15"
REDIS_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CLOSED,
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}


@pytest.fixture
def redis_down(settings):  # noqa: ANN001,ANN201
    from config.celery import app

    old = app.conf.broker_url
    app.conf.broker_url = CLOSED
    settings.CELERY_BROKER_URL = CLOSED
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.THREADLINE = {**settings.THREADLINE, "JOB_RUNNER": "celery"}
    try:
        with override_settings(REDIS_URL=CLOSED, CACHES=REDIS_CACHE):
            yield
    finally:
        app.conf.broker_url = old
        caches["default"].close()


@pytest.mark.django_db(transaction=True)
def test_reads_posts_and_jobs_work_while_redis_is_down(
    api, client, story, redis_down, private_webhooks
):
    with Receiver() as receiver:
        webhook_create(site=story.site, url=receiver.url)
        started = time.monotonic()
        r = api.post(f"/stories/{story.pk}/comments", {"body": "Still here", "author_name": "Al"})
        assert r.status_code == 201, r.content
        posted_in = time.monotonic() - started
        thread = api.get(f"/stories/{story.pk}/comments")
        assert thread.status_code == 200 and thread.json()["total"] == 1
        # Not lost, and not run on the request's thread either: queued in the database.
        assert receiver.requests == []
        assert BackgroundWorker(interval=0).run_due() == 1
        assert len(receiver.requests) == 1
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "down", "broker": "down"},
    }
    assert posted_in < 10


@pytest.mark.slow
def test_a_server_recovers_when_redis_comes_back(tmp_path: Path) -> None:
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = servers.free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"

    def start_redis() -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(port), "ping"], capture_output=True
                ).stdout.strip()
                == b"PONG"
            ):
                return proc
            time.sleep(0.1)
        raise TimeoutError("redis did not start")

    db = servers.Database(tmp_path)
    env = servers.base_env(tmp_path, db.url, THREADLINE_REDIS_URL=redis_url)
    servers.manage(env, "migrate", "--noinput", "-v0")
    story = servers.seed(env, comments=2)["story"]
    redis = start_redis()
    web_port = servers.free_port()
    web = servers.web(env, web_port, tmp_path / "web.log")
    base = f"http://127.0.0.1:{web_port}"
    try:
        servers.wait_http(base + "/healthz")
        assert servers.request("GET", base + "/readyz")[1]["status"] == "ok"
        redis.kill()
        redis.wait()
        status, _ = servers.request(
            "POST",
            f"{base}/api/v1/stories/{story}/comments",
            {"body": "Redis is gone", "author_name": "Al"},
        )
        assert status == 201
        status, thread = servers.request("GET", f"{base}/api/v1/stories/{story}/comments")
        assert status == 200 and thread["total"] == 3
        assert servers.request("GET", base + "/readyz")[1]["status"] == "degraded"
        redis = start_redis()
        deadline = time.monotonic() + 10
        while servers.request("GET", base + "/readyz")[1]["status"] != "ok":
            assert time.monotonic() < deadline, "did not recover"
            time.sleep(0.2)
        status, _ = servers.request(
            "POST",
            f"{base}/api/v1/stories/{story}/comments",
            {"body": "Redis is back", "author_name": "Al"},
        )
        assert status == 201
    finally:
        web.stop()
        redis.kill()
        redis.wait()
