from __future__ import annotations

import pytest

from tests.factories import post_comment
from threadline.models import Comment, CommentStatus, Flag, Vote

pytestmark = pytest.mark.django_db


def test_vote_up_down_and_withdraw(api, story):
    c = post_comment(story, "vote on me").comment
    api.guest = "reader-1"
    assert api.post(f"/comments/{c.pk}/votes", {"value": 1}).json()["upvotes"] == 1
    out = api.post(f"/comments/{c.pk}/votes", {"value": -1}).json()
    assert (out["upvotes"], out["downvotes"], out["score"]) == (0, 1, -1)
    out = api.post(f"/comments/{c.pk}/votes", {"value": 0}).json()
    assert (out["upvotes"], out["downvotes"]) == (0, 0)
    assert Vote.objects.count() == 0


def test_one_vote_per_reader(api, story):
    c = post_comment(story, "x").comment
    api.guest = "reader-1"
    api.post(f"/comments/{c.pk}/votes", {"value": 1})
    api.post(f"/comments/{c.pk}/votes", {"value": 1})
    api.guest = "reader-2"
    api.post(f"/comments/{c.pk}/votes", {"value": 1})
    assert Comment.objects.get(pk=c.pk).upvotes == 2


@pytest.mark.parametrize("value", [2, -2, "1", None, 1.5])
def test_invalid_vote_values(api, story, value):
    c = post_comment(story, "x").comment
    r = api.post(f"/comments/{c.pk}/votes", {"value": value})
    assert r.status_code == 400 and r.json()["error"]["field"] == "value"


def test_vote_on_missing_comment_is_404(api, story):
    r = api.post("/comments/99999/votes", {"value": 1})
    assert r.status_code == 404 and r.json()["error"]["code"] == "comment_not_found"


def test_flag_with_reason_and_note(api, story):
    c = post_comment(story, "x").comment
    api.guest = "r1"
    r = api.post(f"/comments/{c.pk}/flags", {"reason": "spam", "note": "link farm"})
    assert r.status_code == 201
    assert Flag.objects.get().note == "link farm"
    r = api.post(f"/comments/{c.pk}/flags", {"reason": "spam"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "duplicate"
    r = api.post(f"/comments/{c.pk}/flags", {"reason": "because"})
    assert r.status_code == 400 and r.json()["error"]["field"] == "reason"


def test_enough_distinct_flags_hold_the_comment(api, story):
    c = post_comment(story, "x").comment
    for i in range(story.site.flag_hold_count):
        api.guest = f"flagger-{i}"
        api.post(f"/comments/{c.pk}/flags", {"reason": "abuse"})
    c.refresh_from_db()
    assert c.status == CommentStatus.PENDING
    assert f"Flagged ×{story.site.flag_hold_count}" in c.events.first().reasons
