"""Sign-in with the publisher's accounts on the server-rendered pages: the publisher links
(or posts a form) to ``/sso/<site>/?token=…&next=…`` with the token its widget embed would
carry; the reader comes back signed in, on a page of this server only."""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from threadline import errors
from threadline.actions.sso import sso_sign_in, sso_site
from threadline.server.clientaddr import client_ip
from threadline.server.ratelimit import check_rate


def _next(request: HttpRequest) -> str:
    """Where to go afterwards: ``next`` when it is a page of this server, else the home page.
    A publisher's page is never a target: an open redirect would lend it our name."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


# No CSRF token: a publisher's page posts here from its own origin, and the signed token
# is what proves who signs in (as on the GET link).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def sso_signin(request: HttpRequest, site: str) -> HttpResponse:
    token = request.POST.get("token") or request.GET.get("token") or ""
    try:
        check_rate(name="auth-ip", key=client_ip(request) or "", setting="RATE_LIMIT_AUTH_IP")
        user, _ = sso_sign_in(site=sso_site(name=site), token=token)
    except errors.ThreadlineError as exc:
        response = render(request, "threadline/error.html", {"error": exc}, status=exc.status)
        if isinstance(exc, errors.RateLimitedError):
            response["Retry-After"] = str(exc.retry_after)
        return response
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    response = HttpResponseRedirect(_next(request))
    # The token was in this URL: keep it out of the next page's Referer.
    response["Referrer-Policy"] = "no-referrer"
    return response
