"""Fixed-window rate limits on Django's cache: per process by default, shared through Redis
when THREADLINE_REDIS_URL is set. A cache outage lets requests through rather than failing."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache

from threadline import errors

log = logging.getLogger("threadline.ratelimit")  # its name before the move


def parse_rate(rate: str) -> tuple[int, int] | None:
    if not rate:
        return None
    count, _, seconds = rate.partition("/")
    return int(count), int(seconds or 60)


def check_rate(*, name: str, key: str, setting: str) -> None:
    """Count one hit for ``key``; raise RateLimitedError with Retry-After when over the limit."""
    limit = parse_rate(settings.THREADLINE.get(setting, ""))
    if limit is None:
        return
    count, window = limit
    now = int(time.time())
    bucket = now // window
    cache_key = f"tl:rl:{name}:{key}:{bucket}"
    try:
        hits = 1 if cache.add(cache_key, 1, timeout=window + 1) else cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        hits = 1
    except Exception:  # noqa: BLE001 - a broken cache must not stop readers from posting
        log.warning("rate limit cache unavailable", exc_info=True)
        return
    if hits > count:
        raise errors.RateLimitedError(retry_after=max(1, (bucket + 1) * window - now))
