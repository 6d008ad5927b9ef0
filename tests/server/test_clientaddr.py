"""The client's address as `threadline serve` sees it: X-Forwarded-For only from trusted
proxies, always a parsed IP, and /metrics from this machine only."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync
from django.db import connection

from tests.asgi import asgi_call, http_scope
from threadline.models import Comment
from threadline.server import clientaddr
from threadline.server.handler import PooledHandler

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def handler():  # noqa: ANN201
    pool = ThreadPoolExecutor(max_workers=1)
    yield PooledHandler(pool)
    pool.submit(lambda: connection.close()).result()
    pool.shutdown()


def _proxies(settings, count: int, **extra: str) -> None:  # noqa: ANN001
    settings.THREADLINE = {**settings.THREADLINE, "TRUSTED_PROXIES": count, **extra}


def _call(
    handler, method: str, path: str, *, peer: str, forwarded: str = "", body: dict | None = None
):  # noqa: ANN001,ANN202,E501
    headers = [(b"content-type", b"application/json")]
    if forwarded:
        headers.append((b"x-forwarded-for", forwarded.encode()))
    scope = {**http_scope(method, path, headers=headers), "client": (peer, 5555)}
    data = json.dumps(body).encode() if body is not None else b""
    return async_to_sync(asgi_call)(handler, scope, data)


def _post(handler, story, *, peer: str = "127.0.0.1", forwarded: str = "", name: str = "Ann"):  # noqa: ANN001,ANN202,E501
    body = {"body": "Thanks for the report.", "author_name": name}
    path = f"/api/v1/stories/{story.pk}/comments"
    status, _, out = _call(handler, "POST", path, peer=peer, forwarded=forwarded, body=body)
    return status, json.loads(out)


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "expected"),
    [
        ("127.0.0.1", "203.0.113.7", 0, "127.0.0.1"),
        ("127.0.0.1", "203.0.113.7", 1, "203.0.113.7"),
        ("127.0.0.1", "198.51.100.1, 203.0.113.7", 1, "203.0.113.7"),
        ("127.0.0.1", "198.51.100.1, 203.0.113.7", 2, "198.51.100.1"),
        ("127.0.0.1", "203.0.113.7", 2, "127.0.0.1"),  # fewer hops than proxies
        ("127.0.0.1", "not-an-ip", 1, "127.0.0.1"),
        ("127.0.0.1", "'); DROP TABLE x;--", 1, "127.0.0.1"),
        ("127.0.0.1", "[2001:db8::1]", 1, "2001:db8::1"),
        ("2001:DB8::0:1", "", 0, "2001:db8::1"),
        ("unix-socket", "", 0, None),
        ("unix-socket", "bogus", 1, None),
    ],
)
def test_the_client_address_is_a_parsed_ip_from_a_trusted_hop_or_the_peer(
    peer: str, forwarded: str, proxies: int, expected: str | None
) -> None:
    assert clientaddr.resolve(peer=peer, forwarded=forwarded, proxies=proxies) == expected


def test_without_trusted_proxies_a_forwarded_for_header_is_ignored(handler, story, settings):  # noqa: ANN001
    _proxies(settings, 0)
    status, posted = _post(handler, story, forwarded="203.0.113.7")
    assert status == 201, posted
    assert Comment.objects.get(pk=posted["id"]).ip_address == "127.0.0.1"


def test_a_same_host_client_cannot_dodge_the_ip_rate_limit(handler, story, settings):  # noqa: ANN001
    _proxies(settings, 0, RATE_LIMIT_POST_IP="1/60", RATE_LIMIT_POST_AUTHOR="")
    assert _post(handler, story, forwarded="203.0.113.1", name="Ann")[0] == 201
    status, out = _post(handler, story, forwarded="203.0.113.2", name="Bob")
    assert status == 429 and out["error"]["code"] == "rate_limited"


def test_an_unparsable_forwarded_address_falls_back_to_the_socket_peer(handler, story, settings):  # noqa: ANN001
    _proxies(settings, 1)
    status, posted = _post(handler, story, peer="10.0.0.5", forwarded="<script>")
    assert status == 201, posted
    assert Comment.objects.get(pk=posted["id"]).ip_address == "10.0.0.5"
    status, posted = _post(handler, story, peer="10.0.0.5", forwarded="203.0.113.9", name="Bob")
    assert Comment.objects.get(pk=posted["id"]).ip_address == "203.0.113.9"


def test_a_peer_that_is_not_an_ip_is_never_stored(handler, story, settings):  # noqa: ANN001
    _proxies(settings, 0)
    status, posted = _post(handler, story, peer="not-an-address")
    assert status == 201, posted
    assert Comment.objects.get(pk=posted["id"]).ip_address is None


def test_uvicorn_trusts_proxy_headers_only_with_trusted_proxies(settings) -> None:  # noqa: ANN001
    _proxies(settings, 0)
    assert clientaddr.uvicorn_proxy_options() == {"proxy_headers": False}
    _proxies(settings, 1)
    assert clientaddr.uvicorn_proxy_options()["proxy_headers"] is True


# --- /metrics -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("peer", "forwarded", "proxies", "status"),
    [
        ("127.0.0.1", "", 0, 200),
        ("::1", "", 0, 200),
        ("203.0.113.9", "", 0, 403),
        ("203.0.113.9", "127.0.0.1", 0, 403),  # a forged header does not make it local
        ("203.0.113.9", "127.0.0.1", 1, 403),
        ("127.0.0.1", "203.0.113.9", 1, 403),  # passed on by a proxy on this machine
        ("127.0.0.1", "", 1, 200),
    ],
)
def test_metrics_without_a_token_answer_this_machine_only(
    handler,
    settings,
    peer: str,
    forwarded: str,
    proxies: int,
    status: int,  # noqa: ANN001
) -> None:
    _proxies(settings, proxies, METRICS_TOKEN="")
    assert _call(handler, "GET", "/metrics", peer=peer, forwarded=forwarded)[0] == status


def test_metrics_without_a_token_refuse_a_remote_test_client(client, settings) -> None:  # noqa: ANN001
    _proxies(settings, 0, METRICS_TOKEN="")
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200


def test_metrics_with_a_token_need_it_from_anywhere(handler, settings) -> None:  # noqa: ANN001
    _proxies(settings, 0, METRICS_TOKEN="t0k")
    assert _call(handler, "GET", "/metrics", peer="127.0.0.1")[0] == 403
    headers = [(b"authorization", b"Bearer t0k")]
    scope = {**http_scope("GET", "/metrics", headers=headers), "client": ("203.0.113.9", 1)}
    assert async_to_sync(asgi_call)(handler, scope)[0] == 200
