"""Reply e-mails (opt-in, verified, one-click unsubscribe) and moderator digests, through
the locmem e-mail backend."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.factories import UserFactory, post_comment
from threadline.actions.subscriptions import (
    moderator_digest_send,
    notification_reply_send,
    subscription_request,
)
from threadline.models import CommentStatus, ReplyNotification, Subscription

pytestmark = pytest.mark.django_db


def _link(message: mail.EmailMessage, kind: str) -> str:
    match = re.search(rf"http://[^\s]+/notifications/{kind}/[^\s]+/", message.body)
    assert match, message.body
    return match.group(0).split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def verified(site, client, django_capture_on_commit_callbacks) -> Subscription:
    with django_capture_on_commit_callbacks(execute=True):
        sub = subscription_request(site=site, email="Ann@Example.org")
    assert [m.to for m in mail.outbox] == [["ann@example.org"]]
    r = client.get("/" + _link(mail.outbox[0], "confirm"))
    assert r.status_code == 200
    mail.outbox.clear()
    sub.refresh_from_db()
    assert sub.is_active
    return sub


def test_opt_in_through_the_api_sends_only_a_confirmation_link(
    api, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post("/subscriptions", {"site": site.name, "email": "bo@example.org"})
    assert r.status_code == 202, r.content
    assert r.json() == {"status": "confirmation_sent"}
    assert len(mail.outbox) == 1 and "/notifications/confirm/" in mail.outbox[0].body
    assert not Subscription.objects.get().is_active


def test_bad_opt_in_requests_get_the_error_shape(api, site):
    r = api.post("/subscriptions", {"site": site.name, "email": "not an address"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_email"
    r = api.post("/subscriptions", {"site": "nope", "email": "a@example.org"})
    assert r.status_code == 404 and r.json()["error"]["field"] == "site"


def test_a_reply_to_a_verified_author_sends_one_email_with_unsubscribe_headers(
    story,
    verified,
    django_capture_on_commit_callbacks,
):
    parent = post_comment(story, "First!", author_email="ann@example.org").comment
    with django_capture_on_commit_callbacks(execute=True):
        reply = post_comment(story, "I answer you", parent=parent, name="Bo").comment
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann@example.org"] and "Bo replied" in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert notification_reply_send(comment_id=reply.pk) == "skipped"  # run twice: sent once
    assert len(mail.outbox) == 1
    assert ReplyNotification.objects.filter(sent_at__isnull=False).count() == 1


def test_one_click_unsubscribe_stops_the_emails(
    story, verified, client, django_capture_on_commit_callbacks
):
    parent = post_comment(story, "First!", author_email="ann@example.org").comment
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(story, "Reply one", parent=parent, name="Bo")
    path = "/" + _link(mail.outbox[0], "unsubscribe")
    assert client.get(path).status_code == 200  # a page, not an unsubscribe
    assert Subscription.objects.get().is_active
    r = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert r.status_code == 200
    assert not Subscription.objects.get().is_active
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(story, "Reply two", parent=parent, name="Cy")
    assert len(mail.outbox) == 1


def test_unverified_addresses_and_self_replies_get_nothing(
    story, site, django_capture_on_commit_callbacks
):
    subscription_request(site=site, email="ann@example.org")  # never confirmed
    parent = post_comment(story, "First!", author_email="ann@example.org").comment
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(story, "Reply", parent=parent, name="Bo")
    assert mail.outbox == []


def test_a_tampered_link_is_refused(client, verified):
    r = client.get("/notifications/confirm/abc:def/")
    assert r.status_code == 400
    r = client.post("/notifications/unsubscribe/1:forged/")
    assert r.status_code == 400
    assert Subscription.objects.get().is_active


def test_moderators_get_one_digest_when_the_queue_grows(story, site, settings):
    settings.THREADLINE = {**settings.THREADLINE, "DIGEST_MIN_PENDING": 2}
    moderator = UserFactory(email="mod@example.org")
    site.moderators.add(moderator)
    story.premoderation = "all"
    story.save()
    post_comment(story, "Held one")
    assert moderator_digest_send(site_id=site.pk) == "skipped"  # below the minimum
    post_comment(story, "Held two")
    assert story.comments.filter(status=CommentStatus.PENDING).count() == 2
    assert moderator_digest_send(site_id=site.pk) == "sent"
    assert moderator_digest_send(site_id=site.pk) == "skipped"  # within the interval
    assert [m.to for m in mail.outbox] == [["mod@example.org"]]
    assert "2 comments" in mail.outbox[0].subject
