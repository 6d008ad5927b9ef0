"""What one post costs in queries, its after-commit side effects included, so the posting
path cannot creep back up; and the counters it keeps stay exact."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Count, Q

from tests.factories import UserFactory, post_comment
from threadline.actions.comments import comment_set_status
from threadline.models import Comment, Commenter, CommentStatus, ModerationAction, Story

pytestmark = pytest.mark.django_db

# Inside the test transaction (each BEGIN ... COMMIT of production is a savepoint pair):
# story and site; the commenter (a guest without a browser key gets a new one, so no
# lookup), the e-mail/IP ban check, and its insert in a savepoint; the velocity scorer's
# read; the insert savepoint (comment, its path, story counters, commenter counters, audit
# row); after commit, the check for active webhooks.
TOP_LEVEL = 14
# ... plus the parent, the ancestors' reply counts, and the check for subscriptions.
REPLY = 17
# ... a held comment: the digest check instead of nothing.
HELD = TOP_LEVEL + 1


def _post(api: Any, story: Story, n: int, parent_id: int | None = None) -> dict[str, Any]:
    body = {
        "body": f"A civil remark, number {n}.",
        "author_name": f"Reader {n}",
        "author_email": f"reader{n}@example.org",
        "parent_id": parent_id,
    }
    r = api.post(f"/stories/{story.pk}/comments", body)
    assert r.status_code in (201, 202), r.content
    return r.json()


@pytest.fixture
def warm(api: Any, story: Story) -> int:
    """One earlier post, so no first-time cost is counted; its id."""
    return _post(api, story, 0)["id"]


def test_a_top_level_comment_costs_a_bounded_number_of_queries(
    api, story, warm, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with (
        django_assert_max_num_queries(TOP_LEVEL),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        assert _post(api, story, 1)["status"] == "published"
    assert callbacks  # the after-commit work ran inside the count


def test_a_reply_costs_a_bounded_number_of_queries(
    api, story, warm, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    with (
        django_assert_max_num_queries(REPLY),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        assert _post(api, story, 1, parent_id=warm)["parent_id"] == warm
    assert callbacks


def test_a_held_comment_costs_one_more_query_for_the_digest_check(
    api, story, warm, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    story.site.moderators.add(UserFactory(email=""))  # a moderator without an address
    Story.objects.filter(pk=story.pk).update(premoderation="all")
    with (
        django_assert_max_num_queries(HELD),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert _post(api, story, 1)["status"] == "pending"


def test_counters_match_the_rows_after_posts_replies_and_status_changes(story):
    top = post_comment(story, "Top").comment
    reply = post_comment(story, "Reply", parent=top, name="Bo").comment
    deep = post_comment(story, "Deeper", parent=reply, name="Cy").comment
    post_comment(story, "Another reply", parent=top, name="Bo")
    comment_set_status(comment=deep, status=CommentStatus.REJECTED, action=ModerationAction.REJECT)
    comment_set_status(comment=reply, status=CommentStatus.DELETED, action=ModerationAction.DELETE)
    comment_set_status(
        comment=deep, status=CommentStatus.PUBLISHED, action=ModerationAction.APPROVE
    )

    story.refresh_from_db()
    published = Comment.objects.filter(story=story, status=CommentStatus.PUBLISHED)
    assert story.comment_count == published.count() == 3
    for comment in Comment.objects.filter(story=story):
        below = published.filter(path__startswith=comment.path + "/").count()
        assert comment.reply_count == below, comment.path
    expected = Commenter.objects.annotate(
        n=Count("comments"),
        p=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED)),
        r=Count("comments", filter=Q(comments__status=CommentStatus.REJECTED)),
    )
    for c in expected:
        assert (c.comments_total, c.comments_published, c.comments_rejected) == (c.n, c.p, c.r)


def test_each_change_moves_the_story_version_on(story):
    versions = [Story.objects.get(pk=story.pk).version]
    comment = post_comment(story, "Top").comment
    versions.append(Story.objects.get(pk=story.pk).version)
    comment_set_status(comment=comment, status=CommentStatus.PENDING, action=ModerationAction.HOLD)
    versions.append(Story.objects.get(pk=story.pk).version)
    assert versions == sorted(set(versions)) and len(versions) == 3


@pytest.mark.django_db(transaction=True)
def test_a_first_time_commenter_and_their_comment_commit_together(story):
    from unittest import mock

    from django.db import connection

    with mock.patch.object(connection, "commit", wraps=connection.commit) as commit:
        result = post_comment(story, "My very first comment here.", name="Newcomer")
    assert commit.call_count == 1  # one write transaction, not one for the commenter too
    assert result.comment.commenter.display_name == "Newcomer"
    assert Commenter.objects.get(pk=result.comment.commenter_id).comments_total == 1


def test_a_refused_first_post_leaves_no_commenter_behind(story):
    from threadline import errors

    story.site.warn_threshold = 0.01  # every scored text asks "post anyway?"
    story.site.save()
    with pytest.raises(errors.NeedsConfirmationError):
        post_comment(story, "You are an idiot and a fool.", name="Hasty")
    assert not Commenter.objects.filter(display_name="Hasty").exists()


def test_a_commenter_stored_meanwhile_is_reused(story):
    from django.db import transaction

    from threadline.actions.commenters import commenter_for, commenter_save
    from threadline.domain.identity import Actor

    actor = Actor(guest_key="guest-twice")
    first = commenter_for(site=story.site, actor=actor, name="Twice", email="", create=False)
    second = commenter_for(site=story.site, actor=actor, name="Twice", email="", create=False)
    assert first.pk is None and second.pk is None
    with transaction.atomic():
        saved = commenter_save(first)
        again = commenter_save(second)  # the other request's insert loses the race
    assert again.pk == saved.pk
    assert Commenter.objects.filter(key=saved.key).count() == 1
