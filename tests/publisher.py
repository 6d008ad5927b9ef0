"""A test publisher: signs SSO tokens for its readers as docs/embed.md tells publishers to."""

from __future__ import annotations

import time
from typing import Any

import jwt

from threadline.models import Site

_UNSET: Any = object()


def sso_token(
    site: Site,
    *,
    sub: Any = "reader-1",
    name: Any = "Nadia Karimi",
    email: Any = "nadia@publisher.example",
    role: Any = _UNSET,
    avatar: Any = _UNSET,
    exp_in: int | None = 300,
    secret: str | None = None,
    **extra: Any,
) -> str:
    """A token for ``site`` (signed with its secret unless ``secret`` is given); a claim
    passed as None is left out, as are ``role`` and ``avatar`` unless given."""
    claims = {"sub": sub, "name": name, "email": email, **extra}
    if role is not _UNSET:
        claims["role"] = role
    if avatar is not _UNSET:
        claims["avatar"] = avatar
    if exp_in is not None:
        claims["exp"] = int(time.time()) + exp_in
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, secret or site.sso_secret, algorithm="HS256")
