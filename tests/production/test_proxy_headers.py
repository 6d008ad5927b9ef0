"""`threadline serve` with no trusted proxy: a client on the same host cannot choose its
address with X-Forwarded-For (uvicorn trusts the loopback's proxy headers by default)."""

from __future__ import annotations

import urllib.request
from pathlib import Path

from tests.production import servers


def test_a_same_host_client_cannot_pick_its_address(tmp_path: Path) -> None:
    db = servers.Database(tmp_path)
    env = servers.base_env(tmp_path, db.url, THREADLINE_RATE_LIMIT_POST_IP="1/60")
    servers.manage(env, "migrate", "--noinput", "-v0")
    story = servers.seed(env)["story"]
    port = servers.free_port()
    web = servers.web(env, port, tmp_path / "web.log")
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/api/v1/stories/{story}/comments"
    try:
        servers.wait_http(base + "/healthz")
        first = servers.request(
            "POST", url, {"body": "First", "author_name": "Ann"}, {"X-Forwarded-For": "not-an-ip"}
        )
        second = servers.request(
            "POST", url, {"body": "Second", "author_name": "Bob"}, {"X-Forwarded-For": "10.9.8.7"}
        )
        with urllib.request.urlopen(base + "/metrics", timeout=10) as response:  # noqa: S310
            metrics = response.status
    finally:
        web.stop()
    assert first[0] == 201, first
    assert second[0] == 429, second  # one address, one rate limit
    assert metrics == 200  # the loopback may scrape without a token
    stored = servers.manage(
        env,
        "shell",
        "-c",
        "from threadline.models import Comment; print(list(Comment.objects.values_list("
        "'ip_address', flat=True)))",
    )
    assert stored.strip().splitlines()[-1] == "['127.0.0.1']"
