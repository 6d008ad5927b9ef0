"""The moderator JSON API under /api/v1/moderation/: queues, one comment, approve, reject,
pin, feature, ban (a commenter; an e-mail address or IP, explicitly). Bearer token only
(no cookies, so no CSRF); every endpoint answers 403 to anonymous callers, to readers and
to moderators of other sites."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from threadline.actions.bans import ban_create, ban_lift
from threadline.actions.commenters import commenter_ban, commenter_unban
from threadline.actions.moderation_desk import (
    comment_approve,
    comment_feature,
    comment_pin,
    comment_reject,
)
from threadline.api.permissions import ModeratorAuth, account_of
from threadline.api.schemas import ErrorOut, Strict
from threadline.models import Ban, Comment, Commenter
from threadline.queries import access_comment_for_moderator
from threadline.queries import desk as desk_queries
from threadline.queries.desk import access_site_for_moderator

# Signed-in accounts only; their rights on each site are checked by the access_* reads.
router = Router(tags=["moderation"], auth=ModeratorAuth())
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 415: ErrorOut}

MAX_ID = 2**53  # larger ids cannot exist; SQLite would overflow on them
QueueName = Literal["pending", "reported", "rejected", "approved", "all"]
ReasonCode = Literal["illegal_hate_speech", "violence", "harassment", "spam", "off_topic", "other"]


class ModStoryOut(Schema):
    id: int
    title: str
    url: str
    is_open: bool


class ModAuthorOut(Schema):
    name: str
    email: str
    ip: str | None
    commenter_id: int | None


class ModCommentOut(Schema):
    id: int
    site: str
    story: ModStoryOut
    parent_id: int | None
    author: ModAuthorOut
    body: str
    body_html: str
    status: str
    markers: list[str]
    toxicity: float | None
    flag_count: int
    pinned: bool
    featured: bool
    created_at: datetime
    edited_at: datetime | None


class RevisionOut(Schema):
    body: str
    edited_at: datetime


class ModCommentDetailOut(ModCommentOut):
    scores: dict[str, Any]
    revisions: list[RevisionOut]
    parent: dict[str, Any] | None


class QueueOut(Schema):
    queue: str
    page: int
    has_next: bool
    counts: dict[str, int]
    comments: list[ModCommentOut]


class RejectIn(Strict):
    reason: ReasonCode = "other"
    note: str = Field(default="", max_length=500)


class ToggleIn(Strict):
    on: bool = True


class BanIn(Strict):
    days: int | None = Field(default=None, ge=1, le=36500, description="Empty: for good.")
    message: str = Field(default="", max_length=500)
    email: str = Field(
        default="", max_length=254, description="Also ban this e-mail address (anyone's)."
    )
    ip: str = Field(default="", max_length=64, description="Also ban this IP (anyone's).")
    shadow: bool = Field(
        default=False, description="A shadow ban: they still post, and alone see it published."
    )


class CommenterOut(Schema):
    id: int
    name: str
    known_by: Literal["account", "address", "browser", "post", "other"]
    banned: bool
    banned_until: datetime | None
    ban_message: str
    ban_shadow: bool
    always_premoderate: bool


class AddressBanIn(Strict):
    site: int = Field(ge=1, le=MAX_ID)
    kind: Literal["email", "ip"]
    value: str = Field(max_length=254, description="An address; an IP or a /24, /16, /64, /56, /48")
    days: int | None = Field(default=None, ge=1, le=36500, description="Empty: for good.")
    message: str = Field(default="", max_length=500)


class AddressBanOut(Schema):
    id: int
    site: int
    kind: str
    value: str
    until: datetime | None
    message: str


class AddressBansOut(Schema):
    bans: list[AddressBanOut]


def comment_json(c: Comment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "site": c.site.name,
        "parent_id": c.parent_id,
        "story": {
            "id": c.story_id,
            "title": c.story.title,
            "url": c.story.url,
            "is_open": c.story.is_open,
        },
        "author": {
            "name": c.author_name,
            "email": c.author_email,
            "ip": c.ip_address,
            "commenter_id": c.commenter_id,
        },
        "body": c.body,
        "body_html": c.body_html,
        "status": c.status,
        "markers": desk_queries.markers(c),
        "toxicity": c.toxicity,
        "flag_count": c.flag_count,
        "pinned": c.is_pinned,
        "featured": c.is_featured,
        "created_at": c.created_at,
        "edited_at": c.edited_at,
    }


def _detail(comment_id: int, user: User) -> dict[str, Any]:
    c = desk_queries.comment_detail(comment_id=comment_id, user=user)
    parent = c.parent
    return {
        **comment_json(c),
        "scores": desk_queries.latest_scores(c),
        "revisions": [{"body": r.body, "edited_at": r.edited_at} for r in c.revisions.all()],
        "parent": {
            "id": parent.pk,
            "author": parent.author_name,
            "body_html": parent.body_html,
            "status": parent.status,
        }
        if parent
        else None,
    }


def _commenter_json(c: Commenter) -> dict[str, Any]:
    return {
        "id": c.pk,
        "name": str(c),
        "known_by": c.known_by,
        "banned": c.banned_forever or c.banned_until is not None,
        "banned_until": c.banned_until,
        "ban_message": c.ban_message,
        "ban_shadow": c.ban_shadow,
        "always_premoderate": c.always_premoderate,
    }


@router.get("/queue", response={200: QueueOut, **ERRORS})
def queue(
    request: HttpRequest,
    queue: QueueName = "pending",
    site: int | None = Query(None, ge=1, le=MAX_ID),
    story: int | None = Query(None, ge=1, le=MAX_ID),
    q: str = Query("", max_length=200),
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(25, ge=1, le=100),
) -> dict:
    """One page of a queue (newest first) across the caller's sites, or one of them."""
    user = account_of(request)
    result = desk_queries.queue_page(
        user=user,
        queue=queue,
        site_id=site,
        story_id=story,
        search=q,
        page=page,
        page_size=page_size,
    )
    return {
        "queue": queue,
        "page": page,
        "has_next": result.has_next,
        "counts": desk_queries.queue_counts(site_ids=result.site_ids, story_id=story),
        "comments": [comment_json(c) for c in result.comments],
    }


@router.get("/comments/{comment_id}", response={200: ModCommentDetailOut, **ERRORS})
def comment_detail(request: HttpRequest, comment_id: int) -> dict:
    """A comment with its context, latest scores (with explanations) and edit history."""
    return _detail(comment_id, account_of(request))


@router.post("/comments/{comment_id}/approve", response={200: ModCommentDetailOut, **ERRORS})
def approve(request: HttpRequest, comment_id: int) -> dict:
    user = account_of(request)
    comment_approve(
        comment=access_comment_for_moderator(comment_id=comment_id, user=user), actor=user
    )
    return _detail(comment_id, user)


@router.post("/comments/{comment_id}/reject", response={200: ModCommentDetailOut, **ERRORS})
def reject(request: HttpRequest, comment_id: int, payload: RejectIn) -> dict:
    """Reject under one of the EU DSA statement-of-reasons categories."""
    user = account_of(request)
    comment_reject(
        comment=access_comment_for_moderator(comment_id=comment_id, user=user),
        actor=user,
        reason_code=payload.reason,
        note=payload.note,
    )
    return _detail(comment_id, user)


@router.post("/comments/{comment_id}/pin", response={200: ModCommentDetailOut, **ERRORS})
def pin(request: HttpRequest, comment_id: int, payload: ToggleIn) -> dict:
    user = account_of(request)
    comment_pin(
        comment=access_comment_for_moderator(comment_id=comment_id, user=user),
        actor=user,
        on=payload.on,
    )
    return _detail(comment_id, user)


@router.post("/comments/{comment_id}/feature", response={200: ModCommentDetailOut, **ERRORS})
def feature(request: HttpRequest, comment_id: int, payload: ToggleIn) -> dict:
    user = account_of(request)
    comment_feature(
        comment=access_comment_for_moderator(comment_id=comment_id, user=user),
        actor=user,
        on=payload.on,
    )
    return _detail(comment_id, user)


@router.post("/commenters/{commenter_id}/ban", response={200: CommenterOut, **ERRORS})
def ban(request: HttpRequest, commenter_id: int, payload: BanIn) -> dict:
    """Ban for ``days`` days, or for good without ``days``."""
    user = account_of(request)
    commenter = desk_queries.access_commenter_for_moderator(commenter_id=commenter_id, user=user)
    return _commenter_json(
        commenter_ban(
            commenter=commenter,
            actor=user,
            days=payload.days,
            message=payload.message,
            email=payload.email,
            ip=payload.ip,
            shadow=payload.shadow,
        )
    )


@router.post("/commenters/{commenter_id}/unban", response={200: CommenterOut, **ERRORS})
def unban(request: HttpRequest, commenter_id: int) -> dict:
    user = account_of(request)
    commenter = desk_queries.access_commenter_for_moderator(commenter_id=commenter_id, user=user)
    return _commenter_json(commenter_unban(commenter=commenter, actor=user))


def _ban_json(b: Ban) -> dict[str, Any]:
    return {
        "id": b.pk,
        "site": b.site_id,
        "kind": b.kind,
        "value": b.value,
        "until": b.until,
        "message": b.message,
    }


@router.get("/bans", response={200: AddressBansOut, **ERRORS})
def bans(request: HttpRequest, site: int = Query(..., ge=1, le=MAX_ID)) -> dict:
    """The site's e-mail and IP bans (expired ones too, until lifted)."""
    found = access_site_for_moderator(site_id=site, user=account_of(request))
    return {"bans": [_ban_json(b) for b in found.bans.order_by("kind", "value")]}


@router.post("/bans", response={200: AddressBanOut, **ERRORS})
def ban_address(request: HttpRequest, payload: AddressBanIn) -> dict:
    """Ban an e-mail address or an IP address/network on a site: posts carrying it are
    refused, whoever sends them. Banning it again replaces the term and the message."""
    user = account_of(request)
    site = access_site_for_moderator(site_id=payload.site, user=user)
    created = ban_create(
        site=site,
        kind=payload.kind,
        value=payload.value,
        actor=user,
        days=payload.days,
        message=payload.message,
    )
    return _ban_json(created)


@router.post("/bans/{ban_id}/lift", response={200: AddressBanOut, **ERRORS})
def ban_address_lift(request: HttpRequest, ban_id: int = Path(..., ge=1, le=MAX_ID)) -> dict:
    user = account_of(request)
    ban = desk_queries.access_ban_for_moderator(ban_id=ban_id, user=user)
    return _ban_json(ban_lift(ban=ban, actor=user))
