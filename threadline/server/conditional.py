"""Conditional, compressed answers for cached thread pages: ETag, If-None-Match, gzip.

The API's thread view and the fast path (``fastpath``) answer from the same page cache
(``threadline.server.threadcache``). Both ask ``cached_page``, so the status, the view's own
headers and the body are decided in one place and cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from threadline.server import threadcache


@dataclass(frozen=True)
class Page:
    """One answer: 200 with the (maybe gzipped) page, or 304 with no body."""

    status: int
    headers: dict[str, str]  # the view's own, as threadcache.thread_headers gives them
    body: bytes

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def cached_page(
    key: str,
    *,
    if_none_match: str,
    accept_encoding: str,
    build: Callable[[], bytes] | None = None,
) -> Page | None:
    """The answer for the page cached under ``key``. A missing page is built with
    ``build`` and cached; without ``build`` (the fast path) the answer is None, and Django
    answers instead. A matching If-None-Match is a 304, whether or not the page is cached."""
    gzipped = threadcache.accepts_gzip(accept_encoding)
    etag = threadcache.etag_for(key, gzipped=gzipped)
    if if_none_match == etag:
        headers = threadcache.thread_headers(etag, gzipped=gzipped, not_modified=True)
        return Page(304, headers, b"")
    body = threadcache.peek(key) if build is None else threadcache.get_or_build(key, build)
    if body is None:
        return None
    if gzipped:
        body = threadcache.gzip_of(key, body)
    return Page(200, threadcache.thread_headers(etag, gzipped=gzipped, not_modified=False), body)


def page_response(request: HttpRequest, key: str, build: Callable[[], bytes]) -> HttpResponse:
    """The view's answer for the JSON page cached under ``key`` (built when missing)."""
    page = cached_page(
        key,
        if_none_match=request.META.get("HTTP_IF_NONE_MATCH", ""),
        accept_encoding=request.META.get("HTTP_ACCEPT_ENCODING", ""),
        build=build,
    )
    assert page is not None  # with ``build``, a missing page is built
    if page.not_modified:
        return HttpResponseNotModified(headers=page.headers)
    return HttpResponse(page.body, content_type="application/json", headers=page.headers)
