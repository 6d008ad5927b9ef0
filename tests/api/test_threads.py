"""Thread reads: sorting, cursors, counts, caching and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import StoryFactory, post_comment
from threadline.actions.votes import vote_cast
from threadline.domain.identity import Actor
from threadline.models import Comment

pytestmark = pytest.mark.django_db


def _ids(page):  # noqa: ANN001,ANN202
    return [c["id"] for c in page["comments"]]


def _vote(comment, n_up, n_down):  # noqa: ANN001,ANN202
    for i in range(n_up):
        vote_cast(comment=comment, actor=Actor(guest_key=f"u{i}"), value=1)
    for i in range(n_down):
        vote_cast(comment=comment, actor=Actor(guest_key=f"d{i}"), value=-1)


def test_sorts_order_top_level_comments(api, story, settings):
    settings.THREADLINE = {**settings.THREADLINE, "RATE_LIMIT_VOTE_IP": ""}
    a, b, c = (post_comment(story, t).comment for t in ("a", "b", "c"))
    _vote(a, 1, 0)
    _vote(b, 10, 1)
    _vote(c, 2, 8)
    get = lambda sort: _ids(api.get(f"/stories/{story.pk}/comments", sort=sort).json())  # noqa: E731
    assert get("newest") == [c.pk, b.pk, a.pk]
    assert get("oldest") == [a.pk, b.pk, c.pk]
    assert get("top") == [b.pk, a.pk, c.pk]
    assert get("best") == [b.pk, a.pk, c.pk]
    assert get("controversial")[0] == c.pk


def test_unknown_sort_is_a_400(api, story):
    r = api.get(f"/stories/{story.pk}/comments", sort="random")
    assert r.status_code == 400 and r.json()["error"]["field"] == "sort"


@pytest.mark.parametrize("sort", ["best", "newest", "oldest", "top", "controversial"])
def test_cursor_pages_cover_every_top_level_comment_once(api, story, sort, settings):
    settings.THREADLINE = {**settings.THREADLINE, "RATE_LIMIT_VOTE_IP": ""}
    made = [post_comment(story, f"c{i}").comment for i in range(7)]
    _vote(made[3], 2, 0)
    seen, cursor = [], ""
    for _ in range(10):
        page = api.get(f"/stories/{story.pk}/comments", sort=sort, limit=3, cursor=cursor).json()
        seen += _ids(page)
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(c.pk for c in made)


def test_replies_are_sorted_like_the_top_level(api, story):
    top = post_comment(story, "top").comment
    r1 = post_comment(story, "r1", parent=top).comment
    r2 = post_comment(story, "r2", parent=top).comment
    page = api.get(f"/stories/{story.pk}/comments", sort="newest").json()
    assert [r["id"] for r in page["comments"][0]["replies"]] == [r2.pk, r1.pk]
    page = api.get(f"/stories/{story.pk}/comments", sort="oldest").json()
    assert [r["id"] for r in page["comments"][0]["replies"]] == [r1.pk, r2.pk]


def _thread_queries(client, story_id):  # noqa: ANN001,ANN202
    from threadline.server import threadcache

    threadcache.clear_local()
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(f"/api/v1/stories/{story_id}/comments?limit=50")
    assert r.status_code == 200
    return len(ctx.captured_queries)


def test_a_thread_page_costs_the_same_queries_whatever_its_size(client, site):
    small, big = StoryFactory(site=site), StoryFactory(site=site)
    post_comment(small, "only one")
    parents = []
    for i in range(60):
        parent = parents[-1] if parents and i % 3 else None
        parents.append(post_comment(big, f"c{i}", parent=parent).comment)
    assert _thread_queries(client, small.pk) == _thread_queries(client, big.pk) <= 3


def test_a_cached_page_is_never_stale(api, story):
    post_comment(story, "first")
    assert len(api.get(f"/stories/{story.pk}/comments").json()["comments"]) == 1
    second = post_comment(story, "second").comment
    assert len(api.get(f"/stories/{story.pk}/comments").json()["comments"]) == 2
    from threadline.actions.moderation_desk import comment_reject

    comment_reject(comment=second, actor=None, reason_code="spam")
    assert len(api.get(f"/stories/{story.pk}/comments").json()["comments"]) == 1


def test_etag_answers_304_until_the_thread_changes(api, story):
    post_comment(story, "first")
    r = api.get(f"/stories/{story.pk}/comments")
    etag = r["ETag"]
    assert (
        api.get(f"/stories/{story.pk}/comments", headers={"If-None-Match": etag}).status_code == 304
    )
    post_comment(story, "second")
    assert (
        api.get(f"/stories/{story.pk}/comments", headers={"If-None-Match": etag}).status_code == 200
    )


def test_counts_for_many_pages(api, site):
    a, b = StoryFactory(site=site), StoryFactory(site=site)
    post_comment(a, "x")
    post_comment(a, "y")
    r = api.get("/counts", url=[a.url, b.url, "https://unknown.example/x"])
    assert r.json()["counts"] == {a.url: 2, b.url: 0, "https://unknown.example/x": 0}


def test_lookup_creates_a_story_only_for_allowed_origins(api, site):
    url = site.allowed_origins[0] + "/2017/09/deir-ezzor"
    r = api.get("/stories/lookup", url=url, title="Deir ez-Zor")
    assert r.status_code == 200 and r.json()["title"] == "Deir ez-Zor"
    assert api.get("/stories/lookup", url=url).json()["id"] == r.json()["id"]
    r = api.get("/stories/lookup", url="https://evil.example/page")
    assert r.status_code == 403 and r.json()["error"]["code"] == "origin_not_allowed"


def test_counters_never_drift(api, story):
    a = post_comment(story, "a").comment
    b = post_comment(story, "b", parent=a).comment
    post_comment(story, "c", parent=b)
    from threadline.actions.moderation_desk import comment_approve, comment_reject

    comment_reject(comment=b, actor=None, reason_code="spam")
    story.refresh_from_db()
    assert (
        story.comment_count == Comment.objects.filter(story=story, status="published").count() == 2
    )
    assert Comment.objects.get(pk=a.pk).reply_count == 1
    comment_approve(comment=b, actor=None)
    assert Comment.objects.get(pk=a.pk).reply_count == 2
    story.refresh_from_db()
    assert story.comment_count == 3
