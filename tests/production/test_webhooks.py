"""Webhooks against a local HTTP server: signed, frozen payloads, retries, idempotent jobs."""

from __future__ import annotations

import json

import pytest

from tests.factories import post_comment
from tests.production.conftest import Receiver
from threadline import errors
from threadline.actions.comments import comment_set_status
from threadline.actions.webhooks import webhook_create, webhook_delivery_attempt
from threadline.delivery import webhooks
from threadline.delivery.jobs import webhook_deliver_job
from threadline.models import (
    CommentStatus,
    DeliveryStatus,
    ModerationAction,
    WebhookDelivery,
)

# The receivers listen on the loopback, which webhooks may reach only when allowed.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_webhooks")]


def _headers(request: dict) -> dict[str, str]:
    return {k.lower(): v for k, v in request["headers"].items()}


def test_posting_sends_a_signed_comment_posted_webhook(
    story, receiver: Receiver, django_capture_on_commit_callbacks
):
    hook = webhook_create(site=story.site, url=receiver.url, secret="s3cret")
    with django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(story, "Hello hooks", author_email="ann@example.org").comment
    assert len(receiver.requests) == 1
    got = receiver.requests[0]
    head = _headers(got)
    assert head["x-threadline-event"] == "comment.posted"
    assert webhooks.verify(
        "s3cret", head["x-threadline-timestamp"], got["body"], head["x-threadline-signature"]
    )
    assert not webhooks.verify(
        "other", head["x-threadline-timestamp"], got["body"], head["x-threadline-signature"]
    )
    payload = json.loads(got["body"])
    assert payload["comment"]["id"] == comment.pk
    assert payload["id"] == head["x-threadline-delivery"]
    assert "ann@example.org" not in got["body"].decode()
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)


def test_moderation_decisions_send_approved_rejected_and_deleted(
    story,
    receiver: Receiver,
    django_capture_on_commit_callbacks,
):
    webhook_create(site=story.site, url=receiver.url)
    comment = post_comment(story, "Moderate me").comment
    with django_capture_on_commit_callbacks(execute=True):
        for status, action in [
            (CommentStatus.REJECTED, ModerationAction.REJECT),
            (CommentStatus.PUBLISHED, ModerationAction.APPROVE),
            (CommentStatus.DELETED, ModerationAction.DELETE),
        ]:
            comment_set_status(comment=comment, status=status, action=action)
    events = [_headers(r)["x-threadline-event"] for r in receiver.requests]
    assert events == ["comment.rejected", "comment.approved", "comment.deleted"]


def test_a_webhook_only_gets_the_events_it_asked_for(
    story, receiver: Receiver, django_capture_on_commit_callbacks
):
    webhook_create(site=story.site, url=receiver.url, events=["comment.deleted"])
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(story, "Not for this hook")
    assert receiver.requests == []


def test_a_failing_endpoint_is_retried_then_delivered_once(story, receiver: Receiver):
    hook = webhook_create(site=story.site, url=receiver.url)
    receiver.status = 500
    post_comment(story, "Retry me")  # on_commit not run: create the delivery by hand
    from threadline.actions.webhooks import webhook_deliveries_create

    comment_id = story.comments.get().pk
    [delivery_id] = webhook_deliveries_create(comment_id=comment_id, event="comment.posted")
    assert webhook_delivery_attempt(delivery_id=delivery_id) == "retry"
    receiver.status = 200
    assert webhook_delivery_attempt(delivery_id=delivery_id) == "delivered"
    assert webhook_delivery_attempt(delivery_id=delivery_id) == "skipped"
    assert webhook_deliver_job.apply(args=[delivery_id]).get() == "skipped"
    assert len(receiver.requests) == 2
    bodies = {r["body"] for r in receiver.requests}
    assert len(bodies) == 1  # retries send the same frozen payload
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert delivery.attempts == 2 and delivery.last_status_code == 200


def test_attempts_stop_at_the_configured_limit(story, settings):
    settings.THREADLINE = {
        **settings.THREADLINE,
        "WEBHOOK_MAX_ATTEMPTS": 2,
        "WEBHOOK_TIMEOUT_SECONDS": 0.5,
    }
    webhook_create(site=story.site, url="http://127.0.0.1:9/closed")
    comment = post_comment(story, "Nobody listens").comment
    from threadline.actions.webhooks import webhook_deliveries_create

    [delivery_id] = webhook_deliveries_create(comment_id=comment.pk, event="comment.posted")
    assert webhook_delivery_attempt(delivery_id=delivery_id) == "retry"
    assert webhook_delivery_attempt(delivery_id=delivery_id) == "failed"
    assert webhook_delivery_attempt(delivery_id=delivery_id) == "skipped"
    assert WebhookDelivery.objects.get().status == DeliveryStatus.FAILED


def test_a_webhook_needs_an_http_url_and_known_events(site):
    with pytest.raises(errors.ValidationError):
        webhook_create(site=site, url="ftp://example.org/x")
    with pytest.raises(errors.ValidationError):
        webhook_create(site=site, url="https://example.org/x", events=["comment.liked"])


def test_stale_signatures_are_refused():
    body = b"{}"
    signature = webhooks.sign("k", "1000", body)
    assert webhooks.verify("k", "1000", body, signature, now=1100)
    assert not webhooks.verify("k", "1000", body, signature, now=5000)
    assert not webhooks.verify("k", "nonsense", body, signature)
