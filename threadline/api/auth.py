"""Accounts and bearer tokens for the API."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status

from threadline import errors
from threadline.actions.accounts import token_create, token_revoke, user_login, user_register
from threadline.api.base import actor_for, bearer_token, client_ip
from threadline.api.schemas import ErrorOut, LoginIn, MeOut, RegisterIn, TokenOut
from threadline.ratelimit import check_rate

router = Router(tags=["auth"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 409: ErrorOut, 415: ErrorOut, 429: ErrorOut}


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
    return Status(201, {"token": token_create(user=user), "user": _user_json(user)})


@router.post("/login", response={200: TokenOut, **ERRORS})
def login(request: HttpRequest, payload: LoginIn) -> dict:
    check_rate(name="auth-ip", key=client_ip(request) or "", setting="RATE_LIMIT_AUTH_IP")
    user = user_login(username=payload.username, password=payload.password)
    return {"token": token_create(user=user), "user": _user_json(user)}


@router.post("/logout", response={200: dict, **ERRORS})
def logout(request: HttpRequest) -> dict:
    token = bearer_token(request)
    if not token:
        raise errors.NotAuthenticatedError()
    token_revoke(token=token)
    return {"ok": True}


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request: HttpRequest) -> dict:
    user = actor_for(request).account
    if user is None:
        raise errors.NotAuthenticatedError()
    return {
        **_user_json(user),
        "email": user.email,
        "moderator_of": list(user.moderated_sites.values_list("name", flat=True)),
    }
