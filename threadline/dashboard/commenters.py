"""The commenter drawer: history, notes, always-pre-moderate, ban and unban (the commenter,
and by explicit choice the e-mail address or IP their comments carried)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from threadline.actions.bans import ban_lift
from threadline.actions.commenters import commenter_ban, commenter_unban, commenter_update
from threadline.dashboard.base import back, changed, desk_view, int_param, is_htmx
from threadline.queries import desk as desk_queries


def _drawer(request: HttpRequest, commenter_id: int, message: str = "") -> HttpResponse:
    commenter = desk_queries.access_commenter_for_moderator(
        commenter_id=commenter_id, user=request.user
    )
    history = desk_queries.commenter_history(commenter=commenter)
    template = "_drawer.html" if is_htmx(request) else "commenter.html"
    return render(
        request,
        f"threadline/dashboard/{template}",
        {"h": history, "c": commenter, "message": message},
    )


@desk_view
def commenter_detail(request: HttpRequest, commenter_id: int) -> HttpResponse:
    return _drawer(request, commenter_id)


def _done(request: HttpRequest, commenter_id: int, message: str) -> HttpResponse:
    if is_htmx(request):
        return changed(_drawer(request, commenter_id, message))
    messages.success(request, message)  # a plain form: the article page's Ban, for one
    return back(request)


@desk_view
@require_POST
def commenter_ban_view(request: HttpRequest, commenter_id: int) -> HttpResponse:
    """``days`` empty means for good; ``ban_shadow`` ticked makes it a shadow ban."""
    commenter = desk_queries.access_commenter_for_moderator(
        commenter_id=commenter_id, user=request.user
    )
    days = int_param(request.POST, "days")
    commenter_ban(
        commenter=commenter,
        actor=request.user,
        days=days or None,
        message=request.POST.get("message", ""),
        # Ticked boxes only: an address or IP ban also reaches whoever shares it.
        email=request.POST.get("ban_email", "")[:254],
        ip=request.POST.get("ban_ip", "")[:64],
        shadow=request.POST.get("ban_shadow") == "on",
    )
    kind = "Shadow-banned" if commenter.ban_shadow else "Banned"
    return _done(request, commenter_id, f"{kind} for {days} days." if days else f"{kind} for good.")


@desk_view
@require_POST
def commenter_unban_view(request: HttpRequest, commenter_id: int) -> HttpResponse:
    commenter = desk_queries.access_commenter_for_moderator(
        commenter_id=commenter_id, user=request.user
    )
    commenter_unban(commenter=commenter, actor=request.user)
    return _done(request, commenter_id, "Ban lifted.")


@desk_view
@require_POST
def ban_lift_view(request: HttpRequest, commenter_id: int, ban_id: int) -> HttpResponse:
    """Lift an e-mail or IP ban shown in a commenter's drawer."""
    commenter = desk_queries.access_commenter_for_moderator(
        commenter_id=commenter_id, user=request.user
    )
    ban = desk_queries.access_ban_for_moderator(
        ban_id=ban_id, user=request.user, site_id=commenter.site_id
    )
    ban_lift(ban=ban, actor=request.user)
    return _done(request, commenter_id, f"Ban of {ban} lifted.")


@desk_view
@require_POST
def commenter_update_view(request: HttpRequest, commenter_id: int) -> HttpResponse:
    commenter = desk_queries.access_commenter_for_moderator(
        commenter_id=commenter_id, user=request.user
    )
    commenter_update(
        commenter=commenter,
        actor=request.user,
        notes=request.POST.get("notes", commenter.notes)[:5000],
        always_premoderate=request.POST.get("always_premoderate") == "on",
    )
    return _done(request, commenter_id, "Saved.")
