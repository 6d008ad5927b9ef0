"""Who may call the moderators' and the operators' API, as Ninja auth classes.

Mounted on a router (``Router(auth=...)``), a class runs before every view of it, before
the parameters are read, and leaves the account on ``request.auth`` (``account_of``). A
refusal is an error from ``threadline.errors``, shaped by the API's one error handler, so
the codes stay those of the ``{"error": {...}}`` contract: a bad bearer token is
401 ``invalid_token`` (``actor_for``). Both declare bearer auth in the OpenAPI schema.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security.http import HttpAuthBase

from threadline import errors
from threadline.api.base import actor_for


class ModeratorAuth(HttpAuthBase):
    """A signed-in account. Whether it moderates the site in question is for the guarded
    reads (``access_*_for_moderator``) to say; anonymous callers get the same 403
    ``forbidden`` as readers and other sites' moderators."""

    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> User:
        user = actor_for(request).account
        if user is None:
            raise errors.PermissionDeniedError()
        return user


class OperatorAuth(HttpAuthBase):
    """A superuser: 401 ``not_authenticated`` without an account, 403 ``forbidden`` for
    anyone else."""

    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> User:
        actor = actor_for(request)
        if not actor.is_authenticated:
            raise errors.NotAuthenticatedError()
        if not getattr(actor.user, "is_superuser", False):
            raise errors.PermissionDeniedError("Only operators (superusers) may do that.")
        return cast(User, actor.user)


def account_of(request: HttpRequest) -> User:
    """The account the router's auth class let in."""
    return cast(User, request.auth)  # type: ignore[attr-defined]  # set by Ninja
