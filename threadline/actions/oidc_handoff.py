"""Handing a sign-in with the OpenID Connect provider from a sign-in window back to the
widget on the publisher's page, without cookies and without ``window.opener``.

The widget makes a random ``verifier`` and opens the sign-in window with
``handoff = base64url(SHA-256(verifier))``. The server keeps the handoff in the window's
session through the provider's round trip and, when the reader comes back signed in, notes
the account under the handoff in Django's cache. The widget polls ``oidc_handoff_claim`` with
the verifier: only its holder can name the entry, which is read once and gives a new API
token. The verifier never leaves the publisher's page until the claim, the handoff in URLs
is a hash, and the token is made at the claim (no token waits in the cache nor outlives an
abandoned window). docs/accounts.md describes the flow.
"""

from __future__ import annotations

import base64
import hashlib
import re

from django.contrib.auth.models import User
from django.core.cache import cache

from threadline import errors
from threadline.actions.accounts import token_create

# 32 random bytes in base64url without padding: 43 characters; a SHA-256 is as long.
_B64_32 = re.compile(r"[A-Za-z0-9_-]{43}")
# How long the provider's round trip may take (typing a password, a second factor).
HANDOFF_WAIT_SECONDS = 600
# How long a finished sign-in waits for the widget's claim.
HANDOFF_SECONDS = 120
_PENDING = "pending"


def handoff_is_valid(value: str) -> bool:
    """A handoff (or a verifier) has the shape of 32 bytes in base64url."""
    return bool(_B64_32.fullmatch(value))


def handoff_of(verifier: str) -> str:
    """The handoff a verifier stands for: base64url(SHA-256(verifier)), as the widget
    computes it with ``crypto.subtle``."""
    raw = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _key(handoff: str) -> str:
    return f"tl:oidc-handoff:{handoff}"


def oidc_handoff_open(*, handoff: str) -> None:
    """Note a sign-in window started for ``handoff`` (claims answer ``handoff_pending``),
    for ``HANDOFF_WAIT_SECONDS``. Writes one cache entry."""
    cache.set(_key(handoff), _PENDING, timeout=HANDOFF_WAIT_SECONDS)


def oidc_handoff_complete(*, handoff: str, user: User) -> None:
    """The reader of ``handoff``'s window came back signed in as ``user``: the next claim
    with the verifier gets a token for them, within ``HANDOFF_SECONDS``."""
    cache.set(_key(handoff), {"user_id": user.pk}, timeout=HANDOFF_SECONDS)


def oidc_handoff_fail(*, handoff: str, message: str) -> None:
    """The window came back refused: the next claim answers ``handoff_failed`` with
    ``message``, so the widget stops waiting and says why."""
    cache.set(_key(handoff), {"failed": message}, timeout=HANDOFF_SECONDS)


def oidc_handoff_claim(*, verifier: str, label: str = "") -> tuple[str, User]:
    """A new API token (``token_create``, with ``label``) and its user, for the holder of
    the verifier whose window came back signed in. Single use: the entry is deleted by the
    one claim that gets it. ``OidcHandoffPendingError`` while the window is still at the
    provider; ``OidcHandoffNotFoundError`` for a malformed or unknown verifier, an expired
    or claimed entry, or an account disabled since; ``OidcHandoffFailedError`` (once) for a
    refused sign-in."""
    if not handoff_is_valid(verifier):
        raise errors.OidcHandoffNotFoundError()
    key = _key(handoff_of(verifier))
    entry = cache.get(key)
    if entry == _PENDING:
        raise errors.OidcHandoffPendingError()
    # delete() says whether this call removed it: of two racing claims, one wins.
    if not isinstance(entry, dict) or not cache.delete(key):
        raise errors.OidcHandoffNotFoundError()
    if "failed" in entry:
        raise errors.OidcHandoffFailedError(entry["failed"] or None)
    user = User.objects.filter(pk=int(entry["user_id"]), is_active=True).first()
    if user is None:
        raise errors.OidcHandoffNotFoundError()
    return token_create(user=user, label=label), user
