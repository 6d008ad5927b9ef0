"""The hot path: thread pages that are already rendered are answered without entering
Django's request cycle.

A news story's thread is read thousands of times for every write. The page bytes are
cached by story version (``threadline.threadcache``); what is left per request is one
primary-key query for the current version. This ASGI wrapper does exactly that and
hands everything else — every miss, every other URL, every unusual parameter — to
Django unchanged, so the answer is byte-for-byte what the API view would send.
"""

from __future__ import annotations

import asyncio
import logging
import re
from concurrent.futures import Executor
from typing import Any
from urllib.parse import parse_qsl

from django.db import connection

from threadline import threadcache

log = logging.getLogger(__name__)

THREAD_PATH = re.compile(r"^/api/v1/stories/(\d{1,18})/comments$")
SORTS = frozenset({"best", "top", "newest", "oldest", "controversial"})
_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


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


def _story_version(story_id: int) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM threadline_story WHERE id = %s", [story_id])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def cached_thread(
    story_id: int, query: str, if_none_match: str, origin: str, accept_encoding: str = ""
) -> tuple[int, list[tuple[bytes, bytes]], bytes] | None:
    """The cached response for a thread read, or None to let Django answer."""
    parsed = parse_thread_query(query)
    if parsed is None:
        return None
    try:
        version = _story_version(story_id)
    except Exception:  # noqa: BLE001 - a broken connection: let Django answer (and reconnect)
        log.warning("fast path could not read the story version", exc_info=True)
        connection.close()
        return None
    if version is None:
        return None
    key = threadcache.thread_key(story_id, version, *parsed)
    gzipped = threadcache.accepts_gzip(accept_encoding)
    etag = threadcache.etag_for(key, gzipped=gzipped)
    headers = [
        (b"etag", etag.encode()),
        (b"cache-control", b"no-cache"),
        (b"vary", b"Accept-Encoding, Origin"),
        *_SECURITY_HEADERS,
    ]
    if origin:
        from threadline.middleware import allowed_origins, cors_headers

        if origin in allowed_origins():
            headers += [(k.lower().encode(), v.encode()) for k, v in cors_headers(origin).items()]
    if if_none_match == etag:
        return 304, headers, b""
    body = threadcache.peek(key)
    if body is None:
        return None
    if gzipped:
        body = threadcache.gzip_of(key, body)
        headers.append((b"content-encoding", b"gzip"))
    headers.append((b"content-type", b"application/json"))
    headers.append((b"content-length", str(len(body)).encode()))
    return 200, headers, body


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
            if match:
                headers = dict(scope.get("headers") or [])
                result = await asyncio.get_running_loop().run_in_executor(
                    self.pool,
                    cached_thread,
                    int(match.group(1)),
                    scope.get("query_string", b"").decode("latin-1"),
                    headers.get(b"if-none-match", b"").decode("latin-1"),
                    headers.get(b"origin", b"").decode("latin-1"),
                    headers.get(b"accept-encoding", b"").decode("latin-1"),
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
                    return
        await self.app(scope, receive, send)
