"""Sign-in with the publisher's own accounts (SSO): a site's secret, and the readers its
pages vouch for.

The publisher's server signs a short-lived JWT (HS256, the site's ``sso_secret``) with the
reader's id (``sub``), ``name``, ``email``, optionally an https ``avatar`` and a ``role``;
the widget (or the ``/sso/<site>/`` redirect of the server-rendered pages) hands it to
Threadline, which checks it with PyJWT and signs the reader in as the account of
(site, ``sub``). That account's commenter is a verified identity like any account's:
trust, notes and bans attach to it and hold for every later sign-in. docs/embed.md shows
the publisher's side.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from threadline import errors
from threadline.actions.accounts import user_create_external
from threadline.actions.commenters import commenter_key
from threadline.domain.identity import Actor, digest
from threadline.domain.names import staff_names_forget
from threadline.domain.text import clean_line
from threadline.models import Badge, Commenter, ModerationAction, ModerationEvent, Site

ROLES = ("reader", *Badge.values)
# Clock skew allowed between the publisher's servers and ours.
LEEWAY_SECONDS = 30
MAX_TOKEN_LENGTH = 8192


@dataclass(frozen=True)
class SsoClaims:
    """What a checked token says about the reader; ``badge`` is "" for readers."""

    sub: str
    name: str
    email: str
    avatar_url: str
    badge: str


# --- the secret ------------------------------------------------------------------------


def _settings_event(site: Site, actor: User | None, what: str) -> None:
    # The audit log says the secret changed, never what it is.
    ModerationEvent.objects.create(
        site=site,
        actor=actor,
        source="moderator" if actor else "system",
        action=ModerationAction.SETTINGS,
        reasons=["sso_secret"],
        scores={"sso_secret": what},
    )


@transaction.atomic
def site_sso_secret_rotate(*, site: Site, actor: User | None) -> str:
    """Give ``site`` a new random SSO secret (turning SSO on) and return it. Tokens signed
    with the old one stop working at once; readers already signed in stay signed in (their
    Threadline tokens do not depend on it). Audited, without the secret."""
    site.sso_secret = secrets.token_urlsafe(32)
    site.save(update_fields=["sso_secret"])
    _settings_event(site, actor, "rotated")
    return site.sso_secret


@transaction.atomic
def site_sso_disable(*, site: Site, actor: User | None) -> None:
    """Turn SSO off for ``site``: no token is accepted until a new secret is made."""
    if site.sso_secret:
        site.sso_secret = ""
        site.save(update_fields=["sso_secret"])
        _settings_event(site, actor, "off")


# --- checking a token ------------------------------------------------------------------


def sso_site(*, name: str) -> Site:
    """The site a token is presented for; ``SsoNotConfiguredError`` both for a site that
    does not exist and for one without a secret."""
    site = Site.objects.filter(name=name[:64]).first()
    if site is None or not site.sso_secret:
        raise errors.SsoNotConfiguredError()
    return site


def sso_claims_check(*, site: Site, token: str) -> SsoClaims:
    """The reader a token vouches for, or an ``Sso*Error`` with a stable code: a token that
    is not an HS256 JWT signed with the site's secret (``sso_invalid_token``), one past its
    ``exp`` (``sso_token_expired``), one whose ``aud`` names another site
    (``sso_wrong_site``), a missing or malformed claim (``sso_invalid_claims``, ``field``
    naming it). Changes nothing."""
    if not site.sso_secret:
        raise errors.SsoNotConfiguredError()
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise errors.SsoInvalidTokenError()
    try:
        # Unverified, only to tell "made for another site" from "forged": nothing read
        # here is trusted.
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise errors.SsoInvalidTokenError() from exc
    audience = unverified.get("aud")
    if audience is not None and audience != site.name and audience != [site.name]:
        raise errors.SsoWrongSiteError()
    try:
        claims = jwt.decode(
            token,
            site.sso_secret,
            algorithms=["HS256"],
            leeway=LEEWAY_SECONDS,
            # ``aud`` is optional and checked above; ``sub`` may be a number here.
            options={"require": ["exp"], "verify_aud": False, "verify_sub": False},
        )
    except jwt.ExpiredSignatureError as exc:
        raise errors.SsoTokenExpiredError() from exc
    except jwt.MissingRequiredClaimError as exc:
        raise errors.SsoInvalidClaimsError("The token has no exp claim.", field="exp") from exc
    except jwt.PyJWTError as exc:
        raise errors.SsoInvalidTokenError() from exc
    return _claims(claims)


def _claim_error(claim: str, what: str) -> errors.SsoInvalidClaimsError:
    return errors.SsoInvalidClaimsError(f"The {claim} claim {what}.", field=claim)


def _claims(claims: dict[str, Any]) -> SsoClaims:
    sub = claims.get("sub")
    if isinstance(sub, int) and not isinstance(sub, bool):
        sub = str(sub)
    if not isinstance(sub, str) or not sub.strip() or len(sub) > 255:
        raise _claim_error("sub", "must be the reader's id, 1 to 255 characters")
    name = claims.get("name")
    name = clean_line(name, max_length=100) if isinstance(name, str) else ""
    if not name:
        raise _claim_error("name", "must be the reader's display name")
    email = claims.get("email")
    try:
        if not isinstance(email, str) or len(email) > 254:
            raise DjangoValidationError("not text")
        validate_email(email)
    except DjangoValidationError as exc:
        raise _claim_error("email", "must be the reader's e-mail address") from exc
    role = claims.get("role") or "reader"
    if role not in ROLES:
        raise _claim_error("role", f"must be one of {', '.join(ROLES)}")
    return SsoClaims(
        sub=sub.strip(),
        name=name,
        email=email.strip(),
        avatar_url=_avatar(claims.get("avatar")),
        badge="" if role == "reader" else role,
    )


def _avatar(value: Any) -> str:
    """An https URL to show the reader's picture from, or "" for none."""
    if value is None or value == "":
        return ""
    try:
        parts = urlsplit(value) if isinstance(value, str) else None
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme != "https"
        or not parts.hostname
        or len(value) > 500
        or any(c.isspace() or c in "\"'<>\\" for c in value)
    ):
        raise _claim_error("avatar", "must be an https URL of at most 500 characters")
    return value


# --- signing in ------------------------------------------------------------------------


@transaction.atomic
def sso_sign_in(*, site: Site, token: str) -> tuple[User, Commenter]:
    """Check ``token`` (``sso_claims_check``) and return the account and commenter of the
    reader it names on ``site``, made on their first sign-in and brought up to date (name,
    e-mail, badge, avatar) on every later one. Nothing is written for a bad token.

    The account is the site's own record of (site, ``sub``), never matched by e-mail, so
    another site's reader or a local account with the same address stays someone else. A
    commenter banned, trusted or noted by the desk stays so across sign-ins. A change of
    badge or name forgets the site's cached staff names (``threadline.domain.names``), after
    commit. One transaction."""
    claims = sso_claims_check(site=site, token=token)
    commenter = (
        Commenter.objects.select_related("user").filter(site=site, sso_id=claims.sub).first()
    )
    if commenter is None:
        commenter = _commenter_create(site, claims)
    elif commenter.user is None:  # erased: a new account, the same record (and its bans)
        _user_attach(commenter, claims)
    user = commenter.user
    assert user is not None  # set by both branches above
    if not user.is_active:
        raise errors.SsoInvalidTokenError("This reader's account is disabled.")
    _update(site, user, commenter, claims)
    return user, commenter


def _username(site: Site, sub: str) -> str:
    return f"sso-{site.pk}-{digest(sub)[:40]}"


def _user_new(site: Site, claims: SsoClaims) -> User:
    # No usable password: signs in through the publisher only.
    return user_create_external(
        username=_username(site, claims.sub), name=claims.name, email=claims.email
    )


def _commenter_create(site: Site, claims: SsoClaims) -> Commenter:
    try:
        with transaction.atomic():
            user = _user_new(site, claims)
            commenter = Commenter.objects.create(
                site=site,
                key=commenter_key(actor=Actor(user=user)),
                user=user,
                sso_id=claims.sub,
                display_name=claims.name,
                email=claims.email,
                badge=claims.badge,
                avatar_url=claims.avatar_url,
            )
            if commenter.badge:
                staff_names_forget(site_id=site.pk)
            return commenter
    except IntegrityError:  # the same reader's first sign-in in another request
        return Commenter.objects.select_related("user").get(site=site, sso_id=claims.sub)


def _user_attach(commenter: Commenter, claims: SsoClaims) -> None:
    username = _username(commenter.site, claims.sub)
    user = User.objects.filter(username=username).first() or _user_new(commenter.site, claims)
    commenter.user = user
    commenter.key = commenter_key(actor=Actor(user=user))
    commenter.save(update_fields=["user", "key"])


def _update(site: Site, user: User, commenter: Commenter, claims: SsoClaims) -> None:
    if (user.first_name, user.email) != (claims.name[:150], claims.email):
        user.first_name, user.email = claims.name[:150], claims.email
        user.save(update_fields=["first_name", "email"])
    now = (claims.name, claims.email, claims.badge, claims.avatar_url)
    was = (commenter.display_name, commenter.email, commenter.badge, commenter.avatar_url)
    if now == was:
        return
    commenter.display_name, commenter.email, commenter.badge, commenter.avatar_url = now
    commenter.save(update_fields=["display_name", "email", "badge", "avatar_url"])
    if commenter.badge or was[2]:
        staff_names_forget(site_id=site.pk)
