"""What one reader alone sees of a story, and what they decide for themselves: their own
comments nobody else sees (held, rejected with the statement of reasons, shadowed), whom
they muted, their unread replies and mentions, and — for the site's moderators — what
awaits review. The thread itself stays one cached answer for everyone (``public.thread``);
this is the small per-reader layer the widget puts over it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from threadline import errors, queries
from threadline.actions.mutes import mute_create, mute_remove
from threadline.actions.reader_notifications import reader_notifications_read
from threadline.api.base import actor_for
from threadline.api.schemas import CommentOut, ErrorOut, Strict
from threadline.domain.text import plain_text
from threadline.models import Comment, ReaderNotification
from threadline.queries import desk as desk_queries
from threadline.queries import reader as reader_queries

router = Router(tags=["readers"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 415: ErrorOut}
MAX_ID = 2**53
NOTIFICATIONS_SHOWN = 20


class OwnIn(Strict):
    id: int = Field(ge=1, le=MAX_ID)
    edit_token: str = Field(default="", max_length=200)


class ReaderIn(Strict):
    own: list[OwnIn] = Field(
        default_factory=list,
        max_length=reader_queries.MAX_OWN,
        description="The comments this browser posted here, with the edit token each got.",
    )


class OwnOut(CommentOut):
    statement: list[str] = Field(
        default_factory=list, description="Rejected: the statement of reasons."
    )


class HeldOut(CommentOut):
    markers: list[str] = []
    reason: str = Field(default="", description="The rejection reason its scores point to.")


class MuteOut(Schema):
    id: int
    name: str


class MutedOut(MuteOut):
    comments: list[int] = Field(description="The muted reader's comments on this story.")


class ReaderOut(Schema):
    own: list[OwnOut]
    mutes: list[MuteOut]
    muted: dict[str, int] = Field(description="{comment id: mute id} on this story.")
    unread: int
    moderator: bool
    held: list[HeldOut] = Field(description="Moderators only: held comments on this story.")


class MuteIn(Strict):
    comment_id: int = Field(ge=1, le=MAX_ID, description="A comment by the reader to mute.")


class NotificationOut(Schema):
    id: int
    kind: str
    read: bool
    created_at: datetime
    comment_id: int
    story: dict[str, Any]
    author: str
    excerpt: str


class NotificationsOut(Schema):
    unread: int
    notifications: list[NotificationOut]


class SiteIn(Strict):
    site: str = Field(max_length=64)


def _account(request: HttpRequest) -> User:
    user = actor_for(request).account
    if user is None:
        raise errors.NotAuthenticatedError()
    return user


def _own_json(comment: Comment) -> dict[str, Any]:
    status = comment.status_for_writer
    row = queries.comment_row(comment, status=status)
    row["statement"] = comment.statement if status == "rejected" else []  # type: ignore[attr-defined]
    return row


def _held_json(comment: Comment) -> dict[str, Any]:
    row = queries.comment_row(comment, status="pending")
    return {**row, "markers": comment.markers, "reason": comment.suggested_reason}


@router.post("/stories/{story_id}/me", response={200: ReaderOut, **ERRORS})
def reader_view(request: HttpRequest, story_id: int, payload: ReaderIn) -> dict:
    """The caller's own layer over the story's thread: their comments no one else sees
    (named by the edit tokens this browser kept, or the account's), whom they muted and
    which comments that hides, their unread notifications on the site, and whether they
    moderate it (with the held comments, then). A POST: the edit tokens stay out of URLs."""
    story = queries.access_story_for_reader(story_id=story_id)
    user: User | AnonymousUser = actor_for(request).account or AnonymousUser()
    ids = reader_queries.access_own_ids_for_reader(
        story=story, tokens={o.id: o.edit_token for o in payload.own}
    )
    own = queries.access_own_unseen_for_reader(story=story, comment_ids=ids, user=user)
    mutes = reader_queries.access_mutes_for_reader(user=user, site_id=story.site_id)
    stream = desk_queries.stream_for_moderator(user=user, story=story, comment_ids=[])
    return {
        "own": [_own_json(c) for c in own],
        "mutes": [{"id": m.pk, "name": m.name} for m in mutes],
        "muted": reader_queries.muted_comment_ids(story=story, mutes=mutes),
        "unread": reader_queries.unread_notifications(user=user, site_id=story.site_id),
        "moderator": stream is not None,
        "held": [_held_json(c) for c in stream.held] if stream else [],
    }


@router.post("/mutes", response={201: MutedOut, **ERRORS})
def mute(request: HttpRequest, payload: MuteIn) -> Status:
    """Mute the writer of a comment: their comments are hidden from the caller (signed in)
    on every story of the site. Muting again answers the same mute."""
    user = _account(request)
    comment = queries.access_comment_for_reader(comment_id=payload.comment_id)
    created = mute_create(user=user, comment=comment)
    ids = reader_queries.muted_comment_ids(story=comment.story, mutes=[created])
    return Status(
        201, {"id": created.pk, "name": created.name, "comments": sorted(int(i) for i in ids)}
    )


@router.delete("/mutes/{mute_id}", response={200: MuteOut, **ERRORS})
def unmute(request: HttpRequest, mute_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    found = reader_queries.access_mute_for_reader(user=_account(request), mute_id=mute_id)
    removed = mute_remove(mute=found)
    return {"id": mute_id, "name": removed.name}


def _notification_json(n: ReaderNotification) -> dict[str, Any]:
    c = n.comment
    return {
        "id": n.pk,
        "kind": n.kind,
        "read": n.read_at is not None,
        "created_at": n.created_at,
        "comment_id": c.pk,
        "story": {"id": c.story_id, "title": c.story.title, "url": c.story.url},
        "author": c.author_name,
        "excerpt": plain_text(c.body)[:140],
    }


@router.get("/notifications", response={200: NotificationsOut, **ERRORS})
def notifications(request: HttpRequest, site: str = Query(..., max_length=64)) -> dict:
    """The caller's latest replies and @mentions on the site (signed in), newest first."""
    user = _account(request)
    found = queries.access_site_for_reader(name=site)
    rows = reader_queries.access_notifications_for_reader(user=user, site_id=found.pk)
    return {
        "unread": reader_queries.unread_notifications(user=user, site_id=found.pk),
        "notifications": [_notification_json(n) for n in rows[:NOTIFICATIONS_SHOWN]],
    }


@router.post("/notifications/read", response={200: NotificationsOut, **ERRORS})
def notifications_read(request: HttpRequest, payload: SiteIn) -> dict:
    """Mark the caller's notifications on the site read: the widget's badge is cleared."""
    user = _account(request)
    found = queries.access_site_for_reader(name=payload.site)
    reader_notifications_read(user=user, site_id=found.pk)
    return {"unread": 0, "notifications": []}
