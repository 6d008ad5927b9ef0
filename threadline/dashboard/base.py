"""What every desk view shares: sign-in, parameter parsing, htmx-aware answers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from threadline import errors

View = Callable[..., HttpResponse]


class AuthenticatedHttpRequest(HttpRequest):
    """What a ``desk_view`` receives: ``login_required`` has turned anonymous readers away."""

    user: User


def desk_view(view: View) -> View:
    """Sign-in required (anonymous readers go to the login page); the view itself checks
    moderator rights through an ``access_*`` read, which answers 403 otherwise."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    return wrapped


def int_param(data: Any, name: str, default: int | None = None) -> int | None:
    """An optional integer from GET/POST data; anything else is a 400, not a 500."""
    raw = (data.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or len(raw) > 12:
        raise errors.ValidationError(f"{name} must be a number.", field=name)
    return int(raw)


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def back(request: HttpRequest) -> HttpResponseRedirect:
    """Where a plain (no JavaScript) form post returns to: ``next`` when it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("desk:queue")
    return HttpResponseRedirect(target or reverse("desk:queue"))


def changed(response: HttpResponse) -> HttpResponse:
    """Tell the page (htmx) that queue counts moved, so the counts refresh at once."""
    response["HX-Trigger"] = "desk-changed"
    return response
