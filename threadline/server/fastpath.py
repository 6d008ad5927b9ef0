"""The hot path: thread pages that are already rendered are answered without entering
Django's request cycle.

A news story's thread is read thousands of times for every write. The page bytes are
cached by story version (``threadline.server.threadcache``); what is left per request is one
primary-key query for the current version. This ASGI wrapper does exactly that and
hands everything else — every miss, every other URL, every unusual parameter, a Host
Django would refuse, a request Django would redirect to HTTPS — to Django unchanged, so the
answer is byte-for-byte what the API view would send, headers included: the status, the
ETag and the view's own headers come from ``conditional.cached_page``, which the view calls
too; the middleware's from the same settings the middleware reads
(``middleware_headers``), and tests/test_cache_settings.py compares them header by header.
Every request answered here is counted in /metrics as Django's ``MetricsMiddleware``
counts it, under the view's route.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from concurrent.futures import Executor
from functools import cache, partial
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.dispatch import receiver
from django.http.request import split_domain_port, validate_host

from threadline.db import reads
from threadline.server import origins, threadcache
from threadline.server.conditional import cached_page

log = logging.getLogger(__name__)

THREAD_PATH = re.compile(r"^/api/v1/stories/(\d{1,18})/comments$")
SORTS = frozenset({"best", "top", "newest", "oldest", "controversial"})
_XFRAME = "django.middleware.clickjacking.XFrameOptionsMiddleware"
_SECURITY = "django.middleware.security.SecurityMiddleware"
_COMMON = "django.middleware.common.CommonMiddleware"


@cache
def middleware_headers(secure: bool) -> tuple[tuple[bytes, bytes], ...]:
    """What the middleware in settings.MIDDLEWARE adds to every thread response, read from
    the settings that middleware reads (SecurityMiddleware, XFrameOptionsMiddleware). CORS
    depends on the request's Origin and is added in ``cached_thread``."""
    out: list[tuple[str, str]] = []
    if _SECURITY in settings.MIDDLEWARE:
        if settings.SECURE_HSTS_SECONDS and secure:
            sts = f"max-age={settings.SECURE_HSTS_SECONDS}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                sts += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                sts += "; preload"
            out.append(("Strict-Transport-Security", sts))
        if settings.SECURE_CONTENT_TYPE_NOSNIFF:
            out.append(("X-Content-Type-Options", "nosniff"))
        policy = settings.SECURE_REFERRER_POLICY
        if policy:
            values = policy.split(",") if isinstance(policy, str) else policy
            out.append(("Referrer-Policy", ",".join(v.strip() for v in values)))
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            out.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    if _XFRAME in settings.MIDDLEWARE:
        out.append(("X-Frame-Options", getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()))
    return tuple((k.lower().encode(), v.encode("latin-1")) for k, v in out)


@receiver(setting_changed)
def _settings_changed(**kwargs: Any) -> None:
    middleware_headers.cache_clear()
    _route.cache_clear()


def django_would_answer_itself(headers: dict[bytes, bytes], scope: dict[str, Any]) -> bool:
    """A request Django answers differently from the view: a Host outside ALLOWED_HOSTS
    (400) or plain HTTP under SECURE_SSL_REDIRECT (a redirect)."""
    if settings.SECURE_SSL_REDIRECT and not is_secure(headers, scope):
        return True
    if settings.USE_X_FORWARDED_HOST and b"x-forwarded-host" in headers:
        host = headers[b"x-forwarded-host"].decode("latin-1")
    elif b"host" in headers:
        host = headers[b"host"].decode("latin-1")
    else:
        return True  # Django builds one from SERVER_NAME: let it
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    domain, _ = split_domain_port(host)
    return not (domain and validate_host(domain, allowed))


def is_secure(headers: dict[bytes, bytes], scope: dict[str, Any]) -> bool:
    """``HttpRequest.is_secure()`` for an ASGI scope (SECURE_PROXY_SSL_HEADER first)."""
    if settings.SECURE_PROXY_SSL_HEADER:
        meta_name, secure_value = settings.SECURE_PROXY_SSL_HEADER
        name = meta_name.removeprefix("HTTP_").replace("_", "-").lower().encode()
        value = headers.get(name)
        if value is not None:
            return value.decode("latin-1").split(",", 1)[0].strip() == secure_value
    return scope.get("scheme") == "https"


@cache
def _route() -> str:
    """The route label Django's MetricsMiddleware gives the thread view."""
    from django.urls import resolve

    return resolve("/api/v1/stories/1/comments").route or "unmatched"


def count_request(status: int, started: float) -> None:
    """Count a fast-path answer in /metrics as ``ops.MetricsMiddleware`` counts Django's."""
    from threadline.server import ops

    route = _route()
    ops.LATENCY.labels(route=route).observe(time.perf_counter() - started)
    ops.REQUESTS.labels(method="GET", route=route, status=status).inc()


def parse_thread_query(query: str) -> tuple[str, str, int, int | None] | None:
    """(sort, cursor, limit, depth) as the API view reads them, or None for anything the
    view should validate itself (unknown keys, repeated keys, out-of-range numbers)."""
    values: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key in values or key not in ("sort", "cursor", "limit", "depth"):
            return None
        values[key] = value
    sort = values.get("sort", "best")
    cursor = values.get("cursor", "")
    try:
        limit = int(values.get("limit", "50"))
        depth = int(values["depth"]) if "depth" in values else None
    except ValueError:
        return None
    if (
        sort not in SORTS
        or not 1 <= limit <= 20000
        or (depth is not None and not 0 <= depth <= 100)
    ):
        return None
    if not values.get("limit", "50").isdigit() or (
        "depth" in values and not values["depth"].isdigit()
    ):
        return None  # "+5" or " 5": let the view decide
    return sort, cursor, limit, depth


def _page_state(story_id: int) -> tuple[int, str] | None:
    """The story's version and ``threadcache.site_shape`` of its site, in one query; the
    values pass through the ORM's converters, so the shape is the one the view computes
    from the model instance."""
    values = reads.story_page_state(story_id, threadcache.PAGE_SITE_FIELDS)
    if values is None:
        return None
    return int(values[0]), threadcache.site_shape(values[1:])


def cached_thread(
    story_id: int,
    query: str,
    if_none_match: str,
    origin: str,
    accept_encoding: str = "",
    *,
    secure: bool = False,
) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
    """The cached response for a thread read, or None to let Django answer."""
    parsed = parse_thread_query(query)
    if parsed is None:
        return None
    try:
        state = _page_state(story_id)
        # As ApiCorsMiddleware decides: only the story's site's origins.
        cors = bool(origin) and state is not None and origin in origins.for_story(story_id)
    except Exception:  # noqa: BLE001 - a broken connection: let Django answer (and reconnect)
        log.warning("fast path could not read the story version", exc_info=True)
        connection.close()
        return None
    if state is None:
        return None
    version, shape = state
    key = threadcache.thread_key(story_id, version, shape, *parsed)
    page = cached_page(key, if_none_match=if_none_match, accept_encoding=accept_encoding)
    if page is None:
        return None
    headers = [(k.lower().encode(), v.encode("latin-1")) for k, v in page.headers.items()]
    headers += middleware_headers(secure)
    from threadline.server.middleware import cors_headers

    if cors:
        headers += [(k.lower().encode(), v.encode()) for k, v in cors_headers(origin).items()]
    # ApiCorsMiddleware adds Origin to Vary; CommonMiddleware sets Content-Length.
    headers = [(k, v + b", Origin") if k == b"vary" else (k, v) for k, v in headers]
    if not page.not_modified:
        headers.append((b"content-type", b"application/json"))
    if _COMMON in settings.MIDDLEWARE:
        headers.append((b"content-length", str(len(page.body)).encode()))
    return page.status, headers, page.body


class FastThreads:
    """ASGI wrapper around Django's application (see the module docstring).

    ``pool`` runs the version lookups (``None``: the event loop's default executor);
    ``asgi_routes`` hands requests whose path matches a pattern to another ASGI app."""

    def __init__(
        self,
        app: Any,
        *,
        pool: Executor | None = None,
        asgi_routes: list[tuple[re.Pattern[str], Any]] | None = None,
    ) -> None:
        self.app = app
        self.pool = pool
        self.asgi_routes = asgi_routes or []

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        for pattern, app in self.asgi_routes:
            if scope["type"] == "http" and pattern.match(scope["path"]):
                await app(scope, receive, send)
                return
        if scope["type"] == "http" and scope["method"] == "GET":
            match = THREAD_PATH.match(scope["path"])
            headers = dict(scope.get("headers") or []) if match else {}
            if match and not django_would_answer_itself(headers, scope):
                started = time.perf_counter()
                result = await asyncio.get_running_loop().run_in_executor(
                    self.pool,
                    partial(
                        cached_thread,
                        int(match.group(1)),
                        scope.get("query_string", b"").decode("latin-1"),
                        headers.get(b"if-none-match", b"").decode("latin-1"),
                        headers.get(b"origin", b"").decode("latin-1"),
                        headers.get(b"accept-encoding", b"").decode("latin-1"),
                        secure=is_secure(headers, scope),
                    ),
                )
                if result is not None:
                    status, response_headers, body = result
                    await send(
                        {
                            "type": "http.response.start",
                            "status": status,
                            "headers": response_headers,
                        }
                    )
                    await send({"type": "http.response.body", "body": body})
                    count_request(status, started)
                    return
        await self.app(scope, receive, send)
