"""Per-site policy: the settings form, its backtest, and the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from threadline.actions.moderation_desk import site_backtest
from threadline.actions.sites import site_update_settings
from threadline.actions.sso import site_sso_disable, site_sso_secret_rotate
from threadline.dashboard.base import AuthenticatedHttpRequest, desk_view, int_param, is_htmx
from threadline.dashboard.forms import SiteSettingsForm
from threadline.models import ModerationAction
from threadline.queries import access_site_for_moderator
from threadline.queries import desk as desk_queries

BACKTEST_LIMIT = 2000


@desk_view
def site_settings(request: AuthenticatedHttpRequest, site_id: int) -> HttpResponse:
    site = access_site_for_moderator(site_id=site_id, user=request.user)
    form = SiteSettingsForm(request.POST or None, site=site)
    if request.method == "POST" and form.is_valid():
        site_update_settings(site=site, actor=request.user, changes=form.changes(site))
        messages.success(request, "Settings saved.")
        return HttpResponseRedirect(reverse("desk:site-settings", args=[site.pk]))
    return render(
        request,
        "threadline/dashboard/settings.html",
        {"site": site, "form": form, "limit": BACKTEST_LIMIT},
        status=400 if form.errors else 200,
    )


@desk_view
def site_backtest_view(request: AuthenticatedHttpRequest, site_id: int) -> HttpResponse:
    """Run the posted (unsaved) settings over the site's latest comments."""
    site = access_site_for_moderator(site_id=site_id, user=request.user)
    form = SiteSettingsForm(request.POST or None, site=site)
    result = site_backtest(site=form.instance) if form.is_valid() else None
    context = {"site": site, "form": form, "result": result, "limit": BACKTEST_LIMIT}
    template = "_backtest.html" if is_htmx(request) else "settings.html"
    return render(
        request, f"threadline/dashboard/{template}", context, status=400 if form.errors else 200
    )


@desk_view
@require_POST
def site_sso_view(request: AuthenticatedHttpRequest, site_id: int) -> HttpResponse:
    """Create or rotate the site's SSO secret, or turn SSO off (``action``)."""
    site = access_site_for_moderator(site_id=site_id, user=request.user)
    if request.POST.get("action") == "off":
        site_sso_disable(site=site, actor=request.user)
        messages.success(request, "Sign-in with your accounts is off.")
    else:
        site_sso_secret_rotate(site=site, actor=request.user)
        messages.success(
            request, "A new SSO secret is in force; tokens signed with the old one fail."
        )
    return HttpResponseRedirect(reverse("desk:site-settings", args=[site.pk]) + "#sso")


@desk_view
def audit_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    site_ids = desk_queries.access_site_ids_for_moderator(
        user=request.user, site_id=int_param(request.GET, "site")
    )
    action = request.GET.get("action", "")
    if action not in ModerationAction.values:
        action = ""
    page = int_param(request.GET, "page", 1) or 1
    events, has_next = desk_queries.audit_events(site_ids=site_ids, action=action, page=page)
    return render(
        request,
        "threadline/dashboard/audit.html",
        {
            "events": events,
            "has_next": has_next,
            "page": page,
            "action": action,
            "actions": ModerationAction.choices,
            "site_id": int_param(request.GET, "site"),
            "sites": desk_queries.sites_by_id(
                site_ids=desk_queries.moderated_site_ids(user=request.user)
            ),
        },
    )
