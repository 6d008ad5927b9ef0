"""Caches that cannot miss a change: every site setting that shapes a thread page is part
of the page's cache key, and the fast path answers with the view's headers, counted in
/metrics like any other request."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.db import models
from django.test import override_settings
from prometheus_client import REGISTRY

from tests.asgi import asgi_call, http_scope
from tests.factories import post_comment
from threadline import queries
from threadline.actions.sites import SETTINGS_FIELDS, site_update_settings
from threadline.models import Site
from threadline.server import fastpath, threadcache
from threadline.server.asgi import application, django_application
from threadline.server.handler import build_application

pytestmark = pytest.mark.django_db(transaction=True)


def _chain(story: Any, depth: int = 3) -> list[Any]:
    """A top-level comment with a reply below it, and one below that, ``depth`` levels."""
    parent = None
    out = []
    for level in range(depth + 1):
        parent = post_comment(story, f"level {level} says hi", parent=parent).comment
        out.append(parent)
    return out


def _changed(site: Site, name: str) -> Any:
    """Another valid value for the setting ``name``."""
    field = Site._meta.get_field(name)
    value = getattr(site, name)
    if name == "max_depth":
        return 1
    if field.choices:
        return next(c for c, _ in field.choices if c != value)
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.FloatField):
        return round(value * 0.9, 4) if value else 0.5
    if isinstance(field, models.IntegerField):
        return value + 1
    if isinstance(field, models.TextField):
        return (value + "\nzebra").strip()
    if isinstance(field, models.URLField):
        return "" if value else "https://example.org/rules"
    raise AssertionError(f"no other value for {name} ({type(field).__name__}): add one here")


def _fresh_page(path: str, client: Any, **headers: str) -> bytes:
    """The page as it would be built now, with no cache at all."""
    with override_settings(THREADLINE={**settings.THREADLINE, "THREAD_CACHE_SECONDS": 0}):
        return client.get(path, headers=headers).content


async def _asgi(app: Any, path: str, query: bytes = b"", headers: Any = None) -> Any:
    return await asgi_call(app, http_scope("GET", path, query, headers))


@pytest.mark.parametrize("name", SETTINGS_FIELDS)
def test_each_site_setting_change_is_read_back_through_every_cache(client, story, name):
    _chain(story)
    path = f"/api/v1/stories/{story.pk}/comments"
    for _ in range(2):  # cached by the view, then answered by the fast path
        before = async_to_sync(_asgi)(application, path)
    assert before[0] == 200 and b"level 3 says hi" in before[2]

    site = Site.objects.get(pk=story.site_id)
    site_update_settings(site=site, actor=None, changes={name: _changed(site, name)})

    fresh = _fresh_page(path, client)
    for _ in range(2):
        status, _, body = async_to_sync(_asgi)(application, path)
        assert status == 200 and body == fresh, name
    assert client.get(path).content == fresh
    status, _, body = fastpath.cached_thread(story.pk, "", "", "")
    assert status == 200 and body == fresh
    if name == "max_depth":
        assert b"level 1 says hi" in fresh and b"level 2 says hi" not in fresh
        page = client.get(f"/stories/{story.pk}/").content  # the server-rendered page
        assert b"level 1 says hi" in page and b"level 2 says hi" not in page


def test_a_setting_saved_without_the_action_is_read_back_too(client, story):
    _chain(story)
    path = f"/api/v1/stories/{story.pk}/comments"
    client.get(path)
    Site.objects.filter(pk=story.site_id).update(max_depth=0)  # the admin, a shell, a script
    body = async_to_sync(_asgi)(application, path)[2]
    assert b"level 0 says hi" in body and b"level 1 says hi" not in body
    top = json.loads(body)["comments"][0]
    assert top["replies"] == [] and top["more_replies"] > 0


class _Recorder:
    """A site that notes which of its fields are read."""

    def __init__(self, site: Site, read: set[str]) -> None:
        self._site = site
        self._read = read

    def __getattr__(self, name: str) -> Any:
        self._read.add(name)
        return getattr(self._site, name)


def test_a_thread_page_reads_no_site_field_outside_its_cache_key(client, story, monkeypatch):
    _chain(story)
    read: set[str] = set()
    real = queries.access_story_for_reader

    def recorded(*, story_id: int) -> Any:
        found = real(story_id=story_id)
        type(found).site.field.set_cached_value(found, _Recorder(found.site, read))
        return found

    monkeypatch.setattr(queries, "access_story_for_reader", recorded)
    for query in ("", "?sort=newest&depth=2", "?limit=1"):
        assert _fresh_page(f"/api/v1/stories/{story.pk}/comments{query}", client)
    fields = {f.name for f in Site._meta.get_fields()} | {
        f.attname for f in Site._meta.concrete_fields
    }
    assert "max_depth" in read
    assert read & fields <= set(threadcache.PAGE_SITE_FIELDS), (
        "a thread page reads a Site field that is not in threadcache.PAGE_SITE_FIELDS"
    )


# --- the fast path's headers ------------------------------------------------------------


def _both(app: Any, path: str, query: bytes, headers: list[tuple[bytes, bytes]]) -> Any:
    """(Django's answer, the answer through the fast path), and whether the fast path
    answered the second itself."""
    django = async_to_sync(_asgi)(app.app, path, query, headers)  # the Django handler
    calls = []
    real = fastpath.cached_thread

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(result := real(*args, **kwargs))
        return result

    fastpath.cached_thread = spy  # type: ignore[assignment]
    try:
        fast = async_to_sync(_asgi)(app, path, query, headers)
    finally:
        fastpath.cached_thread = real  # type: ignore[assignment]
    return django, fast, bool(calls) and calls[0] is not None


def _same_answer(django: Any, fast: Any) -> None:
    assert fast[0] == django[0]
    assert fast[2] == django[2]
    want = {k.lower(): v for k, v in django[1].items()}
    got = {k.lower(): v for k, v in fast[1].items()}
    for name in sorted(want.keys() | got.keys()):
        assert got.get(name) == want.get(name), name.decode()


@pytest.mark.parametrize("gzipped", [False, True])
@pytest.mark.parametrize("origin", [None, "allowed", "https://evil.example"])
def test_the_fast_path_sends_the_views_headers_header_by_header(story, gzipped, origin):
    post_comment(story, "hello " * 40)
    path = f"/api/v1/stories/{story.pk}/comments"
    headers = []
    if gzipped:
        headers.append((b"accept-encoding", b"gzip, deflate"))
    if origin:
        value = story.site.allowed_origins[0] if origin == "allowed" else origin
        headers.append((b"origin", value.encode()))
    async_to_sync(_asgi)(application, path, b"sort=top", headers)  # cache the page
    django, fast, answered = _both(application, path, b"sort=top", headers)
    assert answered and django[0] == 200
    assert b"x-frame-options" in {k.lower() for k in django[1]}
    _same_answer(django, fast)

    etag = django[1][b"ETag"]
    not_modified = [*headers, (b"if-none-match", etag)]
    django, fast, answered = _both(application, path, b"sort=top", not_modified)
    assert answered and django[0] == 304
    _same_answer(django, fast)


def test_https_headers_match_behind_a_proxy(story):
    post_comment(story, "secure")
    path = f"/api/v1/stories/{story.pk}/comments"
    headers = [(b"x-forwarded-proto", b"https")]
    with override_settings(
        SECURE_HSTS_SECONDS=3600,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
        X_FRAME_OPTIONS="SAMEORIGIN",
    ):
        app = build_application(django_application, reader_threads=1, staff_threads=0)
        async_to_sync(_asgi)(app, path, b"", headers)
        django, fast, answered = _both(app, path, b"", headers)
        assert answered and b"Strict-Transport-Security" in django[1]
        _same_answer(django, fast)


@pytest.mark.parametrize(
    ("overrides", "headers"),
    [
        ({"SECURE_SSL_REDIRECT": True}, []),  # Django redirects plain HTTP
        ({}, [(b"host", b"attacker.example")]),  # Django refuses the Host
    ],
)
def test_the_fast_path_steps_aside_where_django_answers_differently(story, overrides, headers):
    post_comment(story, "hello")
    path = f"/api/v1/stories/{story.pk}/comments"
    with override_settings(**overrides):
        app = build_application(django_application, reader_threads=1, staff_threads=0)
        async_to_sync(_asgi)(application, path)  # cached
        scope = http_scope("GET", path)
        if headers:
            scope["headers"] = headers
        django = async_to_sync(asgi_call)(app.app, dict(scope))
        fast = async_to_sync(asgi_call)(app, dict(scope))
        assert django[0] in (301, 400)
        _same_answer(django, fast)


def _requests(route: str, status: int) -> float:
    value = REGISTRY.get_sample_value(
        "threadline_http_requests_total",
        {"method": "GET", "route": route, "status": str(status)},
    )
    return value or 0.0


def test_metrics_count_fast_path_requests_under_the_views_route(client, story):
    post_comment(story, "hello")
    path = f"/api/v1/stories/{story.pk}/comments"
    route = client.get(path).resolver_match.route  # what MetricsMiddleware labels it
    assert route
    before = _requests(route, 200), _requests(route, 304)
    django, fast, answered = _both(application, path, b"", [])
    assert answered  # the second request: the fast path
    etag = django[1][b"ETag"]
    _, _, answered = _both(application, path, b"", [(b"if-none-match", etag)])
    assert answered
    assert _requests(route, 200) == before[0] + 2  # one by Django, one by the fast path
    assert _requests(route, 304) == before[1] + 2
    scraped = client.get("/metrics").content.decode().splitlines()
    sample = f'threadline_http_requests_total{{method="GET",route="{route}",status="304"}} '
    assert [float(line.removeprefix(sample)) for line in scraped if line.startswith(sample)] == [
        _requests(route, 304)
    ]
