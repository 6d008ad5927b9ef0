"""What each desk queue shows, its search and filters, and its fixed query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboard.world import World
from tests.factories import post_comment


def _queue(client: Any, world: World, **params: Any) -> str:
    client.force_login(world.moderator)
    response = client.get(reverse("desk:queue"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_pending_queue_shows_held_comment_with_its_markers(client: Any, world: World) -> None:
    html = _queue(client, world)
    assert f'id="c-{world.pending.pk}"' in html
    assert "Toxic 0.95" in html
    assert "In reply to Amira" in html  # the parent as context
    assert "Fighting near the river" in html  # the story
    assert f'id="c-{world.published.pk}"' not in html


def test_pending_queue_hides_other_sites(client: Any, world: World) -> None:
    assert f'id="c-{world.other_pending.pk}"' not in _queue(client, world)


def test_reported_queue_lists_published_comments_with_open_flags(client: Any, world: World) -> None:
    html = _queue(client, world, queue="reported")
    assert f'id="c-{world.reported.pk}"' in html
    assert "Flagged ×1" in html
    assert f'id="c-{world.published.pk}"' not in html


@pytest.mark.parametrize(
    ("queue", "expected", "absent"),
    [
        ("rejected", "rejected", "pending"),
        ("approved", "published", "pending"),
        ("all", "pending", None),
    ],
)
def test_each_queue_lists_its_comments(
    client: Any, world: World, queue: str, expected: str, absent: str | None
) -> None:
    html = _queue(client, world, queue=queue)
    assert f'id="c-{getattr(world, expected).pk}"' in html
    if absent:
        assert f'id="c-{getattr(world, absent).pk}"' not in html


@pytest.mark.parametrize("q", ["everyone who agrees", "Troll", "troll@example", "127.0.0.1"])
def test_search_by_text_author_email_and_ip(client: Any, world: World, q: str) -> None:
    html = _queue(client, world, queue="all", q=q)
    assert f'id="c-{world.pending.pk}"' in html
    if q != "127.0.0.1":
        assert f'id="c-{world.published.pk}"' not in html


def test_story_filter(client: Any, world: World) -> None:
    html = _queue(client, world, queue="all", story=world.story.pk + 1000)
    assert "Nothing in this queue" in html


def test_bad_filter_is_a_400(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    assert client.get(reverse("desk:queue"), {"site": "abc"}).status_code == 400
    assert client.get(reverse("desk:queue"), {"queue": "nope"}).status_code == 400


def test_counts_partial_counts_each_queue(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    html = client.get(reverse("desk:counts"), {"site": world.site.pk}).content.decode()
    assert 'data-queue="pending">1<' in html
    assert 'data-queue="reported">1<' in html
    assert 'data-queue="rejected">1<' in html
    assert 'hx-trigger="every 10s' in html


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("queue", ["pending", "reported", "rejected", "approved", "all"])
def test_queue_page_costs_a_fixed_number_of_queries(client: Any, world: World, queue: str) -> None:
    client.force_login(world.moderator)
    url = reverse("desk:queue") + f"?queue={queue}"
    before = _queries(client, url)
    for i in range(12):
        c = post_comment(
            world.story,
            f"Comment number {i} about the idiot convoy plan {i * 7}",
            name=f"P{i}",
            confirm=True,
            parent=world.published,
        ).comment
        if queue in ("approved", "reported"):
            from threadline.actions.moderation_desk import comment_approve

            comment_approve(comment=c, actor=world.moderator)
    assert _queries(client, url) == before
    assert before <= 12


def test_huge_story_id_is_a_400(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    assert client.get(reverse("desk:queue"), {"story": "9" * 25}).status_code == 400
    assert client.get(f"/moderate/comments/{'9' * 25}/").status_code == 403
