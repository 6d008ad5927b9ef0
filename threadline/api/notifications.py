"""Reply-notification opt-in (JSON API) and the two links in the e-mails (plain pages)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from ninja import Field, Router
from ninja.responses import Status

from threadline import errors
from threadline.actions.subscriptions import (
    subscription_confirm,
    subscription_request,
    subscription_unsubscribe,
)
from threadline.api.base import actor_for
from threadline.api.schemas import ErrorOut, Strict
from threadline.models import Site
from threadline.server.clientaddr import client_ip
from threadline.server.ratelimit import check_rate

router = Router(tags=["notifications"])


class SubscriptionIn(Strict):
    site: str = Field(max_length=64)
    email: str = Field(
        default="", max_length=254, description="Signed in: empty means the account's address."
    )


class SubscriptionOut(Strict):
    status: str


@router.post(
    "/subscriptions",
    response={
        202: SubscriptionOut,
        400: ErrorOut,
        401: ErrorOut,
        404: ErrorOut,
        415: ErrorOut,
        429: ErrorOut,
    },
)
def subscribe(request: HttpRequest, payload: SubscriptionIn) -> Status:
    """Ask for reply e-mails; a confirmation link is sent first. The answer is the same
    whether or not the address was known, so it reveals nothing. A guest sending
    ``X-Threadline-Guest`` is also recognised by the address once the link is opened. A
    signed-in reader may leave ``email`` out: their account's address is used."""
    check_rate(name="auth-ip", key=client_ip(request) or "", setting="RATE_LIMIT_AUTH_IP")
    site = Site.objects.filter(name=payload.site).first()
    if site is None:
        raise errors.NotFoundError("No such site.", field="site")
    actor = actor_for(request)
    email = payload.email or (actor.account.email if actor.account is not None else "")
    subscription_request(site=site, email=email, device_key=actor.device_key)
    return Status(202, {"status": "confirmation_sent"})


def _page(title: str, text: str, status: int = 200, form: str = "") -> HttpResponse:
    html = (
        f"<!doctype html><meta charset=utf-8><title>{escape(title)}</title>"
        f"<main style='font-family:sans-serif;max-width:32em;margin:3em auto'>"
        f"<h1>{escape(title)}</h1><p>{escape(text)}</p>{form}</main>"
    )
    return HttpResponse(html, status=status)


@require_http_methods(["GET"])
def confirm_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        sub = subscription_confirm(token=token)
    except errors.ThreadlineError as exc:
        return _page("Link not valid", exc.message, status=400)
    return _page("Confirmed", f"Replies to comments by {sub.email} will be e-mailed to it.")


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a session
@require_http_methods(["GET", "POST"])
def unsubscribe_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (link scanners must not unsubscribe anyone); POST unsubscribes."""
    if request.method == "GET":
        form = "<form method=post><button type=submit>Unsubscribe</button></form>"
        return _page("Unsubscribe", "Stop e-mails about replies to your comments?", form=form)
    try:
        sub = subscription_unsubscribe(token=token)
    except errors.ThreadlineError as exc:
        return _page("Link not valid", exc.message, status=400)
    return _page("Unsubscribed", f"No more reply e-mails will be sent to {sub.email}.")
