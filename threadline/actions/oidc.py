"""Sign-in with an OpenID Connect provider the operator configured (THREADLINE_OIDC_*): the
accounts its readers get here.

The protocol (authorization-code flow with PKCE, the ID token's signature, nonce, issuer and
audience) is checked before these functions are called, by ``threadline.oidc`` on top of
mozilla-django-oidc. What is left is the domain's part: who the checked claims name, and
their account. The account of a provider's reader is the one of (issuer, ``sub``), never
matched by e-mail, so a provider that lets anyone claim an address cannot open another
reader's account. Like every account, it gets a commenter on each site where it first posts
(``actions.commenters.commenter_for``, key ``user:<id>``), so trust and bans attach there.
docs/accounts.md describes the operator's side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from threadline import errors
from threadline.actions.accounts import user_create_external
from threadline.domain.identity import digest
from threadline.domain.names import check_account_name
from threadline.domain.text import clean_line


@dataclass(frozen=True)
class OidcClaims:
    """What a provider says about its reader: their id there, a display name, and an e-mail
    address ("" when it gave none, or said the address is unverified)."""

    sub: str
    name: str
    email: str


def oidc_claims_check(*, claims: Mapping[str, Any]) -> OidcClaims:
    """The reader named by the provider's claims (ID token and userinfo, merged), or
    ``OidcInvalidClaimsError`` naming the claim: ``sub`` is required, and a display name
    from ``name``, else ``preferred_username``, ``nickname`` or given and family names.
    An e-mail address the provider marks ``email_verified: false``, or a malformed one, is
    dropped rather than refused: it is only used to write to the reader."""
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub.strip() or len(sub) > 255:
        raise errors.OidcInvalidClaimsError(field="sub")
    name = _name(claims)
    if not name:
        raise errors.OidcInvalidClaimsError(
            "The sign-in provider gave no name for this account.", field="name"
        )
    return OidcClaims(sub=sub.strip(), name=name, email=_email(claims))


def _name(claims: Mapping[str, Any]) -> str:
    parts = (claims.get("given_name"), claims.get("family_name"))
    given = " ".join(part for part in parts if isinstance(part, str))
    for value in (
        claims.get("name"),
        claims.get("preferred_username"),
        claims.get("nickname"),
        given,
    ):
        if isinstance(value, str) and (name := clean_line(value, max_length=100)):
            return name
    return ""


def _email(claims: Mapping[str, Any]) -> str:
    email = claims.get("email")
    if claims.get("email_verified") is False or not isinstance(email, str) or len(email) > 254:
        return ""
    try:
        validate_email(email)
    except DjangoValidationError:
        return ""
    return email.strip()


def oidc_username(*, issuer: str, sub: str) -> str:
    """The user name of (issuer, ``sub``)'s account: a digest, so the provider's id is not
    shown anywhere and two providers' readers with one ``sub`` stay apart."""
    return "oidc-" + digest(f"{issuer.rstrip('/')}\n{sub}")[:40]


@transaction.atomic
def oidc_sign_in(*, issuer: str, claims: Mapping[str, Any]) -> User:
    """The account of the reader that ``issuer`` vouches for with ``claims`` (already
    checked for signature, nonce, issuer and audience), made on their first sign-in and
    brought up to date (display name, e-mail) on every later one.

    Refused: claims without ``sub`` or a name (``OidcInvalidClaimsError``); a new name
    reserved for a site's team (``NameReservedError``, as ``user_register``); a user name of
    this identity held by an account with a password, which only ``user_register`` makes
    (``OidcAccountConflictError``: nobody takes over an account by naming it); a disabled
    account (``InvalidCredentialsError``). One transaction; nothing written when refused."""
    checked = oidc_claims_check(claims=claims)
    username = oidc_username(issuer=issuer, sub=checked.sub)
    user = User.objects.filter(username=username).first()
    if user is None or user.first_name != checked.name[:150]:
        # As for a typed display name: a site's team's names are theirs alone.
        check_account_name(name=checked.name, user=user, field="name")
    if user is None:
        try:
            with transaction.atomic():
                user = user_create_external(
                    username=username, name=checked.name, email=checked.email
                )
        except IntegrityError:  # the same reader's first sign-in in another request
            user = User.objects.get(username=username)
    if user.has_usable_password():
        raise errors.OidcAccountConflictError()
    if not user.is_active:
        raise errors.InvalidCredentialsError("This account is disabled.")
    if (user.first_name, user.email) != (checked.name[:150], checked.email):
        user.first_name, user.email = checked.name[:150], checked.email
        user.save(update_fields=["first_name", "email"])
    return user
