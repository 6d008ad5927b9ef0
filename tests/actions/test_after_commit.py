"""The after-commit listener: it is handed the state the transaction left instead of reading
the comment again, and it queues a digest or reply-e-mail job only when one can go out."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from tests.factories import UserFactory, post_comment
from threadline.actions.subscriptions import moderator_digest_due, subscriptions_active
from threadline.delivery import events, jobs, live
from threadline.models import ModeratorDigest, Story, Subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def announced(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(live, "announce", lambda **kw: calls.append(kw))
    return calls


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the jobs the listener queues (they do not run)."""
    names: list[str] = []
    monkeypatch.setattr(jobs, "enqueue", lambda job, *ids: names.append(job.name.rsplit(".")[-1]))
    return names


@pytest.fixture
def held_story(story: Story) -> Story:
    story.premoderation = "all"
    story.save(update_fields=["premoderation"])
    return story


def test_a_post_hands_the_listener_its_state_and_it_reads_nothing_back(
    story, announced, monkeypatch, django_capture_on_commit_callbacks
):
    def no_read_back(comment_id: int) -> None:
        raise AssertionError("the listener read the comment again")

    monkeypatch.setattr(jobs, "_state_of", no_read_back)
    parent = post_comment(story, "Top").comment
    with django_capture_on_commit_callbacks(execute=True):
        reply = post_comment(story, "Below", parent=parent, name="Bo").comment
    story.refresh_from_db()
    assert announced == [
        {
            "story_id": story.pk,
            "comment_id": reply.pk,
            "kind": "posted",
            "status": "published",
            "version": story.version,
        }
    ]


def test_a_change_without_state_is_read_back(story, announced):
    comment = post_comment(story, "Voted on").comment
    events.comment_changed(comment_id=comment.pk, kind="voted")
    events.comment_changed(comment_id=comment.pk + 1000, kind="voted")  # gone: nothing
    story.refresh_from_db()
    assert announced == [
        {
            "story_id": story.pk,
            "comment_id": comment.pk,
            "kind": "voted",
            "status": "published",
            "version": story.version,
        }
    ]


def test_held_comments_send_one_digest_through_the_listener(
    held_story, settings, django_capture_on_commit_callbacks
):
    settings.THREADLINE = {**settings.THREADLINE, "DIGEST_MIN_PENDING": 2}
    held_story.site.moderators.add(UserFactory(email="mod@example.org"))
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert post_comment(held_story, f"Held {n}", name=f"R{n}").comment.status == "pending"
    assert [m.to for m in mail.outbox] == [["mod@example.org"]]
    assert "2 comments" in mail.outbox[0].subject


@pytest.mark.parametrize(
    ("email", "sent_ago", "due"),
    [
        ("", None, False),  # no moderator with an address
        ("mod@example.org", None, True),
        ("mod@example.org", timedelta(minutes=5), False),  # within the interval
        ("mod@example.org", timedelta(hours=1, seconds=1), True),
    ],
)
def test_a_digest_is_due_only_when_it_can_go_out(site, email, sent_ago, due):
    site.moderators.add(UserFactory(email=email))
    if sent_ago is not None:
        ModeratorDigest.objects.create(site=site, last_sent_at=timezone.now() - sent_ago)
    assert moderator_digest_due(site_id=site.pk) is due


def test_no_digest_job_is_queued_while_none_can_go_out(
    held_story, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(held_story, "Nobody to tell")
    assert queued == []
    held_story.site.moderators.add(UserFactory(email="mod@example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(held_story, "Now someone", name="Bo")
    assert queued == ["moderator_digest_job"]


def test_subscriptions_are_active_once_verified_and_until_unsubscribed(site):
    assert not subscriptions_active(site_id=site.pk)
    sub = Subscription.objects.create(site=site, email="ann@example.org")
    assert not subscriptions_active(site_id=site.pk)  # not verified
    sub.verified_at = timezone.now()
    sub.save()
    assert subscriptions_active(site_id=site.pk)
    sub.unsubscribed_at = timezone.now()
    sub.save()
    assert not subscriptions_active(site_id=site.pk)


def test_a_reply_queues_an_email_job_only_where_someone_subscribed(
    story, queued, django_capture_on_commit_callbacks
):
    parent = post_comment(story, "Top", author_email="ann@example.org").comment
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(story, "A reply", parent=parent, name="Bo")
    assert queued == []
    Subscription.objects.create(
        site=story.site, email="zed@example.org", verified_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(story, "Another reply", parent=parent, name="Cy")
    assert queued == ["notification_reply_job"]
