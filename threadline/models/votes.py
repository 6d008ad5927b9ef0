from __future__ import annotations

from django.db import models

from threadline.models.comments import Comment


class Vote(models.Model):
    """One reader's vote on one comment; the counters on Comment follow these rows."""

    # Indexed by the vote_once constraint, which starts with it.
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="votes", db_index=False
    )
    voter_key = models.CharField(max_length=80)
    value = models.SmallIntegerField()
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "voter_key"], name="vote_once"),
            models.CheckConstraint(condition=models.Q(value__in=[-1, 1]), name="vote_value"),
        ]

    def __str__(self) -> str:
        return f"{self.value:+d} on #{self.comment_id}"


class FlagReason(models.TextChoices):
    SPAM = "spam", "Spam"
    ABUSE = "abuse", "Abuse or harassment"
    HATE = "hate", "Hate speech"
    THREAT = "threat", "Threat or violence"
    OFF_TOPIC = "off_topic", "Off-topic"
    OTHER = "other", "Other"


class Flag(models.Model):
    # Indexed by the flag_once constraint, which starts with it.
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="flags", db_index=False
    )
    reporter_key = models.CharField(max_length=80)
    reason = models.CharField(max_length=16, choices=FlagReason.choices)
    note = models.CharField(max_length=1000, blank=True)
    resolved = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["comment", "reporter_key"], name="flag_once")
        ]

    def __str__(self) -> str:
        return f"{self.reason} flag on #{self.comment_id}"
