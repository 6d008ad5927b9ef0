"""Sign-in with the operator's OpenID Connect provider on the server-rendered pages: the
"Sign in with …" button leads to ``oidc_start`` (off to the provider), which comes back to
``oidc_callback``. mozilla-django-oidc's views run the flow; ``threadline.oidc`` feeds them
their settings and checks the tokens."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import View
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from threadline import errors
from threadline.actions.oidc_handoff import (
    handoff_is_valid,
    oidc_handoff_complete,
    oidc_handoff_fail,
    oidc_handoff_open,
)
from threadline.oidc import OidcSettings, oidc_config, sign_in_failure
from threadline.server.clientaddr import client_ip
from threadline.server.origins import allowed_origins, page_origin
from threadline.server.ratelimit import check_rate

# The widget's handoff (docs/accounts.md), kept in the sign-in window's session.
HANDOFF_SESSION_KEY = "threadline_oidc_handoff"


def _error(request: HttpRequest, exc: errors.ThreadlineError) -> HttpResponse:
    response = render(request, "threadline/error.html", {"error": exc}, status=exc.status)
    if isinstance(exc, errors.RateLimitedError):
        response["Retry-After"] = str(exc.retry_after)
    return response


def _handoff(request: HttpRequest) -> dict[str, str] | None:
    """The widget's handoff and the page that opened the window, or None without one. The
    page (its Referer, which the browser sets) must be on a site's allowed origins: a page
    elsewhere must not start a sign-in whose token it could claim, should the provider
    sign a reader in without asking."""
    handoff = request.GET.get("handoff", "")
    if not handoff:
        return None
    if not handoff_is_valid(handoff):
        raise errors.ValidationError("This sign-in link is not valid.", field="handoff")
    origin = page_origin(request.META)
    if origin not in allowed_origins():
        raise errors.ForeignOriginError("Sign in from a page that shows the comments.")
    return {"handoff": handoff, "origin": origin}


class OidcStartView(OidcSettings, OIDCAuthenticationRequestView):
    """Off to the provider, with state, nonce and a PKCE challenge kept in the session and
    ``next`` (a page of this server only) to come back to. Opened by the widget, it carries
    a ``handoff`` (``actions.oidc_handoff``), kept in the session for the callback; a start
    without one forgets an earlier one, so a sign-in on the pages never feeds a widget."""

    def __init__(self, **kwargs: Any) -> None:
        # The library reads the endpoints on construction; here they are read in get(),
        # where a provider that is off or down gets a page instead of a server error.
        View.__init__(self, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            if oidc_config() is None:
                raise errors.OidcNotConfiguredError()
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
            handoff = _handoff(request)
        except errors.ThreadlineError as exc:
            return _error(request, exc)
        request.session.pop(HANDOFF_SESSION_KEY, None)
        if handoff:
            request.session[HANDOFF_SESSION_KEY] = handoff
            oidc_handoff_open(handoff=handoff["handoff"])
        return super().get(request)


class OidcCallbackView(OidcSettings, OIDCAuthenticationCallbackView):
    """The provider sends the reader back here with a code: the backend
    (``threadline.oidc.OidcBackend``) exchanges it and signs the reader in, who goes on to
    ``next``; a failure goes back to the sign-in page with a message. A window the widget
    opened (a handoff in the session) instead hands the reader to the widget and shows a
    page that closes itself; the reader is not signed in to the pages."""

    def get(self, request: HttpRequest) -> HttpResponse:
        config = oidc_config()
        if config is None:
            return _error(request, errors.OidcNotConfiguredError())
        try:
            check_rate(name="auth-ip", key=client_ip(request) or "", setting="RATE_LIMIT_AUTH_IP")
        except errors.RateLimitedError as exc:
            return _error(request, exc)
        try:
            return super().get(request)
        except SuspiciousOperation:  # a state this browser never started: a stale tab
            return self.login_failure()

    def login_success(self) -> HttpResponse:
        handoff = self.request.session.pop(HANDOFF_SESSION_KEY, None)
        if not handoff:
            return super().login_success()
        oidc_handoff_complete(handoff=handoff["handoff"], user=self.user)
        context = {"ok": True, "origin": handoff["origin"], "name": self.user.first_name}
        return render(self.request, "threadline/oidc_handoff.html", context)

    def login_failure(self) -> HttpResponse:
        config = oidc_config()
        refused = sign_in_failure(self.request)
        label = config.label if config else "another account"
        reason = f" {refused.message}" if refused else ""
        message = f"Sign-in with {label} did not work.{reason}"
        if handoff := self.request.session.pop(HANDOFF_SESSION_KEY, None):
            oidc_handoff_fail(handoff=handoff["handoff"], message=message)
            context = {"ok": False, "message": message}
            return render(self.request, "threadline/oidc_handoff.html", context, status=400)
        messages.error(self.request, message)
        query = {"next": self.request.session.get("oidc_login_next") or "/"}
        return HttpResponseRedirect(f"{reverse('web:login')}?{urlencode(query)}")
