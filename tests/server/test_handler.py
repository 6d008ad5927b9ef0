"""The pooled request handler that `threadline serve` runs: Django's full request cycle on
long-lived threads, each keeping its database connection."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from asgiref.sync import async_to_sync
from django.db import connection

from tests.asgi import asgi_call, http_scope
from threadline.server.handler import PooledHandler

pytestmark = pytest.mark.django_db(transaction=True)


def _scope(method: str, path: str, headers: list[tuple[bytes, bytes]] | None = None) -> dict:
    return http_scope(method, path, headers=headers)


def _post_json(handler, story, data: dict) -> tuple[int, dict[bytes, bytes], bytes]:
    path = f"/api/v1/stories/{story.pk}/comments"
    scope = _scope("POST", path, [(b"content-type", b"application/json")])
    return async_to_sync(asgi_call)(handler, scope, json.dumps(data).encode())


@pytest.fixture
def handler():
    pool = ThreadPoolExecutor(max_workers=1)
    yield PooledHandler(pool)
    pool.submit(lambda: connection.close()).result()
    pool.shutdown()


def test_a_guest_posts_through_the_pooled_handler(handler, story):
    status, headers, out = _post_json(
        handler, story, {"body": "Thanks for the report.", "author_name": "Ann"}
    )
    assert status == 201, out
    posted = json.loads(out)
    assert posted["status"] == "published" and posted["edit_token"]
    assert headers[b"Content-Type"] == b"application/json; charset=utf-8"
    status, _, out = async_to_sync(asgi_call)(
        handler, _scope("GET", f"/api/v1/comments/{posted['id']}")
    )
    assert status == 200 and b"Thanks for the report." in out


def test_errors_keep_their_shape_and_status(handler, story):
    status, _, out = async_to_sync(asgi_call)(
        handler,
        _scope(
            "POST", f"/api/v1/stories/{story.pk}/comments", [(b"content-type", b"application/json")]
        ),
        b"{not json",
    )
    assert status == 400 and json.loads(out)["error"]["code"]
    status, _, out = async_to_sync(asgi_call)(handler, _scope("GET", "/api/v1/nowhere"))
    assert status == 404 and json.loads(out)["error"]["code"] == "not_found"


def test_streamed_responses_arrive_whole(handler, settings):
    """Static files (WhiteNoise) are streamed from a file iterator in pool threads."""
    from django.contrib.staticfiles import finders

    path = finders.find("threadline/embed.js")
    assert path is not None
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    fresh = PooledHandler(handler.pool)
    status, headers, out = async_to_sync(asgi_call)(
        fresh, _scope("GET", "/static/threadline/embed.js")
    )
    assert status == 200
    with open(path, "rb") as f:
        assert out == f.read()


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="PostgreSQL connections go back to the process's pool after each request",
)
def test_each_pool_thread_keeps_its_database_connection(handler, story):
    seen = []
    for _ in range(3):
        status, _, _ = async_to_sync(asgi_call)(
            handler, _scope("GET", f"/api/v1/stories/{story.pk}")
        )
        assert status == 200
        seen.append(handler.pool.submit(lambda: connection.connection).result())
    assert seen[0] is not None and seen[0] is seen[1] is seen[2]


def test_websocket_scopes_are_refused(handler):
    with pytest.raises(ValueError):
        async_to_sync(handler)({"type": "websocket"}, None, None)


@pytest.mark.parametrize(
    ("path", "lane"),
    [
        ("/moderate/", "threadline-staff"),
        ("/admin/", "threadline-staff"),
        ("/api/v1/moderation/queues", "threadline-staff"),
        ("/api/v1/stories/lookup?url=x", "threadline_"),
        ("/healthz", "threadline_"),
        ("/moderatel", "threadline_"),
    ],
)
def test_staff_pages_run_on_their_own_threads(path, lane):
    """A long moderator export must not hold up readers, and readers' posts must not
    share the GIL with a second busy reader thread: two lanes."""
    from django.core import signals
    from django.core.asgi import get_asgi_application

    from threadline.server.handler import build_application

    app = build_application(get_asgi_application(), reader_threads=1, staff_threads=1)
    names = []

    def seen(**kwargs):
        names.append(threading.current_thread().name)

    signals.request_started.connect(seen)
    try:
        status, _, _ = async_to_sync(asgi_call)(app, _scope("GET", path))
    finally:
        signals.request_started.disconnect(seen)
        for pool in {app.pool, *(a.pool for _, a in app.asgi_routes if hasattr(a, "pool"))}:
            pool.submit(lambda: connection.close()).result()
            pool.shutdown()
    assert status < 500
    assert names and all(name.startswith(lane) for name in names), names


def test_without_staff_threads_everything_runs_on_the_readers_threads():
    from django.core.asgi import get_asgi_application

    from threadline.server.handler import build_application

    app = build_application(get_asgi_application(), reader_threads=1, staff_threads=0)
    try:
        assert [p.pattern for p, _ in app.asgi_routes] == [r"^/api/v1/stories/\d+/events$"]
    finally:
        app.pool.shutdown()


def test_pages_keep_sessions_and_csrf_and_the_api_needs_no_cookie(handler, story):
    """Pages served by the handler keep CSRF protection and sessions; the JSON API (bearer
    tokens) works without a cookie and sets none."""
    status, headers, out = async_to_sync(asgi_call)(handler, _scope("GET", "/accounts/login/"))
    assert status == 200 and b"csrfmiddlewaretoken" in out
    assert b"csrftoken=" in headers.get(b"Set-Cookie", b"")
    form = b"body=Hello+there&author_name=Ann"
    status, _, _ = async_to_sync(asgi_call)(
        handler,
        _scope(
            "POST",
            f"/stories/{story.pk}/comments/",
            [(b"content-type", b"application/x-www-form-urlencoded")],
        ),
        form,
    )
    assert status == 403  # no CSRF token: refused
    status, headers, _ = _post_json(
        handler, story, {"body": "No cookies needed here.", "author_name": "Ann"}
    )
    assert status == 201
    assert b"Set-Cookie" not in headers


SEEN: list[tuple[str, bool, bool]] = []


class Probe:
    """Records what a view under each path would find on the request."""

    def __init__(self, get_response):  # noqa: ANN001
        self.get_response = get_response

    def __call__(self, request):  # noqa: ANN001
        SEEN.append((request.path, hasattr(request, "user"), hasattr(request, "session")))
        return self.get_response(request)


def test_the_api_runs_the_middleware_its_tests_run(story, settings, client):  # noqa: ANN001
    """`threadline serve` and the test client run one chain for every path, so an API view
    that reads request.user behaves in production as in its tests."""
    chain = list(settings.MIDDLEWARE)
    after = chain.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1
    settings.MIDDLEWARE = [*chain[:after], "tests.server.test_handler.Probe", *chain[after:]]
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        served = PooledHandler(pool)
        SEEN.clear()
        status, _, _ = _post_json(served, story, {"body": "Hello.", "author_name": "Ann"})
        assert status == 201
        in_production = SEEN[-1]
        SEEN.clear()
        client.post(
            f"/api/v1/stories/{story.pk}/comments",
            {"body": "Hello again.", "author_name": "Ann"},
            content_type="application/json",
        )
        in_tests = SEEN[-1]
    finally:
        pool.submit(lambda: connection.close()).result()
        pool.shutdown()
    assert in_production == in_tests == (f"/api/v1/stories/{story.pk}/comments", True, True)
