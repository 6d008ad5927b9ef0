from __future__ import annotations

from django.conf import settings
from django.db import models

from threadline.models.sites import Site


class Commenter(models.Model):
    """One person as a site knows them: an account, or a guest known by e-mail or token.

    Trust, bans and the desk's notes hang here so that guests and accounts are moderated alike.
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="commenters")
    key = models.CharField(max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
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
    always_premoderate = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "key"], name="commenter_unique_key")]

    def __str__(self) -> str:
        return self.display_name or self.key
