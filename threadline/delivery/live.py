"""Live updates: comment changes fanned out to open Server-Sent Event streams.

Each web process runs one ``Hub`` in its event loop. With THREADLINE_REDIS_URL set, a change
is published on Redis (channel ``tl:live:<redis db>:<story id>``) and every process's hub,
subscribed once to ``tl:live:<redis db>:*``, hands it to its own open streams; without
Redis the hub of the process where the change happened gets it directly. As a safety net
the hub also polls the versions of watched stories: a change whose message was lost (Redis
restarting, another process without Redis) still reaches readers as a ``refresh`` event.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import time
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings

log = logging.getLogger("threadline.live")  # its name before the move

CHANNEL_PREFIX = "tl:live:"


def channel_prefix() -> str:
    """Pub/sub ignores Redis database numbers; naming the number in the channel keeps two
    installs on one Redis server (each on its own database) from hearing each other."""
    from urllib.parse import urlsplit

    db = urlsplit(settings.REDIS_URL).path.strip("/") or "0"
    return f"{CHANNEL_PREFIX}{db}:"


QUEUE_SIZE = 100
_REDIS_PAUSE = 5.0  # seconds to skip Redis after a failed publish


class Hub:
    """Open streams of one process, grouped by story."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None
        self.watchers: dict[int, set[asyncio.Queue[dict[str, Any]]]] = {}
        self.announced: dict[int, int] = {}  # newest story version a stream was told about
        self.polled: dict[int, int] = {}
        self.tasks: list[asyncio.Task[None]] = []

    def ensure_started(self) -> None:
        """Start the Redis subscriber and the poller in the running loop (once per loop)."""
        loop = asyncio.get_running_loop()
        if self.loop is loop and all(not t.done() for t in self.tasks):
            return
        self.loop = loop
        # A fresh context: the tasks outlive the request that happened to start them.
        self.tasks = [loop.create_task(self._poll(), context=contextvars.Context())]
        if settings.REDIS_URL:
            self.tasks.append(loop.create_task(self._subscribe(), context=contextvars.Context()))

    def subscribe(self, story_id: int, version: int) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self.watchers.setdefault(story_id, set()).add(queue)
        self.announced[story_id] = max(self.announced.get(story_id, 0), version)
        return queue

    def unsubscribe(self, story_id: int, queue: asyncio.Queue[dict[str, Any]]) -> None:
        queues = self.watchers.get(story_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self.watchers[story_id]
                self.announced.pop(story_id, None)
                self.polled.pop(story_id, None)

    def streams(self) -> int:
        return sum(len(q) for q in self.watchers.values())

    def deliver(self, event: dict[str, Any]) -> None:
        """Hand an event to every stream of its story (in the loop's thread)."""
        story_id = int(event["story_id"])
        version = int(event.get("version") or 0)
        self.announced[story_id] = max(self.announced.get(story_id, 0), version)
        for queue in list(self.watchers.get(story_id, ())):
            # A stuck client loses events (then the poll sends it a refresh).
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(event)

    def deliver_threadsafe(self, event: dict[str, Any]) -> None:
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        with contextlib.suppress(RuntimeError):  # loop closing
            loop.call_soon_threadsafe(self.deliver, event)

    async def _subscribe(self) -> None:
        import redis.asyncio as aioredis

        while True:
            client = aioredis.from_url(settings.REDIS_URL, socket_connect_timeout=1)
            try:
                pubsub = client.pubsub(ignore_subscribe_messages=True)
                await pubsub.psubscribe(channel_prefix() + "*")
                while True:
                    message = await pubsub.get_message(timeout=1.0)
                    if message and message.get("type") == "pmessage":
                        self.deliver(json.loads(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - Redis away: polling covers, retry shortly
                log.warning("live: Redis subscription lost; retrying", exc_info=True)
                await asyncio.sleep(2.0)
            finally:
                with contextlib.suppress(Exception):
                    await client.aclose()

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(settings.THREADLINE["LIVE_POLL_SECONDS"])
            if not self.watchers:
                continue
            try:
                versions = await sync_to_async(_story_versions)(list(self.watchers))
            except Exception:  # noqa: BLE001
                log.warning("live: version poll failed", exc_info=True)
                continue
            for story_id, version in versions.items():
                seen_twice = self.polled.get(story_id) == version
                self.polled[story_id] = version
                # Only a version stable over two polls: the pub/sub message had its chance.
                if seen_twice and version > self.announced.get(story_id, 0):
                    self.deliver({"story_id": story_id, "kind": "refresh", "version": version})


def _story_versions(ids: list[int]) -> dict[int, int]:
    from threadline.models import Story

    return dict(Story.objects.filter(pk__in=ids).values_list("pk", "version"))


hub = Hub()

_redis_client: Any = None
_redis_paused_until = 0.0


def _publish_redis(event: dict[str, Any]) -> bool:
    global _redis_client, _redis_paused_until
    if not settings.REDIS_URL or time.monotonic() < _redis_paused_until:
        return False
    try:
        if _redis_client is None:
            import redis

            _redis_client = redis.Redis.from_url(
                settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5
            )
        _redis_client.publish(channel_prefix() + str(event["story_id"]), json.dumps(event))
        return True
    except Exception:  # noqa: BLE001 - fall back to this process's streams
        log.warning("live: Redis publish failed; local delivery only", exc_info=True)
        _redis_paused_until = time.monotonic() + _REDIS_PAUSE
        return False


def announce(*, story_id: int, comment_id: int, kind: str, status: str, version: int) -> None:
    """Tell open streams about a change (called after commit, from any thread)."""
    if kind in ("posted", "edited") and status != "published":
        return  # a held or rejected comment changes nothing a reader sees
    event = {"story_id": story_id, "comment_id": comment_id, "kind": kind, "version": version}
    if not _publish_redis(event):
        hub.deliver_threadsafe(event)


def format_event(event: dict[str, Any]) -> str:
    name = "refresh" if event.get("kind") == "refresh" else "comment"
    return (
        f"id: {int(event.get('version') or 0)}\nevent: {name}\n"
        f"data: {json.dumps(event, separators=(',', ':'))}\n\n"
    )
