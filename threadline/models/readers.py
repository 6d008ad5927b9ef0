"""What one reader decides for themselves and is told: whom they muted, the replies and
mentions waiting for them in the widget, and the statement of reasons mailed to a writer."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from threadline.models.commenters import Commenter
from threadline.models.comments import Comment
from threadline.models.sites import Site


class Mute(models.Model):
    """A signed-in reader hides another commenter's comments from their own view. Nobody
    else is affected, and the muted commenter is not told."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes"
    )
    commenter = models.ForeignKey(Commenter, on_delete=models.CASCADE, related_name="muted_by")
    # The name the muted comment carried, for "hidden: you muted X" (a guest has no other).
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "commenter"], name="mute_once")]

    def __str__(self) -> str:
        return f"{self.user_id} muted {self.name}"


class NotificationKind(models.TextChoices):
    REPLY = "reply", "Reply"
    MENTION = "mention", "Mention"


class ReaderNotification(models.Model):
    """A published reply to a signed-in reader's comment, or a comment naming them with
    @name: counted in the widget's unread badge until they open the list. One row a reader
    and comment (a reply that also mentions them is a reply), so the job may run twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_notifications"
    )
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=NotificationKind.choices)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="reader_notification_once")
        ]
        indexes = [
            models.Index(fields=["user", "site", "-created_at"], name="reader_notification_list")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.comment_id} for {self.user_id}"


class RejectionNotice(models.Model):
    """The statement of reasons e-mailed to the writer of a comment a moderator rejected:
    one a comment, so the job that sends it may run twice."""

    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="+")
    email = models.EmailField()
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"statement of reasons for {self.comment_id}"
