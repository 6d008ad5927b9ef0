"""The demo looks like a real war-news comment section and keeps held comments private."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.staticfiles import finders
from django.db import transaction
from django.db.models import Max

from threadline import queries
from threadline.demo import HELD, load_demo
from threadline.models import Comment, CommentStatus, Site, Story

ORIGINS = ["http://127.0.0.1:8000"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[Site]:  # noqa: ANN001
    """Load the demo once for the module, inside a transaction rolled back at the end."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield load_demo(origins=ORIGINS)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo_db(demo: Site, db) -> Site:  # noqa: ANN001
    return demo


def _all_thread_bodies(story: Story) -> str:
    """Every comment a reader can reach on the story's pages, following every cursor."""
    out, cursor = [], None
    while True:
        page = queries.thread_page(
            story=story, sort="oldest", cursor=cursor, limit=50, max_depth=50
        )
        stack = list(page.comments)
        while stack:
            node = stack.pop()
            out.append(node["body_html"])
            stack.extend(node["replies"])
        if not page.next_cursor:
            return "\n".join(out)
        cursor = page.next_cursor


def test_demo_has_hundreds_of_comments(demo_db: Site) -> None:
    assert Comment.objects.filter(site=demo_db, status=CommentStatus.PUBLISHED).count() >= 500


def test_demo_has_reply_chains_at_least_five_levels_deep_on_several_stories(demo_db: Site) -> None:
    deep = Story.objects.filter(site=demo_db).annotate(deepest=Max("comments__depth"))
    assert sum(1 for s in deep if (s.deepest or 0) >= 5) >= 3


def test_most_demo_comments_are_short(demo_db: Site) -> None:
    lengths = sorted(
        len(b) for b in Comment.objects.filter(site=demo_db).values_list("body", flat=True)
    )
    assert lengths[len(lengths) // 2] < 120


def test_held_demo_comments_wait_in_the_queue_with_reasons(demo_db: Site) -> None:
    held = list(Comment.objects.filter(site=demo_db, status=CommentStatus.PENDING))
    assert len(held) == len(HELD)
    assert all(c.moderation_reasons for c in held)
    reasons = " ".join(r for c in held for r in c.moderation_reasons)
    assert "Insult" in reasons and "Suspect phrase" in reasons and "Link" in reasons


def test_held_demo_comments_are_not_in_any_public_thread(demo_db: Site, client) -> None:  # noqa: ANN001
    held = [c.body for c in Comment.objects.filter(site=demo_db, status=CommentStatus.PENDING)]
    for story in Story.objects.filter(site=demo_db):
        reachable = _all_thread_bodies(story)
        page = client.get(f"/stories/{story.pk}/?sort=newest").content.decode()
        api = client.get(
            f"/api/v1/stories/{story.pk}/comments?sort=newest&limit=100"
        ).content.decode()
        for body in held:
            assert body[:20] not in reachable and body[:20] not in page and body[:20] not in api


def test_demo_story_pages_show_a_tombstone_and_a_closed_story(demo_db: Site, client) -> None:  # noqa: ANN001
    first, *_, last = Story.objects.filter(site=demo_db).order_by("-published_at")
    assert (
        "Comment deleted by its author"
        in client.get(f"/stories/{first.pk}/?sort=oldest").content.decode()
    )
    assert not last.is_open
    assert (
        "Comments on this story are closed" in client.get(f"/stories/{last.pk}/").content.decode()
    )


def test_demo_lead_images_are_local_static_files(demo_db: Site, client) -> None:  # noqa: ANN001
    for story in Story.objects.filter(site=demo_db):
        assert story.lead_image_url.startswith("/static/threadline/demo/")
        assert finders.find(story.lead_image_url.removeprefix("/static/"))
        assert story.lead_image_caption
        assert (
            f'src="{story.lead_image_url}"' in client.get(f"/stories/{story.pk}/").content.decode()
        )
