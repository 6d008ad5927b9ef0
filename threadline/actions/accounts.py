"""Reader accounts and API tokens."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from threadline import errors
from threadline.actions.account_email import account_email_clean, account_email_request
from threadline.domain.identity import digest
from threadline.domain.names import DISPLAY_NAME_MAX, check_account_name
from threadline.domain.text import clean_name
from threadline.models import ApiToken


def user_register(*, username: str, password: str, email: str = "", display_name: str = "") -> User:
    """Create a reader account (password hashed by Django's hashers). The name it shows,
    ``display_name`` or else the user name, may not be reserved for a site's team
    (``names.check_account_name``). An ``email`` is unconfirmed: its confirmation link is
    mailed after commit (``actions.account_email``)."""
    username = clean_name(username, field="username", max_length=150)
    if not username or any(c.isspace() for c in username):
        raise errors.ValidationError(
            "Choose a user name of 1-150 characters without spaces.", field="username"
        )
    display_name = clean_name(display_name, field="display_name", max_length=DISPLAY_NAME_MAX)
    if display_name:
        check_account_name(name=display_name)
    else:
        check_account_name(name=username, field="username")
    email = account_email_clean(email)
    user_model = get_user_model()
    user = user_model(username=username, email=email, first_name=display_name)
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        raise errors.WeakPasswordError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise errors.UsernameTakenError(field="username") from exc
    account_email_request(user=user)
    return user


def user_create_external(*, username: str, name: str, email: str) -> User:
    """A reader account that signs in through someone else (the publisher's SSO, an OpenID
    Connect provider): ``username`` is derived by the caller from the outside id, ``name``
    (trimmed to 150 characters) is the display name. It gets no usable password, so the
    sign-in form can never open it. Raises ``IntegrityError`` when ``username`` is taken:
    the caller decides whether that is a race to recover from. Writes one row."""
    user = User(username=username, email=email, first_name=name[:150])
    user.set_unusable_password()
    user.save()
    return user


def user_login(*, username: str, password: str) -> User:
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise errors.InvalidCredentialsError()
    return user


def token_lifetime() -> timedelta:
    """How long a token lives unused (``THREADLINE["TOKEN_DAYS"]``, read at call time)."""
    return timedelta(days=max(1, int(settings.THREADLINE.get("TOKEN_DAYS", 30))))


def token_create(*, user: User, label: str = "") -> str:
    """A new bearer token for the API, valid for ``token_lifetime()``; only its hash is
    stored, with ``label`` (the client's user agent) trimmed to printable text. The user's
    expired tokens are deleted on the way, so the table holds live sessions only."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    label = "".join(ch for ch in label if ch.isprintable())[:120]
    ApiToken.objects.filter(user=user, expires_at__lte=now).delete()
    ApiToken.objects.create(
        user=user, key_hash=digest(token), expires_at=now + token_lifetime(), label=label
    )
    return token


def token_revoke(*, token: str) -> None:
    ApiToken.objects.filter(key_hash=digest(token)).delete()


def token_revoke_by_id(*, user: User, token_id: int) -> None:
    """Revoke one of ``user``'s tokens. Another user's token, or none, is ``NotFoundError``:
    the same answer for "absent" and "not yours"."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    if not deleted:
        raise errors.NotFoundError()


def token_revoke_all(*, user: User) -> int:
    """Sign ``user`` out of the API everywhere: every token goes. Returns how many did."""
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    return deleted


def token_session(*, token: str) -> ApiToken:
    """The live token row for a bearer token, with its user; ``InvalidTokenError`` for an
    unknown token or an inactive user, ``TokenExpiredError`` past ``expires_at``.

    Expiry slides: a token used in the last half of its lifetime is extended to a full one.
    With the default 30 days that is one write per token at most every 15 days (at most
    twice a day with TOKEN_DAYS=1), folded into the hourly ``last_used_at`` write, so a busy
    reader's requests stay reads."""
    row = ApiToken.objects.select_related("user").filter(key_hash=digest(token)).first()
    if row is None or not row.user.is_active:
        raise errors.InvalidTokenError()
    now = timezone.now()
    if row.expires_at <= now:
        raise errors.TokenExpiredError()
    changes: dict[str, datetime] = {}
    lifetime = token_lifetime()
    if row.expires_at - now < lifetime / 2:
        changes["expires_at"] = now + lifetime
    if changes or row.last_used_at is None or now - row.last_used_at > timedelta(hours=1):
        changes["last_used_at"] = now
    if changes:
        ApiToken.objects.filter(pk=row.pk).update(**changes)
        for name, value in changes.items():
            setattr(row, name, value)
    return row
