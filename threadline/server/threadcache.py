"""Rendered thread pages, keyed by the story's version and the site settings they show.

The version is bumped in the same transaction as every change a reader can see, and read
fresh on every request, so a cached page is never stale: a new version is a new key. The
site settings a page reads (``PAGE_SITE_FIELDS``) are read fresh with it and are part of
the key too, so a changed setting is a new key however it was saved (the settings
action, the desk form, Django's admin, a queryset update).
Two levels: a small per-process LRU (no network) and Django's cache (Redis when
configured, shared by every web process).
"""

from __future__ import annotations

import gzip
import hashlib
import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from threading import Lock
from typing import Any

from django.conf import settings
from django.core.cache import cache

log = logging.getLogger("threadline.threadcache")  # its name before the move

_LOCAL: OrderedDict[str, bytes] = OrderedDict()
_LOCAL_MAX = 512
_lock = Lock()
_BUILDING: dict[str, Lock] = {}


# Every Site field that shapes a thread page (``queries.thread_page``: the default depth).
# tests/test_cache_settings.py records which Site fields building a page reads and fails
# when one is missing here.
PAGE_SITE_FIELDS: tuple[str, ...] = ("max_depth",)


def site_shape(values: Sequence[Any]) -> str:
    """A digest of the ``PAGE_SITE_FIELDS`` values, in that order."""
    return hashlib.blake2b(repr(tuple(values)).encode(), digest_size=8).hexdigest()


def site_shape_of(site: Any) -> str:
    return site_shape([getattr(site, name) for name in PAGE_SITE_FIELDS])


def thread_key(
    story_id: int,
    version: int,
    shape: str,
    sort: str,
    cursor: str,
    limit: int,
    depth: int | None,
    *,
    featured: bool = False,
) -> str:
    """The one spelling of a thread page's cache key (the API view and the fast path);
    ``shape`` is ``site_shape`` of the story's site. The fast path never serves
    ``featured`` pages (it declines unknown parameters), so their keys differ by a suffix."""
    key = f"tl:thread:{story_id}:{version}:{shape}:{sort}:{cursor}:{limit}:{depth}"
    return key + ":featured" if featured else key


def thread_headers(etag: str, *, gzipped: bool, not_modified: bool) -> dict[str, str]:
    """The headers the thread view sets itself, for a page (200) or its 304; the fast path
    sends these too, with what the middleware adds (``threadline.server.fastpath``)."""
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if gzipped and not not_modified:
        headers["Content-Encoding"] = "gzip"
    return headers


def etag_for(key: str, *, gzipped: bool = False) -> str:
    """A strong ETag per page and encoding (the gzip body is another representation)."""
    tag = hashlib.blake2b(key.encode(), digest_size=12).hexdigest()
    return f'"{tag}-gz"' if gzipped else f'"{tag}"'


def accepts_gzip(accept_encoding: str) -> bool:
    return any(
        part.split(";")[0].strip() == "gzip" and not part.replace(" ", "").endswith(";q=0")
        for part in accept_encoding.lower().split(",")
    )


def gzip_of(key: str, body: bytes) -> bytes:
    """The page compressed once and cached beside it: a 1,000-comment thread is 630 KB of
    JSON and about 120 KB gzipped, and compressing it costs more than serving it."""
    return get_or_build(key + ":gz", lambda: gzip.compress(body, compresslevel=5, mtime=0))


def _local_get(key: str) -> bytes | None:
    with _lock:
        hit = _LOCAL.get(key)
        if hit is not None:
            _LOCAL.move_to_end(key)
        return hit


def get_or_build(key: str, build: Callable[[], bytes]) -> bytes:
    """The cached page, or build it — once per process even when many readers ask for a
    new version at the same moment (the others wait for that build instead of repeating
    it: after each post on a busy story, every open widget asks at once)."""
    seconds = settings.THREADLINE["THREAD_CACHE_SECONDS"]
    if seconds <= 0:
        return build()
    hit = _local_get(key)
    if hit is not None:
        return hit
    with _lock:
        building = _BUILDING.setdefault(key, Lock())
    with building:
        try:
            hit = _local_get(key)
            if hit is not None:
                return hit
            return _fetch_or_build(key, build, seconds)
        finally:
            with _lock:
                _BUILDING.pop(key, None)


def _fetch_or_build(key: str, build: Callable[[], bytes], seconds: int) -> bytes:
    try:
        shared = cache.get(key)
    except Exception:  # noqa: BLE001 - Redis down: build the page, do not fail the read
        log.warning("thread cache unavailable", exc_info=True)
        shared = None
    if shared is None:
        shared = build()
        try:
            cache.set(key, shared, timeout=seconds)
        except Exception:  # noqa: BLE001
            log.warning("thread cache unavailable", exc_info=True)
    with _lock:
        _LOCAL[key] = shared
        while len(_LOCAL) > _LOCAL_MAX:
            _LOCAL.popitem(last=False)
    return shared


def peek(key: str) -> bytes | None:
    """A cached page if this process or the shared cache has it; never builds one."""
    if settings.THREADLINE["THREAD_CACHE_SECONDS"] <= 0:
        return None
    with _lock:
        hit = _LOCAL.get(key)
        if hit is not None:
            _LOCAL.move_to_end(key)
            return hit
    try:
        shared = cache.get(key)
    except Exception:  # noqa: BLE001
        return None
    if shared is not None:
        with _lock:
            _LOCAL[key] = shared
            while len(_LOCAL) > _LOCAL_MAX:
                _LOCAL.popitem(last=False)
    return shared


def clear_local() -> None:
    with _lock:
        _LOCAL.clear()
