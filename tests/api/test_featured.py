"""``featured=1`` on the thread endpoint: the story's editor's picks, flat, in one query."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import StoryFactory, post_comment
from threadline.actions.moderation_desk import comment_feature, comment_reject
from threadline.server import threadcache

pytestmark = pytest.mark.django_db


def _featured(api, story, **params):  # noqa: ANN001,ANN003,ANN202
    r = api.get(f"/stories/{story.pk}/comments", featured=1, **params)
    assert r.status_code == 200
    return r.json()


def test_featured_lists_only_published_picks_at_any_depth(api, story):
    top = post_comment(story, "top").comment
    reply = post_comment(story, "a reply worth reading", parent=top).comment
    post_comment(story, "not picked")
    gone = post_comment(story, "picked, then removed").comment
    for c in (reply, top, gone):
        comment_feature(comment=c, actor=None)
    comment_reject(comment=gone, actor=None, reason_code="spam")

    page = _featured(api, story, sort="oldest")
    assert [c["id"] for c in page["comments"]] == [top.pk, reply.pk]
    assert all(c["featured"] and c["replies"] == [] for c in page["comments"])
    # The whole thread is unchanged by the filter's cache entry.
    assert len(api.get(f"/stories/{story.pk}/comments").json()["comments"]) == 2


def test_featured_pages_by_cursor(api, story):
    made = [post_comment(story, f"c{i}").comment for i in range(5)]
    for c in made:
        comment_feature(comment=c, actor=None)
    first = _featured(api, story, sort="newest", limit=3)
    second = _featured(api, story, sort="newest", limit=3, cursor=first["next_cursor"])
    ids = [c["id"] for c in first["comments"] + second["comments"]]
    assert ids == [c.pk for c in reversed(made)] and second["next_cursor"] is None


def _queries(client, story_id):  # noqa: ANN001,ANN202
    threadcache.clear_local()
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(f"/api/v1/stories/{story_id}/comments?featured=1&limit=50")
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_featured_costs_the_same_queries_whatever_its_size(client, site):
    small, big = StoryFactory(site=site), StoryFactory(site=site)
    comment_feature(comment=post_comment(small, "only one").comment, actor=None)
    parent = None
    for i in range(30):
        parent = post_comment(big, f"c{i}", parent=parent if i % 3 else None).comment
        comment_feature(comment=parent, actor=None)
    assert _queries(client, small.pk) == _queries(client, big.pk) <= 2
