from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A bearer token for the API, so the widget works with third-party cookies blocked.
    Only the SHA-256 of the token is stored. Each token is one "session" a reader can list
    and revoke; it stops working at ``expires_at`` (``actions.accounts.token_session``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()
    # The browser's user agent when the token was made, so the reader can tell sessions apart.
    label = models.CharField(max_length=120, blank=True, default="")

    def __str__(self) -> str:
        return f"API token of {self.user_id}"


class EmailConfirmation(models.Model):
    """The address an account has shown it reads: the link mailed to it was opened, or a
    password reset sent to it was completed. The account's address counts as confirmed
    while it is this one (``actions.account_email.account_email_confirmed``), so a changed
    address needs a new link and the old proof cannot vouch for it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="email_confirmation",
    )
    email = models.EmailField()  # lower case
    confirmed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.email} confirmed by {self.user_id}"
