"""Live updates: the hub hands events to the streams of their story; the SSE endpoint
streams them with heartbeats and ends after the configured time."""

from __future__ import annotations

import asyncio

import pytest
from django.test import AsyncClient

from threadline.delivery import live

pytestmark = pytest.mark.django_db(transaction=True)


def _in_thread(fn):  # noqa: ANN001,ANN202
    """Run ``fn`` in a fresh thread: Playwright's sync API (browser tests) can leave an event
    loop running in the main thread, where asyncio.run and async views refuse to run."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn).result(timeout=30)


def _arun(coro):  # noqa: ANN001,ANN202
    return _in_thread(lambda: asyncio.run(coro))


def test_held_and_rejected_posts_are_not_announced(monkeypatch):
    sent = []
    monkeypatch.setattr(live.hub, "deliver_threadsafe", sent.append)
    live.announce(story_id=1, comment_id=2, kind="posted", status="pending", version=3)
    live.announce(story_id=1, comment_id=2, kind="approved", status="published", version=4)
    assert sent == [{"story_id": 1, "comment_id": 2, "kind": "approved", "version": 4}]


def test_events_are_formatted_with_the_version_as_id():
    text = live.format_event({"story_id": 1, "comment_id": 5, "kind": "posted", "version": 9})
    assert text.startswith("id: 9\nevent: comment\ndata: {")
    assert text.endswith("\n\n")


async def _read(response, until: str, limit: float = 5.0) -> str:  # noqa: ANN001
    text = ""

    async def consume() -> None:
        nonlocal text
        async for chunk in response.streaming_content:
            text += chunk.decode() if isinstance(chunk, bytes) else chunk
            if until in text:
                return

    await asyncio.wait_for(consume(), limit)
    return text


def test_a_posted_comment_reaches_an_open_stream(story, settings):
    from asgiref.sync import sync_to_async

    from tests.factories import post_comment

    settings.THREADLINE = {
        **settings.THREADLINE,
        "LIVE_MAX_SECONDS": 3.0,
        "LIVE_HEARTBEAT_SECONDS": 0.2,
    }

    async def scenario() -> str:
        response = await AsyncClient().get(f"/api/v1/stories/{story.pk}/events")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/event-stream"
        assert response["X-Accel-Buffering"] == "no"
        posted = await sync_to_async(post_comment)(story, "Live!")
        return await _read(response, f'"comment_id":{posted.comment.pk}')

    text = _arun(scenario())
    assert ": connected" in text and '"kind":"posted"' in text


def test_a_stream_sends_heartbeats_and_ends(story, settings):
    settings.THREADLINE = {
        **settings.THREADLINE,
        "LIVE_MAX_SECONDS": 0.5,
        "LIVE_HEARTBEAT_SECONDS": 0.1,
    }

    text = _arun(_collect(story.pk))
    assert text.count(": ping") >= 2


async def _collect(story_id: int) -> str:
    response = await AsyncClient().get(f"/api/v1/stories/{story_id}/events")
    text = ""
    async for chunk in response.streaming_content:
        text += chunk.decode() if isinstance(chunk, bytes) else chunk
    return text


def test_a_client_that_missed_changes_is_told_to_refresh(story):
    async def scenario() -> str:
        response = await AsyncClient().get(
            f"/api/v1/stories/{story.pk}/events", headers={"Last-Event-ID": "0"}
        )
        return await _read(response, "event: refresh")

    from django.db.models import F

    from threadline.models import Story

    Story.objects.filter(pk=story.pk).update(version=F("version") + 1)
    assert "event: refresh" in _arun(scenario())


def test_an_unknown_story_has_no_stream(client):
    r = _in_thread(lambda: client.get("/api/v1/stories/999999/events"))
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
