"""What moderators (and reader flags) do to comments already posted."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from threadline.actions.comments import comment_set_status
from threadline.models import Comment, CommentStatus, ModerationAction

# The EU DSA statement-of-reasons categories a rejection is filed under.
REJECT_REASONS = {
    "illegal_hate_speech": "Illegal hate speech",
    "violence": "Violence or threat",
    "harassment": "Harassment",
    "spam": "Spam",
    "off_topic": "Off-topic",
    "other": "Other",
}


def comment_hold_for_flags(*, comment: Comment) -> Comment:
    """Send a published comment back to review once enough distinct readers flagged it."""
    if comment.status == CommentStatus.PUBLISHED and comment.flag_count >= comment.site.flag_hold_count:
        return comment_set_status(
            comment=comment, status=CommentStatus.PENDING, action=ModerationAction.HOLD,
            source="flags", reasons=[f"Flagged ×{comment.flag_count}"],
        )
    return comment


def comment_approve(*, comment: Comment, actor: AbstractBaseUser | None) -> Comment:
    """Publish a held (or rejected) comment."""
    from threadline.models import Flag

    updated = comment_set_status(
        comment=comment, status=CommentStatus.PUBLISHED, action=ModerationAction.APPROVE,
        actor_user=actor,
    )
    Flag.objects.filter(comment=comment, resolved=False).update(resolved=True)
    return updated


def comment_reject(
    *, comment: Comment, actor: AbstractBaseUser | None, reason_code: str = "other", note: str = ""
) -> Comment:
    """Remove a comment from the page, filed under one of REJECT_REASONS."""
    from threadline import errors
    from threadline.models import Flag

    if reason_code not in REJECT_REASONS:
        raise errors.ValidationError("Unknown rejection reason.", field="reason")
    updated = comment_set_status(
        comment=comment, status=CommentStatus.REJECTED, action=ModerationAction.REJECT,
        actor_user=actor, reason_code=reason_code,
        reasons=[REJECT_REASONS[reason_code]] + ([note] if note else []),
    )
    Flag.objects.filter(comment=comment, resolved=False).update(resolved=True)
    return updated
