"""Reads for the moderator desk and the moderator API: permission-checked (``access_*``) and
the queues, each a fixed number of queries whatever the page size."""

from __future__ import annotations

import contextlib
import ipaddress
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from threadline import errors
from threadline.actions.bans import ip_candidates
from threadline.actions.moderation_desk import reject_reason_suggested
from threadline.models import (
    Ban,
    BanKind,
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


def access_ban_for_moderator(*, ban_id: int, user: AnyUser, site_id: int | None = None) -> Ban:
    """An e-mail or IP ban on a site ``user`` moderates (and on ``site_id``, when given)."""
    ban = Ban.objects.filter(pk=ban_id).first()
    if ban is None or not is_moderator(user, ban.site_id):
        raise errors.PermissionDeniedError()
    if site_id is not None and ban.site_id != site_id:
        raise errors.PermissionDeniedError()
    return ban


def access_site_for_moderator(*, site_id: int, user: AnyUser) -> Site:
    site = Site.objects.filter(pk=site_id).first()
    if site is None or not is_moderator(user, site.pk):
        raise errors.PermissionDeniedError()
    return site


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
    # What the latest comment carried, for an explicit e-mail or IP ban, and the active
    # e-mail and IP bans that already cover what the listed comments carried.
    last_email: str = ""
    last_ip: str = ""
    bans: list[Ban] = field(default_factory=list)


def bans_matching(*, site_id: int, emails: list[str], ips: list[str]) -> list[Ban]:
    """The active e-mail and IP bans of the site that cover any of ``emails`` or ``ips``."""
    covering = {v for ip in ips for v in ip_candidates(ip) if v}
    wanted = Q(kind=BanKind.EMAIL, value__in=sorted({e.strip().lower() for e in emails if e}))
    wanted |= Q(kind=BanKind.IP, value__in=sorted(covering))
    active = Q(until__isnull=True) | Q(until__gt=timezone.now())
    return list(Ban.objects.filter(wanted, active, site_id=site_id).order_by("kind", "value"))


def commenter_history(*, commenter: Commenter, limit: int = 20) -> CommenterHistory:
    """The drawer's numbers: latest comments, rejection rate, flags received, and the bans
    on what those comments carried (two queries; the counters on Commenter are kept by the
    posting, moderation and flag actions)."""
    comments = list(
        commenter.comments.select_related("story").order_by("-created_at", "-id")[:limit]
    )
    decided = commenter.comments_published + commenter.comments_rejected
    emails = [c.author_email for c in comments if c.author_email]
    ips = [c.ip_address for c in comments if c.ip_address]
    return CommenterHistory(
        commenter=commenter,
        comments=comments,
        rejection_rate=commenter.comments_rejected / decided if decided else 0.0,
        flags_received=commenter.flags_received,
        last_email=comments[0].author_email if comments else "",
        last_ip=(comments[0].ip_address or "") if comments else "",
        bans=bans_matching(site_id=commenter.site_id, emails=emails, ips=ips),
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
    # Reports a moderator resolved (by approving) are answered: they no longer mark it.
    open_flags = getattr(comment, "open_flags", None)
    flags = comment.flag_count if open_flags is None else len(open_flags)
    if flags and not any(r.startswith("Flagged") for r in out):
        out.append(f"Flagged ×{flags}")
    return out


# --- stories --------------------------------------------------------------------------


@dataclass
class StoryPage:
    stories: list[Story]
    page: int
    has_next: bool
    # Story id (a string, as templates look it up) -> comments held for review.
    held: dict[str, int] = field(default_factory=dict)


def stories_page(
    *, site_ids: list[int], search: str = "", page: int = 1, page_size: int = PAGE_SIZE
) -> StoryPage:
    """The stories of ``site_ids`` (already access-checked), newest first, matching
    ``search`` in the title or URL, with how many comments each holds for review: two
    queries a page (counting on the page's stories only, never the whole site)."""
    qs = Story.objects.filter(site_id__in=site_ids).select_related("site")
    text = search.strip()
    if text:
        qs = qs.filter(Q(title__icontains=text) | Q(url__icontains=text))
    page = max(page, 1)
    start = (page - 1) * page_size
    rows = list(qs.order_by("-created_at", "-id")[start : start + page_size + 1])
    stories = rows[:page_size]
    held = (
        Comment.objects.filter(story_id__in=[s.pk for s in stories], status=CommentStatus.PENDING)
        .values("story_id")
        .annotate(n=Count("pk"))
    )
    return StoryPage(
        stories=stories,
        page=page,
        has_next=len(rows) > page_size,
        held={str(row["story_id"]): row["n"] for row in held},
    )


@dataclass
class StreamModeration:
    """What a moderator of a story's site sees on its reader page (``threadline.web``):
    per comment id on the page (a string, as templates look it up) its commenter and open
    reports, and the story's comments awaiting review, which readers never see."""

    comments: dict[str, dict[str, Any]]
    held: list[Comment]


def stream_for_moderator(
    *, user: AnyUser, story: Story, comment_ids: list[int], held_limit: int = 50
) -> StreamModeration | None:
    """None unless ``user`` moderates the story's site (no query for a signed-out reader);
    else seven queries whatever the page size. Each comment carries the DSA reason its
    reports (or, held, its scores) point to, as the desk's cards do."""
    if not is_moderator(user, story.site_id):
        return None
    comments: dict[str, dict[str, Any]] = {
        str(pk): {"commenter_id": commenter_id, "flags": []}
        for pk, commenter_id in Comment.objects.filter(
            pk__in=comment_ids, story_id=story.pk
        ).values_list("pk", "commenter_id")
    }
    for flag in Flag.objects.filter(comment_id__in=comment_ids, resolved=False).order_by("id"):
        if str(flag.comment_id) in comments:
            comments[str(flag.comment_id)]["flags"].append(flag)
    for row in comments.values():
        reasons = [f.reason for f in row["flags"]]
        row["reason"] = reject_reason_suggested(site=story.site, scores={}, flag_reasons=reasons)
    held_qs = Comment.objects.filter(story_id=story.pk, status=CommentStatus.PENDING)
    held = list(_with_details(held_qs.order_by("-created_at", "-id"))[:held_limit])
    for comment in held:
        comment.markers = markers(comment)
        comment.suggested_reason = reject_reason_suggested(
            site=story.site, scores=latest_scores(comment)
        )
    return StreamModeration(comments=comments, held=held)
