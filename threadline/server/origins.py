"""Which browser pages may use which site's threads.

A story belongs to one site, and only pages on that site's allowed origins may read its
thread from a browser (CORS) or write into it (the Origin check on writes). Everything the
API middleware (``threadline.server.middleware.ApiCorsMiddleware``) and the fast read path
(``threadline.server.fastpath``) decide about origins comes from here, so the two cannot drift.

Each process keeps every site's origins for ``_TTL`` seconds (one small query), and which
site a story or a comment belongs to, which never changes, until ``forget_origins``. So a
request costs dictionary lookups, and one primary-key query the first time a process sees
a story or a comment under a foreign page's Origin.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.conf import settings

from threadline import errors

_TTL = 10.0
_MAX_IDS = 100_000
# (read at, site id -> origins, every site's origins together)
_SITES: tuple[float, dict[int, frozenset[str]], frozenset[str]] = (0.0, {}, frozenset())
_STORY_SITE: dict[int, int] = {}
_COMMENT_SITE: dict[int, int] = {}

STORY_PATH = re.compile(r"^/api/v1/stories/(\d{1,18})(?:/|$)")
COMMENT_PATH = re.compile(r"^/api/v1/comments/(\d{1,18})(?:/|$)")
LOOKUP_PATH = "/api/v1/stories/lookup"
# What a browser page can send that changes something (GET, HEAD and OPTIONS change nothing).
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _sites() -> tuple[dict[int, frozenset[str]], frozenset[str]]:
    global _SITES
    stamp, by_site, every = _SITES
    if time.monotonic() - stamp > _TTL:
        from threadline.models import Site

        by_site = {
            pk: frozenset(values or ())
            for pk, values in Site.objects.values_list("pk", "allowed_origins")
        }
        every = frozenset().union(*by_site.values())
        _SITES = (time.monotonic(), by_site, every)
    return by_site, every


def allowed_origins() -> frozenset[str]:
    """Every site's allowed origins together."""
    return _sites()[1]


def forget_origins() -> None:
    global _SITES
    _SITES = (0.0, {}, frozenset())
    _STORY_SITE.clear()
    _COMMENT_SITE.clear()


def _remember(cache: dict[int, int], key: int, site_id: int) -> None:
    if len(cache) >= _MAX_IDS:
        cache.clear()  # rare, and refilled one query at a time
    cache[key] = site_id


def _story_site_id(story_id: int) -> int | None:
    site_id = _STORY_SITE.get(story_id)
    if site_id is None:
        from threadline.models import Story

        site_id = Story.objects.filter(pk=story_id).values_list("site_id", flat=True).first()
        if site_id is not None:  # an id not used yet may be a story's later
            _remember(_STORY_SITE, story_id, site_id)
    return site_id


def _comment_site_id(comment_id: int) -> int | None:
    site_id = _COMMENT_SITE.get(comment_id)
    if site_id is None:
        from threadline.models import Comment

        site_id = Comment.objects.filter(pk=comment_id).values_list("site_id", flat=True).first()
        if site_id is not None:
            _remember(_COMMENT_SITE, comment_id, site_id)
    return site_id


def _page_site_id(url: str, by_site: Mapping[int, frozenset[str]]) -> int | None:
    from threadline.actions.sites import normalize_origin

    try:
        origin = normalize_origin(url)
    except errors.ThreadlineError:
        return None
    return next((pk for pk, origins in by_site.items() if origin in origins), None)


def for_story(story_id: int) -> frozenset[str]:
    """The origins whose pages may use the story's thread: its site's. For an id that is no
    story, every site's (the view answers 404 to them as to anyone)."""
    by_site, every = _sites()
    site_id = _story_site_id(story_id)
    return every if site_id is None else by_site.get(site_id, frozenset())


def for_request(path: str, page_url: str | None = None) -> frozenset[str]:
    """The origins whose pages may use the API at ``path``: the story's site's under
    /stories/{id}/ and /comments/{id}/, for lookup the site's of the page URL asked for
    (``page_url``), every site's for the rest (accounts, counts) and for what matches no
    story, comment or site (the view answers 404 or 403 to them as to anyone)."""
    if match := STORY_PATH.match(path):
        return for_story(int(match[1]))
    by_site, every = _sites()
    site_id = None
    if match := COMMENT_PATH.match(path):
        site_id = _comment_site_id(int(match[1]))
    elif path == LOOKUP_PATH and page_url:
        site_id = _page_site_id(page_url, by_site)
    return every if site_id is None else by_site.get(site_id, frozenset())


def page_origin(meta: Mapping[str, str]) -> str:
    """The origin of the page a browser request comes from: its Origin header, or without
    one the origin of its Referer (older browsers send no Origin on some writes); "" when it
    names neither, as servers and scripts do. A Referer that is not an http(s) URL (an app's
    ``android-app://``) counts as none."""
    origin = meta.get("HTTP_ORIGIN", "")
    if origin or not meta.get("HTTP_REFERER"):
        return origin
    from threadline.actions.sites import normalize_origin

    try:
        return normalize_origin(meta["HTTP_REFERER"])
    except errors.ThreadlineError:
        return ""


def is_own(origin: str, host: str) -> bool:
    """A page of Threadline itself (the API docs, its story pages): it is served from the
    host the request went to, or from THREADLINE_PUBLIC_URL."""
    try:
        netloc = urlsplit(origin).netloc.lower()
        public = urlsplit(settings.PUBLIC_URL).netloc.lower()
    except ValueError:
        return False
    return bool(netloc) and netloc in (host.lower(), public)


def check_write(
    *, method: str, path: str, meta: Mapping[str, str], host: str, page_url: str | None = None
) -> None:
    """Raise ForeignOriginError for a browser write from a page outside the origins of the
    site it writes to (``for_request``); requests naming no page pass, and so do
    Threadline's own pages (``host``: the host the request was sent to)."""
    if method not in WRITE_METHODS:
        return
    origin = page_origin(meta)
    if not origin or is_own(origin, host):
        return
    if origin not in for_request(path, page_url):
        raise errors.ForeignOriginError()
