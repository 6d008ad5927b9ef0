"""Reads for the moderator desk and the moderator API: permission-checked (``access_*``) and
the queues, each a fixed number of queries whatever the page size."""

from __future__ import annotations

import contextlib
import ipaddress
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from threadline import errors
from threadline.models import (
    Comment,
    Commenter,
    CommentStatus,
    Flag,
    ModerationEvent,
    Site,
    Story,
)
from threadline.queries import access_sites_for_moderator, is_moderator

AnyUser = User | AnonymousUser

QUEUES: dict[str, str] = {
    "pending": "Pending",
    "reported": "Reported",
    "rejected": "Rejected",
    "approved": "Approved",
    "all": "All",
}
PAGE_SIZE = 25


def _unresolved_flags() -> Exists:
    return Exists(Flag.objects.filter(comment_id=OuterRef("pk"), resolved=False))


def _queue_filter(queue: str) -> Q:
    if queue == "pending":
        return Q(status=CommentStatus.PENDING)
    if queue == "reported":
        return Q(status=CommentStatus.PUBLISHED) & Q(_unresolved_flags())
    if queue == "rejected":
        return Q(status=CommentStatus.REJECTED)
    if queue == "approved":
        return Q(status=CommentStatus.PUBLISHED)
    return ~Q(status=CommentStatus.DELETED)


# --- access guards --------------------------------------------------------------------


def moderated_site_ids(*, user: AnyUser) -> list[int]:
    """The ids of the sites ``user`` moderates (one query); PermissionDenied when none."""
    ids = list(access_sites_for_moderator(user=user).order_by("name").values_list("pk", flat=True))
    if not ids:
        raise errors.PermissionDeniedError()
    return ids


def access_site_ids_for_moderator(*, user: AnyUser, site_id: int | None) -> list[int]:
    """The sites a desk page covers: the one asked for (when the user moderates it) or all
    of the user's sites. Asking for another site's id is refused, not silently ignored."""
    ids = moderated_site_ids(user=user)
    if site_id is None:
        return ids
    if site_id not in ids:
        raise errors.PermissionDeniedError()
    return [site_id]


def access_story_for_moderator(*, story_id: int, user: AnyUser) -> Story:
    story = Story.objects.select_related("site").filter(pk=story_id).first()
    if story is None or not is_moderator(user, story.site_id):
        raise errors.PermissionDeniedError()
    return story


def access_commenter_for_moderator(*, commenter_id: int, user: AnyUser) -> Commenter:
    commenter = Commenter.objects.select_related("site").filter(pk=commenter_id).first()
    if commenter is None or not is_moderator(user, commenter.site_id):
        raise errors.PermissionDeniedError()
    return commenter


def access_comments_for_moderator(*, comment_ids: list[int], user: AnyUser) -> list[Comment]:
    """Several comments for a bulk action: all of them must be on sites ``user`` moderates."""
    ids = sorted(set(comment_ids))
    comments = list(Comment.objects.select_related("site", "story").filter(pk__in=ids))
    allowed = set(moderated_site_ids(user=user))
    if len(comments) != len(ids) or any(c.site_id not in allowed for c in comments):
        raise errors.PermissionDeniedError()
    return comments


# --- queues ---------------------------------------------------------------------------


@dataclass
class QueuePage:
    queue: str
    comments: list[Comment]
    page: int
    has_next: bool
    site_ids: list[int] = field(default_factory=list)


def _search(qs: QuerySet[Comment], text: str) -> QuerySet[Comment]:
    text = text.strip()
    if not text:
        return qs
    match = Q(body__icontains=text) | Q(author_name__icontains=text)
    match |= Q(author_email__icontains=text)
    with contextlib.suppress(ValueError):
        match |= Q(ip_address=str(ipaddress.ip_address(text)))
    return qs.filter(match)


def queue_queryset(
    *, site_ids: list[int], queue: str, story_id: int | None = None, search: str = ""
) -> QuerySet[Comment]:
    if queue not in QUEUES:
        raise errors.ValidationError(f"queue must be one of {', '.join(QUEUES)}", field="queue")
    qs = Comment.objects.filter(_queue_filter(queue), site_id__in=site_ids)
    if story_id is not None:
        qs = qs.filter(story_id=story_id)
    return _search(qs, search)


def _with_details(qs: QuerySet[Comment]) -> QuerySet[Comment]:
    """Everything a desk card shows, in four queries for any number of cards."""
    pipeline = ModerationEvent.objects.filter(source__startswith="pipeline").order_by(
        "-created_at", "-id"
    )
    return qs.select_related("story", "site", "commenter", "parent").prefetch_related(
        Prefetch("events", queryset=pipeline, to_attr="pipeline_events"),
        "revisions",
        Prefetch("flags", queryset=Flag.objects.filter(resolved=False), to_attr="open_flags"),
    )


def queue_page(
    *,
    user: AnyUser,
    queue: str = "pending",
    site_id: int | None = None,
    story_id: int | None = None,
    search: str = "",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> QueuePage:
    """One page of a queue, newest first, with each comment's context, latest scores, edit
    history and open flags: six queries whatever the page size."""
    site_ids = access_site_ids_for_moderator(user=user, site_id=site_id)
    page = max(page, 1)
    qs = queue_queryset(site_ids=site_ids, queue=queue, story_id=story_id, search=search)
    start = (page - 1) * page_size
    rows = list(_with_details(qs.order_by("-created_at", "-id"))[start : start + page_size + 1])
    return QueuePage(
        queue=queue,
        comments=rows[:page_size],
        page=page,
        has_next=len(rows) > page_size,
        site_ids=site_ids,
    )


def queue_counts(*, site_ids: list[int], story_id: int | None = None) -> dict[str, int]:
    """How many comments each queue holds, in one query."""
    qs = Comment.objects.filter(site_id__in=site_ids)
    if story_id is not None:
        qs = qs.filter(story_id=story_id)
    return qs.aggregate(**{name: Count("pk", filter=_queue_filter(name)) for name in QUEUES})


def comment_detail(*, comment_id: int, user: AnyUser) -> Comment:
    """One comment with everything its desk card shows (guarded like the queue)."""
    comment = _with_details(Comment.objects.filter(pk=comment_id)).first()
    if comment is None or not is_moderator(user, comment.site_id):
        raise errors.PermissionDeniedError()
    return comment


def latest_scores(comment: Comment) -> dict[str, Any]:
    """The scores of the latest pipeline decision: {scorer: {value, verdict, reasons,
    explanation}} (needs ``_with_details``)."""
    events = getattr(comment, "pipeline_events", None)
    if events is None:
        events = list(
            comment.events.filter(source__startswith="pipeline").order_by("-created_at", "-id")[:1]
        )
    for event in events:
        if isinstance(event.scores, dict) and event.scores:
            return event.scores
    return {}


# --- commenters and the audit log -----------------------------------------------------


@dataclass
class CommenterHistory:
    commenter: Commenter
    comments: list[Comment]
    rejection_rate: float
    flags_received: int


def commenter_history(*, commenter: Commenter, limit: int = 20) -> CommenterHistory:
    """The drawer's numbers: latest comments, rejection rate, flags received (one query;
    the counters on Commenter are kept by the posting, moderation and flag actions)."""
    comments = list(
        commenter.comments.select_related("story").order_by("-created_at", "-id")[:limit]
    )
    decided = commenter.comments_published + commenter.comments_rejected
    return CommenterHistory(
        commenter=commenter,
        comments=comments,
        rejection_rate=commenter.comments_rejected / decided if decided else 0.0,
        flags_received=commenter.flags_received,
    )


def audit_events(
    *, site_ids: list[int], action: str = "", page: int = 1, page_size: int = 50
) -> tuple[list[ModerationEvent], bool]:
    """The audit log, newest first: one query per page."""
    qs = ModerationEvent.objects.filter(site_id__in=site_ids)
    if action:
        qs = qs.filter(action=action)
    start = (max(page, 1) - 1) * page_size
    qs = qs.select_related("actor", "comment", "commenter", "site")
    rows = list(qs[start : start + page_size + 1])
    return rows[:page_size], len(rows) > page_size


def sites_by_id(*, site_ids: list[int]) -> list[Site]:
    return list(Site.objects.filter(pk__in=site_ids).order_by("name"))


def markers(comment: Comment) -> list[str]:
    """What held the comment, as the pipeline wrote it, plus the open reader flags."""
    out = [str(r) for r in comment.moderation_reasons or []]
    flags = len(getattr(comment, "open_flags", []) or []) or comment.flag_count
    if flags and not any(r.startswith("Flagged") for r in out):
        out.append(f"Flagged ×{flags}")
    return out
