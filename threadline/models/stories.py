from __future__ import annotations

from django.db import models

from threadline.models.sites import PremoderationMode, Site


class TitleSource(models.TextChoices):
    # Sent by a reader's widget on the first lookup: anybody can send anything, so it is
    # shown but never trusted over the publisher's.
    SUGGESTED = "suggested", "Suggested by a page"
    # Set by the publisher: the desk, an import, the operators' CLI or API. Final for lookups.
    PUBLISHER = "publisher", "Set by the publisher"


class Story(models.Model):
    """An article with one comment section."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="stories")
    url = models.URLField(max_length=1000)
    title = models.CharField(max_length=300, blank=True)
    title_source = models.CharField(
        max_length=10, choices=TitleSource.choices, default=TitleSource.SUGGESTED
    )
    lead_image_url = models.URLField(max_length=1000, blank=True)
    lead_image_caption = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True, help_text="Markdown")
    author = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    is_open = models.BooleanField(default=True)
    premoderation = models.CharField(
        max_length=8, choices=PremoderationMode.choices, blank=True, default=""
    )
    comment_count = models.PositiveIntegerField(default=0)
    # Bumped on every change a reader can see; cached pages are keyed by it.
    version = models.PositiveBigIntegerField(default=0)
    external_id = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "url"], name="story_unique_url")]
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title or self.url
