from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from threadline.models.commenters import Commenter
from threadline.models.sites import Site
from threadline.models.stories import Story

# Width of one id segment in Comment.path: sorts lexically like the ids themselves.
PATH_SEGMENT = 10


class CommentStatus(models.TextChoices):
    PUBLISHED = "published", "Published"
    PENDING = "pending", "Held for review"
    REJECTED = "rejected", "Rejected"
    DELETED = "deleted", "Deleted"


class Comment(models.Model):
    """One comment. ``root``/``depth``/``path`` are set by the posting action so a whole
    thread or one page of it is read in a fixed number of queries."""

    # No single-column indexes where a composite index below starts with the column
    # (site: comment_queue, comment_site_recent; story: comment_story_top,
    # comment_story_root; commenter: comment_commenter): each costs every insert.
    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    story = models.ForeignKey(
        Story, on_delete=models.CASCADE, related_name="comments", db_index=False
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    path = models.CharField(max_length=4000, blank=True, db_index=True)

    commenter = models.ForeignKey(
        Commenter,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    author_name = models.CharField(max_length=100)
    author_email = models.EmailField(blank=True)
    # As the author was when they wrote it, like the name: a staff badge (Badge) and the
    # https avatar their publisher's sign-in gave; "" for none.
    author_badge = models.CharField(max_length=12, blank=True, default="")
    author_avatar = models.CharField(max_length=500, blank=True, default="")
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    body = models.TextField()
    body_html = models.TextField()
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.PUBLISHED
    )
    edit_token_hash = models.CharField(max_length=64, blank=True)

    upvotes = models.PositiveIntegerField(default=0)
    downvotes = models.PositiveIntegerField(default=0)
    score = models.IntegerField(default=0)
    wilson = models.FloatField(default=0.0)
    controversy = models.FloatField(default=0.0)
    flag_count = models.PositiveIntegerField(default=0)
    # Published comments below this one (any depth): shows "N replies" and keeps a
    # tombstone in place while anything under it is visible.
    reply_count = models.PositiveIntegerField(default=0)
    is_pinned = models.BooleanField(default=False)
    is_featured = models.BooleanField(default=False)
    # Posted under a shadow ban: stored as rejected, shown to its writer alone as published.
    is_shadowed = models.BooleanField(default=False)
    moderation_reasons = models.JSONField(default=list, blank=True)
    toxicity = models.FloatField(null=True, blank=True)

    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    external_id = models.CharField(max_length=200, blank=True, default="")

    # Not columns: set on the desk's reads by threadline.dashboard.cards.decorate.
    markers: list[str]
    score_rows: list[dict[str, Any]]
    suggested_reason: str

    class Meta:
        indexes = [
            models.Index(fields=["story", "depth", "status"], name="comment_story_top"),
            models.Index(fields=["story", "root"], name="comment_story_root"),
            models.Index(fields=["site", "status", "-created_at"], name="comment_queue"),
            models.Index(fields=["commenter", "-created_at"], name="comment_commenter"),
            # The flood and duplicate rules look at a site's, an address's latest comments.
            models.Index(fields=["site", "-created_at"], name="comment_site_recent"),
            models.Index(fields=["ip_address", "-created_at"], name="comment_ip_recent"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "external_id"],
                condition=~models.Q(external_id=""),
                name="comment_unique_external_id",
            ),
            models.CheckConstraint(
                condition=models.Q(is_shadowed=False)
                | models.Q(status__in=[CommentStatus.REJECTED, CommentStatus.DELETED]),
                name="comment_shadowed_is_unseen",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} by {self.author_name}"

    @property
    def is_visible(self) -> bool:
        return self.status == CommentStatus.PUBLISHED

    @property
    def status_for_writer(self) -> str:
        """The status its writer is shown: a comment shadowed by a ban looks published."""
        return CommentStatus.PUBLISHED if self.is_shadowed else str(self.status)


class CommentRevision(models.Model):
    """The text a comment had before an edit; kept for moderators."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    edited_at = models.DateTimeField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["-edited_at", "-id"]

    def __str__(self) -> str:
        return f"revision of #{self.comment_id} at {self.edited_at:%Y-%m-%d %H:%M}"
