"""Reader accounts and API tokens."""

from __future__ import annotations

import secrets

from django.contrib.auth import authenticate, get_user_model, password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from threadline import errors
from threadline.identity import digest
from threadline.models import ApiToken
from threadline.text import clean_name, clean_text


def user_register(*, username: str, password: str, email: str = "", display_name: str = "") -> User:
    """Create a reader account (password hashed by Django's hashers)."""
    username = clean_name(username, field="username", max_length=150)
    if not username or any(c.isspace() for c in username):
        raise errors.ValidationError(
            "Choose a user name of 1-150 characters without spaces.", field="username"
        )
    display_name = clean_name(display_name, field="display_name", max_length=150)
    email = clean_text(email, field="email").strip()
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
    return user


def user_login(*, username: str, password: str) -> User:
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        raise errors.InvalidCredentialsError()
    return user


def token_create(*, user: User) -> str:
    """A new bearer token for the API; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=digest(token))
    return token


def token_revoke(*, token: str) -> None:
    ApiToken.objects.filter(key_hash=digest(token)).delete()


def token_user(*, token: str) -> User | None:
    row = ApiToken.objects.select_related("user").filter(key_hash=digest(token)).first()
    if row is None or not row.user.is_active:
        return None
    if row.last_used_at is None or (timezone.now() - row.last_used_at).total_seconds() > 3600:
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
    return row.user
