from __future__ import annotations

from django.conf import settings
from django.db import models

from threadline.models.sites import Site


class Badge(models.TextChoices):
    """What a comment's author is on the site, shown next to their name. Readers have none."""

    STAFF = "staff", "Staff"
    JOURNALIST = "journalist", "Journalist"
    MODERATOR = "moderator", "Moderator"


class Commenter(models.Model):
    """One person as a site can verify them: an account, a confirmed e-mail address, one
    browser (its own guest key), or, when nothing is known, a single post. A typed address
    never identifies anyone (``threadline.actions.commenters.commenter_key``).

    Trust, bans and the desk's notes hang here so that guests and accounts are moderated alike.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="commenters")
    key = models.CharField(max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # A browser whose guest confirmed an address posts as that address's commenter; its own
    # row stays (its history, and a ban on the browser still holds).
    identity = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="devices"
    )
    display_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    comments_total = models.PositiveIntegerField(default=0)
    comments_published = models.PositiveIntegerField(default=0)
    comments_rejected = models.PositiveIntegerField(default=0)
    flags_received = models.PositiveIntegerField(default=0)
    banned_until = models.DateTimeField(null=True, blank=True)
    banned_forever = models.BooleanField(default=False)
    ban_message = models.CharField(max_length=500, blank=True)
    # A shadow ban: while banned they may still post, and see their comments as published;
    # nobody else sees them (``Comment.is_shadowed``), and they are not told.
    ban_shadow = models.BooleanField(default=False)
    always_premoderate = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    # A reader the publisher vouches for (threadline.actions.sso): their id in the
    # publisher's accounts, and the role and avatar its latest token gave.
    sso_id = models.CharField(max_length=255, blank=True, default="")
    badge = models.CharField(max_length=12, choices=Badge.choices, blank=True, default="")
    avatar_url = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "key"], name="commenter_unique_key"),
            models.UniqueConstraint(
                fields=["site", "sso_id"],
                condition=~models.Q(sso_id=""),
                name="commenter_unique_sso_id",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.key

    @property
    def known_by(self) -> str:
        """What the server verified about this commenter, from the key's prefix."""
        prefix = self.key.partition(":")[0]
        return {
            "user": "account",
            "email": "address",
            "guest": "browser",
            "post": "post",
        }.get(prefix, "other")


class BanKind(models.TextChoices):
    EMAIL = "email", "E-mail address"
    IP = "ip", "IP address or network"


class Ban(models.Model):
    """A moderator's explicit ban of an e-mail address or an IP address (or network): posts
    carrying it are refused, whoever sends them. Lifting a ban deletes the row; the audit
    log keeps both decisions."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="bans")
    kind = models.CharField(max_length=8, choices=BanKind.choices)
    value = models.CharField(max_length=254)  # normalised: see actions.bans.ban_value
    until = models.DateTimeField(null=True, blank=True)  # None: for good
    message = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "kind", "value"], name="ban_unique_value")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}"
