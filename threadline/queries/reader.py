"""Reads a reader makes about themselves: whom they muted, the replies and mentions waiting
for them, and which comments a browser may call its own. Every read is scoped to the reader
asking (``access_*``): nobody reads another reader's mutes or notifications."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from threadline import errors
from threadline.domain.identity import digest
from threadline.models import (
    Comment,
    CommentStatus,
    Mute,
    ReaderNotification,
    Story,
)

MAX_OWN = 200  # comment ids a browser may name at once (its own, posted from it)


def access_mutes_for_reader(*, user: User | AnonymousUser, site_id: int) -> list[Mute]:
    """Whom ``user`` muted on the site, oldest first; none (and no query) for a guest."""
    if not user.is_authenticated:
        return []
    return list(
        Mute.objects.filter(user_id=user.pk, commenter__site_id=site_id).order_by("created_at")
    )


def access_mute_for_reader(*, user: User | AnonymousUser, mute_id: int) -> Mute:
    """One of ``user``'s own mutes; the same error for "absent" and "someone else's"."""
    mute = (
        Mute.objects.filter(pk=mute_id, user_id=user.pk).first() if user.is_authenticated else None
    )
    if mute is None:
        raise errors.MuteNotFoundError()
    return mute


def muted_comment_ids(*, story: Story, mutes: list[Mute]) -> dict[str, int]:
    """{comment id: mute id} of the story's comments written by the muted commenters (one
    query; none without mutes). Keys are strings, as JSON and the templates want them."""
    by_commenter = {m.commenter_id: m.pk for m in mutes}
    if not by_commenter:
        return {}
    rows = Comment.objects.filter(
        story_id=story.pk, commenter_id__in=list(by_commenter)
    ).values_list("pk", "commenter_id")
    return {str(pk): by_commenter[commenter_id] for pk, commenter_id in rows}


def access_muted_for_reader(
    *, user: User | AnonymousUser, story: Story
) -> dict[str, dict[str, int | str]]:
    """{comment id: {"id", "name"} of the mute} for the story's comments whose writers
    ``user`` muted, for a page that folds them. One query for an account, none for a guest."""
    if not user.is_authenticated:
        return {}
    rows = Mute.objects.filter(user_id=user.pk, commenter__comments__story_id=story.pk).values_list(
        "commenter__comments__id", "pk", "name"
    )
    return {str(cid): {"id": pk, "name": name} for cid, pk, name in rows}


def access_notifications_for_reader(
    *, user: User | AnonymousUser, site_id: int
) -> QuerySet[ReaderNotification]:
    """``user``'s replies and mentions on the site whose comment is still published, newest
    first. Raises ``NotAuthenticatedError`` for a guest: only accounts are notified."""
    if not user.is_authenticated:
        raise errors.NotAuthenticatedError()
    return (
        ReaderNotification.objects.filter(
            user_id=user.pk, site_id=site_id, comment__status=CommentStatus.PUBLISHED
        )
        .select_related("comment", "comment__story")
        .order_by("-created_at", "-id")
    )


def unread_notifications(*, user: User | AnonymousUser, site_id: int) -> int:
    """How many of ``access_notifications_for_reader`` are unread (0 for a guest)."""
    if not user.is_authenticated:
        return 0
    return (
        access_notifications_for_reader(user=user, site_id=site_id)
        .filter(read_at__isnull=True)
        .count()
    )


def access_own_ids_for_reader(*, story: Story, tokens: dict[int, str]) -> list[int]:
    """The ids among ``tokens`` ({comment id: edit token}, what a browser kept when it
    posted) of comments on ``story`` whose token matches: what a guest may call their own.
    One query; none for an empty mapping."""
    wanted = dict(list(tokens.items())[:MAX_OWN])
    if not wanted:
        return []
    rows = Comment.objects.filter(story_id=story.pk, pk__in=list(wanted)).values_list(
        "pk", "edit_token_hash"
    )
    return [
        pk
        for pk, stored in rows
        if stored and wanted[pk] and secrets.compare_digest(digest(wanted[pk]), stored)
    ]
