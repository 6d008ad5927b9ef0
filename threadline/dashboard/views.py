"""The queues and what a moderator does to one comment or several."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from threadline import errors
from threadline.actions.moderation_desk import (
    REJECT_REASONS,
    comment_approve,
    comment_feature,
    comment_pin,
    comment_reject,
    comments_bulk_moderate,
)
from threadline.actions.stories import story_set_open
from threadline.dashboard.base import (
    AuthenticatedHttpRequest,
    back,
    changed,
    desk_view,
    int_param,
    is_htmx,
)
from threadline.dashboard.cards import decorate
from threadline.queries import access_comment_for_moderator
from threadline.queries import desk as desk_queries


def _filters(request: HttpRequest) -> dict:
    queue = request.GET.get("queue") or "pending"
    if queue not in desk_queries.QUEUES:
        raise errors.ValidationError("Unknown queue.", field="queue")
    return {
        "queue": queue,
        "site_id": int_param(request.GET, "site"),
        "story_id": int_param(request.GET, "story"),
        "search": request.GET.get("q", "")[:200],
    }


def _queue_rows(counts_now: dict[str, int]) -> list[tuple[str, str, int]]:
    return [(name, label, counts_now[name]) for name, label in desk_queries.QUEUES.items()]


@desk_view
def queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = _filters(request)
    page = desk_queries.queue_page(
        user=request.user, page=int_param(request.GET, "page", 1) or 1, **filters
    )
    counts = desk_queries.queue_counts(site_ids=page.site_ids, story_id=filters["story_id"])
    return render(
        request,
        "threadline/dashboard/queue.html",
        {
            **filters,
            "page": page,
            "comments": decorate(page.comments),
            "queue_rows": _queue_rows(counts),
            "reject_reasons": REJECT_REASONS,
            "sites": desk_queries.sites_by_id(site_ids=page.site_ids),
        },
    )


@desk_view
def counts(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = _filters(request)
    site_ids = desk_queries.access_site_ids_for_moderator(
        user=request.user, site_id=filters["site_id"]
    )
    counts_now = desk_queries.queue_counts(site_ids=site_ids, story_id=filters["story_id"])
    return render(
        request,
        "threadline/dashboard/_counts.html",
        {**filters, "queue_rows": _queue_rows(counts_now)},
    )


def _card(request: HttpRequest, comment_id: int, *, status: int = 200) -> HttpResponse:
    comment = desk_queries.comment_detail(comment_id=comment_id, user=request.user)
    template = "_card.html" if is_htmx(request) else "comment.html"
    return render(
        request,
        f"threadline/dashboard/{template}",
        {
            "c": decorate([comment])[0],
            "reject_reasons": REJECT_REASONS,
        },
        status=status,
    )


@desk_view
def comment_detail(request: AuthenticatedHttpRequest, comment_id: int) -> HttpResponse:
    return _card(request, comment_id)


def _after_action(request: HttpRequest, comment_id: int, done: str) -> HttpResponse:
    """htmx: the card again; a plain form (the desk without JavaScript, the article page's
    in-stream tools): back where it came from, saying what was done."""
    if is_htmx(request):
        return changed(_card(request, comment_id))
    messages.success(request, done)
    return back(request)


@desk_view
@require_POST
def comment_approve_view(request: AuthenticatedHttpRequest, comment_id: int) -> HttpResponse:
    comment = access_comment_for_moderator(comment_id=comment_id, user=request.user)
    comment_approve(comment=comment, actor=request.user)
    return _after_action(request, comment_id, f"Comment #{comment_id} approved.")


@desk_view
@require_POST
def comment_reject_view(request: AuthenticatedHttpRequest, comment_id: int) -> HttpResponse:
    comment = access_comment_for_moderator(comment_id=comment_id, user=request.user)
    comment_reject(
        comment=comment,
        actor=request.user,
        reason_code=request.POST.get("reason") or "other",
        note=request.POST.get("note", "")[:500],
    )
    return _after_action(request, comment_id, f"Comment #{comment_id} rejected.")


@desk_view
@require_POST
def comment_feature_view(request: AuthenticatedHttpRequest, comment_id: int) -> HttpResponse:
    comment = access_comment_for_moderator(comment_id=comment_id, user=request.user)
    on = request.POST.get("on") != "0"
    comment_feature(comment=comment, actor=request.user, on=on)
    done = "featured" if on else "no longer featured"
    return _after_action(request, comment_id, f"Comment #{comment_id} {done}.")


@desk_view
@require_POST
def comment_pin_view(request: AuthenticatedHttpRequest, comment_id: int) -> HttpResponse:
    comment = access_comment_for_moderator(comment_id=comment_id, user=request.user)
    on = request.POST.get("on") != "0"
    comment_pin(comment=comment, actor=request.user, on=on)
    done = "pinned" if on else "unpinned"
    return _after_action(request, comment_id, f"Comment #{comment_id} {done}.")


@desk_view
@require_POST
def story_open_view(request: AuthenticatedHttpRequest, story_id: int) -> HttpResponse:
    """Close (``open=0``) or reopen a story's thread."""
    story = desk_queries.access_story_for_moderator(story_id=story_id, user=request.user)
    is_open = request.POST.get("open") == "1"
    story_set_open(story=story, is_open=is_open, actor=request.user)
    done = "Comments reopened." if is_open else "Comments closed."
    comment_id = int_param(request.POST, "comment")
    if is_htmx(request) and comment_id:
        return _after_action(request, comment_id, done)
    messages.success(request, done)
    return back(request)


@desk_view
@require_POST
def bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit() and len(i) < 12]
    if not ids:
        raise errors.ValidationError("Select at least one comment.", field="ids")
    comments = desk_queries.access_comments_for_moderator(comment_ids=ids, user=request.user)
    action, reason = request.POST.get("action", ""), request.POST.get("reason") or "other"
    n = comments_bulk_moderate(
        comments=comments, actor=request.user, action=action, reason_code=reason
    )
    messages.success(request, _bulk_done(n=n, action=action, reason_code=reason))
    return back(request)


def _bulk_done(*, n: int, action: str, reason_code: str) -> str:
    """What a bulk action did, in words: "3 comments rejected (Spam)."."""
    what = f"{n} comment{'s' if n != 1 else ''}"
    if action == "approve":
        return f"{what} approved."
    return f"{what} rejected ({REJECT_REASONS[reason_code]})."
