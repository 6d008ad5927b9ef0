"""Gzip for the server-rendered HTML pages (a 300-comment story page is ~350 KB of HTML).

The JSON API is left alone: its thread reads gzip themselves (``threadline.threadcache``,
cached per page and ETag'd), the fast read path answers before Django, and the SSE stream
must not be buffered. Static files come gzipped from WhiteNoise.

BREACH: these pages carry CSRF tokens and reflect the query string. Django masks the CSRF
token afresh on every response, and its GZipMiddleware pads each response with a random
gzip file name ("Heal the BREACH"), so the length no longer leaks a secret byte by byte.
See docs/deploy.md.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware


class HtmlGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for ``text/html`` responses only."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not response.get("Content-Type", "").startswith("text/html"):
            return response
        return super().process_response(request, response)
