"""GET /api/v1/stories/{id}/events: a Server-Sent Events stream of the story's changes.

Each event names the comment that changed (``event: comment``) or asks for a re-read
(``event: refresh``); ``id`` is the story version, so a reconnecting client that sends
``Last-Event-ID`` is told to refresh when it missed something. Comment lines keep proxies
from timing out, and the stream ends after THREADLINE_LIVE_MAX_SECONDS so that clients
reconnect (the browser's EventSource does so by itself).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router

from threadline import queries
from threadline.api.schemas import ErrorOut
from threadline.delivery import live

router = Router(tags=["live"])

STREAM_DOC = {
    "responses": {
        "200": {
            "description": "text/event-stream: `event: comment` with data "
            '`{"story_id","comment_id","kind","version"}` (kind is posted, edited, voted, '
            "approved, held, rejected or deleted) and `event: refresh` when changes may have "
            "been missed; `: ping` heartbeats.",
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
        }
    }
}


def _last_event_id(request: HttpRequest) -> int | None:
    raw = request.headers.get("Last-Event-ID", "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


async def _stream(
    story_id: int, version: int, last_id: int | None, queue: asyncio.Queue[dict[str, Any]]
) -> AsyncIterator[str]:
    conf = settings.THREADLINE
    try:
        yield "retry: 2000\n: connected\n\n"
        if last_id is not None and last_id < version:
            yield live.format_event({"story_id": story_id, "kind": "refresh", "version": version})
        deadline = time.monotonic() + conf["LIVE_MAX_SECONDS"]
        beat = conf["LIVE_HEARTBEAT_SECONDS"]
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = await asyncio.wait_for(queue.get(), timeout=min(beat, left))
            except TimeoutError:
                yield ": ping\n\n"
                continue
            yield live.format_event(event)
    finally:
        live.hub.unsubscribe(story_id, queue)


@router.get("/stories/{story_id}/events", response={404: ErrorOut}, openapi_extra=STREAM_DOC)
async def story_events(request: HttpRequest, story_id: int) -> StreamingHttpResponse:
    """Live changes of one story's thread, as Server-Sent Events."""
    story = await sync_to_async(queries.access_story_for_reader)(story_id=story_id)
    live.hub.ensure_started()
    queue = live.hub.subscribe(story.pk, story.version)
    response = StreamingHttpResponse(
        _stream(story.pk, story.version, _last_event_id(request), queue),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass events through at once
    return response
