"""Who is asking: an account, a guest known by a browser key, or only an IP address."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User


def digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Actor:
    user: User | AnonymousUser | None = None
    guest_key: str = ""
    ip: str | None = None
    user_agent: str = ""

    @property
    def is_authenticated(self) -> bool:
        return bool(self.user is not None and self.user.is_authenticated)

    @property
    def account(self) -> User | None:
        """The signed-in account, or None for a guest (the same test as ``is_authenticated``)."""
        user = self.user
        if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated:
            return None
        return user

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.is_authenticated and self.user is not None else None

    @property
    def device_key(self) -> str:
        """A guest's browser, known by the secret key it sends (``X-Threadline-Guest``, or
        the session of the server-rendered pages); "" for accounts and keyless guests."""
        if self.is_authenticated or not self.guest_key:
            return ""
        return "guest:" + digest(self.guest_key)[:40]

    @property
    def reader_key(self) -> str:
        """A stable key for one reader, used for votes, flags and rate limits."""
        if self.is_authenticated:
            return f"user:{self.user_id}"
        if self.guest_key:
            return self.device_key
        return "ip:" + digest(self.ip or "unknown")[:40]


SYSTEM = Actor()
