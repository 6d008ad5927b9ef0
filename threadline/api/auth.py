"""Accounts and bearer tokens for the API."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router
from ninja.responses import Status

from threadline import errors
from threadline.actions.account_email import account_email_confirmed, account_email_request
from threadline.actions.account_profile import account_update
from threadline.actions.accounts import (
    token_create,
    token_revoke,
    token_revoke_all,
    token_revoke_by_id,
    token_session,
    user_login,
    user_register,
)
from threadline.actions.oidc_handoff import oidc_handoff_claim
from threadline.actions.sso import sso_sign_in, sso_site
from threadline.api.base import actor_for, bearer_token
from threadline.api.schemas import (
    AccountPatch,
    ConfirmationOut,
    ErrorOut,
    LoginIn,
    MeOut,
    OidcClaimIn,
    RegisterIn,
    SessionsOut,
    SsoIn,
    TokenOut,
)
from threadline.models import ApiToken
from threadline.queries import access_sessions_for_user
from threadline.server.clientaddr import client_ip
from threadline.server.ratelimit import check_rate

router = Router(tags=["auth"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 409: ErrorOut, 415: ErrorOut, 429: ErrorOut}
SSO_ERRORS = {**ERRORS, 403: ErrorOut}


def _label(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")


def _user_json(user: User) -> dict:
    return {
        "id": user.pk,
        "username": user.get_username(),
        "display_name": user.first_name or user.get_username(),
    }


@router.post("/register", response={201: TokenOut, **ERRORS})
def register(request: HttpRequest, payload: RegisterIn) -> Status:
    check_rate(name="auth-ip", key=client_ip(request) or "", setting="RATE_LIMIT_AUTH_IP")
    user = user_register(
        username=payload.username,
        password=payload.password,
        email=payload.email,
        display_name=payload.display_name,
    )
    return Status(
        201, {"token": token_create(user=user, label=_label(request)), "user": _user_json(user)}
    )


@router.post("/login", response={200: TokenOut, **ERRORS})
def login(request: HttpRequest, payload: LoginIn) -> dict:
    check_rate(name="auth-ip", key=client_ip(request) or "", setting="RATE_LIMIT_AUTH_IP")
    user = user_login(username=payload.username, password=payload.password)
    return {"token": token_create(user=user, label=_label(request)), "user": _user_json(user)}


@router.post("/sso", response={200: TokenOut, **SSO_ERRORS})
def sso(request: HttpRequest, payload: SsoIn) -> dict:
    """Exchange the publisher's signed token (docs/embed.md) for a reader's API token. A
    bearer token sent along is the browser's previous session: it is revoked, so signing
    in on every page view does not pile up sessions."""
    check_rate(name="auth-ip", key=client_ip(request) or "", setting="RATE_LIMIT_AUTH_IP")
    user, commenter = sso_sign_in(site=sso_site(name=payload.site), token=payload.token)
    if previous := bearer_token(request):
        token_revoke(token=previous)
    return {
        "token": token_create(user=user, label=_label(request)),
        "user": {
            **_user_json(user),
            "badge": commenter.badge or None,
            "avatar_url": commenter.avatar_url or None,
        },
    }


@router.post("/oidc/claim", response={200: TokenOut, 404: ErrorOut, **ERRORS})
def oidc_claim(request: HttpRequest, payload: OidcClaimIn) -> dict:
    """The widget's sign-in with the operator's provider (docs/accounts.md): the holder of
    the verifier whose sign-in window came back signed in gets a token, once. Polled while
    the window is open, so only claims that find nothing count against the auth limit."""
    try:
        token, user = oidc_handoff_claim(verifier=payload.verifier, label=_label(request))
    except errors.OidcHandoffNotFoundError:
        check_rate(name="auth-ip", key=client_ip(request) or "", setting="RATE_LIMIT_AUTH_IP")
        raise
    return {"token": token, "user": _user_json(user)}


@router.post("/logout", response={200: dict, **ERRORS})
def logout(request: HttpRequest) -> dict:
    token = bearer_token(request)
    if not token:
        raise errors.NotAuthenticatedError()
    token_revoke(token=token)
    return {"ok": True}


def _account(request: HttpRequest) -> User:
    user = actor_for(request).account
    if user is None:
        raise errors.NotAuthenticatedError()
    return user


def _me_json(user: User) -> dict:
    return {
        **_user_json(user),
        "email": user.email,
        "moderator_of": list(user.moderated_sites.values_list("name", flat=True)),
        "email_confirmed": bool(account_email_confirmed(user=user)),
        "profile_url": settings.PUBLIC_URL + reverse("web:reader-profile", args=[user.pk]),
    }


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> dict:
    return _me_json(_account(request))


@router.patch("/me", response={200: MeOut, 403: ErrorOut, **ERRORS})
def me_update(request: HttpRequest, payload: AccountPatch) -> dict:
    """Change the display name or the e-mail address (a new one is mailed a link)."""
    user = account_update(
        user=_account(request), display_name=payload.display_name, email=payload.email
    )
    return _me_json(user)


@router.post("/me/email-confirmation", response={202: ConfirmationOut, **ERRORS})
def me_email_confirmation(request: HttpRequest) -> Status:
    """Mail the link that confirms the account's address again."""
    check_rate(name="auth-ip", key=client_ip(request) or "", setting="RATE_LIMIT_AUTH_IP")
    user = _account(request)
    if not user.email:
        raise errors.ValidationError("Your account has no e-mail address.", field="email")
    sent = account_email_request(user=user)
    return Status(202, {"status": "confirmation_sent" if sent else "already_confirmed"})


def _current(request: HttpRequest) -> ApiToken:
    """The caller's own token row: session calls need a bearer token, not a guest."""
    token = bearer_token(request)
    if not token:
        raise errors.NotAuthenticatedError()
    return token_session(token=token)


@router.get("/sessions", response={200: SessionsOut, **ERRORS})
def sessions(request: HttpRequest) -> dict:
    current = _current(request)
    rows = access_sessions_for_user(user=current.user)
    return {"sessions": [{**_session_json(row), "current": row.pk == current.pk} for row in rows]}


@router.delete("/sessions/{session_id}", response={200: dict, 404: ErrorOut, **ERRORS})
def session_revoke(request: HttpRequest, session_id: int) -> dict:
    token_revoke_by_id(user=_current(request).user, token_id=session_id)
    return {"ok": True}


@router.post("/logout-everywhere", response={200: dict, **ERRORS})
def logout_everywhere(request: HttpRequest) -> dict:
    return {"ok": True, "revoked": token_revoke_all(user=_current(request).user)}


def _session_json(row: ApiToken) -> dict:
    return {
        "id": row.pk,
        "label": row.label,
        "created_at": row.created_at,
        "last_used_at": row.last_used_at,
        "expires_at": row.expires_at,
    }
