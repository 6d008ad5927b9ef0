"""/api/v1/counts from Redis in production mode: served without the database, and never
behind a change once that change has committed."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import StoryFactory, post_comment
from threadline.actions.comments import comment_set_status
from threadline.actions.stories import story_lookup_or_create
from threadline.models import CommentStatus, ModerationAction

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared(settings):
    """What THREADLINE_REDIS_URL turns on (the store itself is the test cache)."""
    settings.REDIS_URL = "redis://cache.invalid:6379/0"


def _count(api, url: str) -> int:
    r = api.get("/counts", url=url)
    assert r.status_code == 200, r.content
    return r.json()["counts"][url]


def test_counts_come_from_the_cache_once_read(api, story, shared, django_assert_num_queries):
    post_comment(story, "one")
    assert _count(api, story.url) == 1
    with django_assert_num_queries(0):
        assert _count(api, story.url) == 1


def test_every_change_of_a_count_is_seen_on_the_next_read(api, story, shared):
    first = post_comment(story, "one").comment
    assert _count(api, story.url) == 1
    post_comment(story, "two", parent=first)
    assert _count(api, story.url) == 2
    comment_set_status(comment=first, status=CommentStatus.REJECTED, action=ModerationAction.REJECT)
    assert _count(api, story.url) == 1
    comment_set_status(
        comment=first, status=CommentStatus.PUBLISHED, action=ModerationAction.APPROVE
    )
    assert _count(api, story.url) == 2


def test_a_page_without_a_story_counts_once_its_story_exists(api, site, shared):
    url = site.allowed_origins[0] + "/news/new-article"
    assert _count(api, url) == 0  # remembered as "no story here"
    story = story_lookup_or_create(url=url)
    post_comment(story, "first!")
    assert _count(api, url) == 1


def test_without_redis_counts_are_read_from_the_database(api, story, settings):
    settings.REDIS_URL = ""
    post_comment(story, "one")
    assert _count(api, story.url) == 1
    cache.clear()
    assert not cache.get_many([f"tl:cnt:s:{story.pk}"])
    post_comment(story, "two")
    assert _count(api, story.url) == 2


def test_a_cache_outage_falls_back_to_the_database(api, story, shared, monkeypatch):
    post_comment(story, "one")

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "get_many", down)
    monkeypatch.setattr(cache, "delete", down)
    assert _count(api, story.url) == 1
    post_comment(story, "two")  # the listener cannot delete: the post still succeeds
    assert _count(api, story.url) == 2


def test_many_pages_at_once(api, site, shared):
    a, b = StoryFactory(site=site), StoryFactory(site=site)
    post_comment(a, "x")
    r = api.client.get("/api/v1/counts", {"url": [a.url, b.url, "https://elsewhere.example/x"]})
    assert r.json()["counts"] == {a.url: 1, b.url: 0, "https://elsewhere.example/x": 0}
    post_comment(b, "y")
    r = api.client.get("/api/v1/counts", {"url": [a.url, b.url]})
    assert r.json()["counts"] == {a.url: 1, b.url: 1}
