"""Who is told what, and what was already told: reply e-mails, moderator digests, webhooks.

Every outbound side effect has a row, so a job that runs twice finds the row and does
nothing twice.
"""

from __future__ import annotations

import uuid

from django.db import models

from threadline.models.comments import Comment
from threadline.models.sites import Site


class Subscription(models.Model):
    """An e-mail address that opted in to reply notifications on one site. It receives
    nothing until the address is verified through the signed link sent to it."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="subscriptions")
    email = models.EmailField()
    # The browser (its reader key) that last asked: its confirmation link also lets the
    # address identify that browser's guest (``actions.commenters.commenter_bind_address``).
    device_key = models.CharField(max_length=80, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "email"], name="subscription_unique_email")
        ]

    def __str__(self) -> str:
        return f"{self.email} on {self.site_id}"

    @property
    def is_active(self) -> bool:
        return self.verified_at is not None and self.unsubscribed_at is None


class ReplyNotification(models.Model):
    """One reply e-mail: the unique pair makes the reply job idempotent."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="notifications"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "comment"], name="reply_notification_once"
            )
        ]

    def __str__(self) -> str:
        return f"reply {self.comment_id} to {self.subscription_id}"


class ModeratorDigest(models.Model):
    """When the site's moderators were last told about their queue, and how long it was."""

    site = models.OneToOneField(Site, on_delete=models.CASCADE, related_name="digest")
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_pending = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"digest of site {self.site_id}"


class WebhookEvent(models.TextChoices):
    POSTED = "comment.posted", "Comment posted"
    APPROVED = "comment.approved", "Comment approved"
    REJECTED = "comment.rejected", "Comment rejected"
    DELETED = "comment.deleted", "Comment deleted"


class Webhook(models.Model):
    """An HTTPS endpoint of a site that receives signed comment events."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=1000)
    secret = models.CharField(max_length=100)  # needed in clear to sign; shown once
    events = models.JSONField(default=list, blank=True)  # empty = every event
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.url

    def wants(self, event: str) -> bool:
        return self.is_active and (not self.events or event in self.events)


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    """One event for one webhook; its payload is frozen at creation so retries send the
    same bytes, and its uuid lets a receiver drop duplicates."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=32, choices=WebhookEvent.choices)
    comment_id_ref = models.BigIntegerField(null=True, blank=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="delivery_status_time")]

    def __str__(self) -> str:
        return f"{self.event} #{self.comment_id_ref} -> {self.webhook_id} ({self.status})"
