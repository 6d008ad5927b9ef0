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
from threadline.clientaddr import client_ip
from threadline.oidc import OidcSettings, oidc_config, sign_in_failure
from threadline.ratelimit import check_rate


def _error(request: HttpRequest, exc: errors.ThreadlineError) -> HttpResponse:
    response = render(request, "threadline/error.html", {"error": exc}, status=exc.status)
    if isinstance(exc, errors.RateLimitedError):
        response["Retry-After"] = str(exc.retry_after)
    return response


class OidcStartView(OidcSettings, OIDCAuthenticationRequestView):
    """Off to the provider, with state, nonce and a PKCE challenge kept in the session and
    ``next`` (a page of this server only) to come back to."""

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
        except errors.ThreadlineError as exc:
            return _error(request, exc)
        return super().get(request)


class OidcCallbackView(OidcSettings, OIDCAuthenticationCallbackView):
    """The provider sends the reader back here with a code: the backend
    (``threadline.oidc.OidcBackend``) exchanges it and signs the reader in, who goes on to
    ``next``; a failure goes back to the sign-in page with a message."""

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

    def login_failure(self) -> HttpResponse:
        config = oidc_config()
        refused = sign_in_failure(self.request)
        label = config.label if config else "another account"
        reason = f" {refused.message}" if refused else ""
        messages.error(self.request, f"Sign-in with {label} did not work.{reason}")
        query = {"next": self.request.session.get("oidc_login_next") or "/"}
        return HttpResponseRedirect(f"{reverse('web:login')}?{urlencode(query)}")
