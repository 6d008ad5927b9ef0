"""Readers' own pages: the public profile of an account (name, avatar, badges, published
comments), the settings where a reader changes their name and address, and the link that
confirms the address. A ThreadlineError becomes a page with its status
(``middleware.ErrorShapeMiddleware``)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from threadline import errors, queries
from threadline.actions.account_email import (
    account_email_confirm,
    account_email_confirmed,
    account_email_request,
)
from threadline.actions.account_profile import account_update
from threadline.domain.avatars import picture_origins
from threadline.server.clientaddr import client_ip
from threadline.server.ratelimit import check_rate


def allow_pictures(response: HttpResponse, urls: list[str | None]) -> HttpResponse:
    """Let the page load these avatar pictures: their origins join its CSP's ``img-src``,
    which otherwise allows this server only."""
    origins = picture_origins(urls)
    if origins:
        response._csp_update = {"img-src": origins}  # type: ignore[attr-defined]  # django-csp
    return response


def thread_pictures(nodes: list[dict[str, Any]]) -> list[str | None]:
    """The avatar URLs of a nested page of comments (``queries.thread_page``)."""
    urls: list[str | None] = []
    stack = list(nodes)
    while stack:
        node = stack.pop()
        urls.append(node["author"]["avatar_url"])
        stack.extend(node["replies"])
    return urls


def _page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or len(raw) > 6:
        raise errors.NotFoundError("No such page.")
    return int(raw)


@require_GET
def reader_profile(request: HttpRequest, user_id: int) -> HttpResponse:
    profile = queries.access_profile_for_reader(
        user_id=user_id, page=_page_number(request), viewer=request.user
    )
    response = render(request, "threadline/profile.html", {"profile": profile})
    return allow_pictures(response, [profile.avatar_url])


@require_GET
def comment_author(request: HttpRequest, comment_id: int) -> HttpResponse:
    """From a comment to its author's profile (the thread rows name no account)."""
    user_id = queries.access_comment_author_for_reader(comment_id=comment_id)
    return HttpResponseRedirect(reverse("web:reader-profile", args=[user_id]))


def _settings_page(request: HttpRequest, error: errors.ThreadlineError | None = None) -> Any:
    user = cast(User, request.user)
    context = {
        "email_confirmed": bool(account_email_confirmed(user=user)),
        "external": not user.has_usable_password(),
        "error": error,
        "post": request.POST if error else {},
    }
    return render(
        request, "threadline/account_settings.html", context, status=error.status if error else 200
    )


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _settings_page(request)
    user = cast(User, request.user)
    had = user.email
    try:
        account_update(
            user=user,
            display_name=request.POST.get("display_name", ""),
            email=request.POST.get("email", ""),
        )
    except errors.ThreadlineError as exc:
        user.refresh_from_db()  # the page shows what is stored, the form what was typed
        return _settings_page(request, exc)
    if user.email and user.email != had:
        messages.info(request, f"We sent a link to {user.email}: open it to confirm the address.")
    else:
        messages.success(request, "Your settings are saved.")
    return HttpResponseRedirect(reverse("web:account-settings"))


@login_required
@require_POST
def account_email_resend(request: HttpRequest) -> HttpResponse:
    check_rate(name="auth-ip", key=client_ip(request) or "", setting="RATE_LIMIT_AUTH_IP")
    user = cast(User, request.user)
    if account_email_request(user=user):
        messages.info(request, f"We sent a new link to {user.email}.")
    else:
        messages.success(request, "Your address is confirmed already.")
    return HttpResponseRedirect(reverse("web:account-settings"))


@require_GET
def account_email_confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: no sign-in needed, the signed token says whose address."""
    user = account_email_confirm(token=token)
    # Links away from this page carry no Referer (SECURE_REFERRER_POLICY "same-origin"), so
    # the token stays here; its own forms (sign out) keep their Origin for the CSRF check.
    return render(request, "threadline/email_confirmed.html", {"confirmed": user.email})
