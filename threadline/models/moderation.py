from __future__ import annotations

from django.conf import settings
from django.db import models

from threadline.models.commenters import Commenter
from threadline.models.comments import Comment
from threadline.models.sites import Site


class ModerationAction(models.TextChoices):
    PUBLISH = "publish", "Published"
    HOLD = "hold", "Held for review"
    REJECT = "reject", "Rejected"
    APPROVE = "approve", "Approved"
    DELETE = "delete", "Deleted"
    RESTORE = "restore", "Restored"
    BAN = "ban", "Banned"
    UNBAN = "unban", "Unbanned"
    PIN = "pin", "Pinned"
    FEATURE = "feature", "Featured"
    CLOSE = "close", "Thread closed"
    OPEN = "open", "Thread opened"
    SETTINGS = "settings", "Settings changed"
    RETITLE = "retitle", "Story title set"
    NOTE = "note", "Note"


class ModerationEvent(models.Model):
    """Every decision, automatic or human, as one row: the audit log."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="moderation_events")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    commenter = models.ForeignKey(
        Commenter, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    source = models.CharField(max_length=40, default="pipeline")
    action = models.CharField(max_length=10, choices=ModerationAction.choices)
    reason_code = models.CharField(max_length=40, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    scores = models.JSONField(default=dict, blank=True)
    model_version = models.CharField(max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["site", "-created_at"], name="event_site_time")]

    def __str__(self) -> str:
        return f"{self.action} by {self.source} at {self.created_at:%Y-%m-%d %H:%M}"
