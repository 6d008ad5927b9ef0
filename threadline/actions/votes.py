"""Votes and flags. Counters move with F() inside the transaction that writes the row, so
they stay exact under concurrency."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from threadline import errors
from threadline.delivery import events
from threadline.domain.identity import Actor
from threadline.domain.ranking import controversy, wilson_lower_bound
from threadline.domain.text import clean_text
from threadline.models import Comment, Commenter, CommentStatus, Flag, FlagReason, Story, Vote
from threadline.server.ratelimit import check_rate


def _check_votable(comment: Comment) -> None:
    if comment.status != CommentStatus.PUBLISHED:
        raise errors.CommentNotEditableError("Only published comments can be voted on or flagged.")


def vote_cast(*, comment: Comment, actor: Actor, value: int) -> Comment:
    """Set this reader's vote to +1 or -1, or withdraw it with 0."""
    if value not in (-1, 0, 1):
        raise errors.ValidationError("A vote is 1, -1 or 0.", field="value")
    _check_votable(comment)
    check_rate(name="vote-ip", key=actor.ip or "unknown", setting="RATE_LIMIT_VOTE_IP")
    key = actor.reader_key
    for _attempt in range(3):
        try:
            return _vote_write(comment.pk, key, value)
        except IntegrityError:  # two first votes from one reader raced; the retry updates
            continue
    raise errors.DuplicateError()


@transaction.atomic
def _vote_write(comment_id: int, key: str, value: int) -> Comment:
    locked = Comment.objects.select_for_update().get(pk=comment_id)
    existing = Vote.objects.filter(comment_id=comment_id, voter_key=key).first()
    old = existing.value if existing else 0
    if old == value:
        return locked
    up = (value == 1) - (old == 1)
    down = (value == -1) - (old == -1)
    if value == 0 and existing:
        existing.delete()
    elif existing:
        Vote.objects.filter(pk=existing.pk).update(value=value)
    else:
        with transaction.atomic():
            Vote.objects.create(comment_id=comment_id, voter_key=key, value=value)
    Comment.objects.filter(pk=comment_id).update(
        upvotes=F("upvotes") + up, downvotes=F("downvotes") + down, score=F("score") + up - down
    )
    locked.refresh_from_db(fields=["upvotes", "downvotes", "score"])
    locked.wilson = wilson_lower_bound(locked.upvotes, locked.downvotes)
    locked.controversy = controversy(locked.upvotes, locked.downvotes)
    Comment.objects.filter(pk=comment_id).update(
        wilson=locked.wilson, controversy=locked.controversy
    )
    Story.objects.filter(pk=locked.story_id).update(version=F("version") + 1)
    transaction.on_commit(lambda: events.comment_changed(comment_id=comment_id, kind="voted"))
    return locked


def flag_create(*, comment: Comment, actor: Actor, reason: str, note: str = "") -> Flag:
    """A reader reports a comment; enough distinct reporters send it back to review."""
    from threadline.actions.moderation_desk import comment_hold_for_flags

    if reason not in FlagReason.values:
        raise errors.ValidationError(
            f"reason must be one of {', '.join(FlagReason.values)}", field="reason"
        )
    note = clean_text(note or "", field="note").strip()[:1000]
    _check_votable(comment)
    check_rate(name="vote-ip", key=actor.ip or "unknown", setting="RATE_LIMIT_VOTE_IP")
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                comment=comment, reporter_key=actor.reader_key, reason=reason, note=note
            )
            Comment.objects.filter(pk=comment.pk).update(flag_count=F("flag_count") + 1)
            if comment.commenter_id:
                Commenter.objects.filter(pk=comment.commenter_id).update(
                    flags_received=F("flags_received") + 1
                )
    except IntegrityError as exc:
        raise errors.DuplicateError("You have already flagged this comment.") from exc
    comment.refresh_from_db(fields=["flag_count", "status"])
    comment_hold_for_flags(comment=comment)
    return flag
