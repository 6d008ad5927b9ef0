"""Reader accounts and API tokens."""

from __future__ import annotations

import secrets

from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from threadline import errors
from threadline.identity import digest
from threadline.models import ApiToken
from threadline.text import clean_text


def user_register(
    *, username: str, password: str, email: str = "", display_name: str = ""
) -> AbstractBaseUser:
    """Create a reader account (password hashed by Django's hashers)."""
    username = clean_text(username, field="username").strip()
    if not username or len(username) > 150 or any(c.isspace() for c in username):
        raise errors.ValidationError(
            "Choose a user name of 1-150 characters without spaces.", field="username"
        )
    User = get_user_model()
    user = User(username=username, email=email.strip(), first_name=display_name.strip()[:150])
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
    return user


def user_login(*, username: str, password: str) -> AbstractBaseUser:
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise errors.InvalidCredentialsError()
    return user


def token_create(*, user: AbstractBaseUser) -> str:
    """A new bearer token for the API; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=digest(token))
    return token


def token_revoke(*, token: str) -> None:
    ApiToken.objects.filter(key_hash=digest(token)).delete()


def token_user(*, token: str) -> AbstractBaseUser | None:
    row = ApiToken.objects.select_related("user").filter(key_hash=digest(token)).first()
    if row is None or not row.user.is_active:
        return None
    if row.last_used_at is None or (timezone.now() - row.last_used_at).total_seconds() > 3600:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user
