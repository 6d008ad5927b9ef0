"""Comment counts for ``GET /api/v1/counts``, kept in Redis when Threadline has one.

A front page asks for the counts of every story it lists, on every view. With
THREADLINE_REDIS_URL set, two kinds of entries answer it without the database:

- ``tl:cnt:u:<digest of the canonical URL>``: the story id for a page URL (0: no story yet);
- ``tl:cnt:s:<story id>``: the story's published comment count.

Every change to a count deletes its story's entry after the change commits (the comment
listener in ``threadline.delivery.jobs``; imports), and a new story deletes its URL's entry, so the
next read takes the count from the database. Entries also expire after
THREADLINE_COUNT_CACHE_SECONDS, which bounds the one interleaving deletion cannot cover (a
read that fetched the old count before a commit and stores it just after the deletion).

Without Redis (the embedded default) counts come from the database, one indexed query:
a per-process cache could not be told about a change made by another web process.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache

from threadline import queries

log = logging.getLogger("threadline.countcache")  # its name before the move


def _shared() -> bool:
    return bool(settings.REDIS_URL) and settings.THREADLINE["COUNT_CACHE_SECONDS"] > 0


def _url_key(url: str) -> str:
    return "tl:cnt:u:" + hashlib.sha1(url.encode(), usedforsecurity=False).hexdigest()


def _story_key(story_id: int) -> str:
    return f"tl:cnt:s:{story_id}"


def counts_for_urls(urls: list[str]) -> dict[str, int]:
    """Published comment counts of the stories at these canonical URLs (0 for a page
    without a story)."""
    if not _shared():
        return {url: count for url, (_, count) in queries.story_counts_by_url(urls).items()}
    try:
        return _cached_counts(urls)
    except Exception:  # noqa: BLE001 - Redis down: answer from the database
        log.warning("count cache unavailable", exc_info=True)
        return {url: count for url, (_, count) in queries.story_counts_by_url(urls).items()}


def _cached_counts(urls: list[str]) -> dict[str, int]:
    ttl = settings.THREADLINE["COUNT_CACHE_SECONDS"]
    url_keys = {url: _url_key(url) for url in urls}
    ids = cache.get_many(list(url_keys.values()))
    story_of = {url: ids[key] for url, key in url_keys.items() if key in ids}
    missing = [url for url in urls if url not in story_of]
    fresh: dict[str, object] = {}
    if missing:
        found = queries.story_counts_by_url(missing)
        for url in missing:
            story_id, count = found.get(url, (0, 0))
            story_of[url] = story_id
            fresh[url_keys[url]] = story_id
            if story_id:
                fresh[_story_key(story_id)] = count
    wanted = {_story_key(i): i for i in set(story_of.values()) if i}
    counts = {wanted[k]: v for k, v in cache.get_many(list(wanted)).items()}
    counts.update({wanted[k]: v for k, v in fresh.items() if k in wanted})
    unknown = [i for i in wanted.values() if i not in counts]
    if unknown:
        for story_id, count in queries.story_counts_by_id(unknown).items():
            counts[story_id] = count
            fresh[_story_key(story_id)] = count
    if fresh:
        cache.set_many(fresh, timeout=ttl)
    return {url: counts.get(story_of[url], 0) if story_of[url] else 0 for url in urls}


def forget_story(story_id: int) -> None:
    """A story's count changed (call after commit)."""
    if _shared():
        try:
            cache.delete(_story_key(story_id))
        except Exception:  # noqa: BLE001 - Redis down: entries expire on their own
            log.warning("count cache unavailable", exc_info=True)


def forget_url(url: str) -> None:
    """A story now exists at this canonical URL (call after commit)."""
    if _shared():
        try:
            cache.delete(_url_key(url))
        except Exception:  # noqa: BLE001
            log.warning("count cache unavailable", exc_info=True)
