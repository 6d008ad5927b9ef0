from __future__ import annotations

import unicodedata
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from threadline import countcache, errors
from threadline.actions.sites import normalize_origin
from threadline.models import ModerationAction, ModerationEvent, Site, Story
from threadline.text import clean_line


def canonical_url(url: str) -> str:
    """One spelling per page: lower-case host, no fragment, no trailing ``?``."""
    try:
        # urlsplit and .port raise ValueError on "http://[::1" or a port above 65535.
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise errors.ValidationError("Not an http(s) URL.", field="url") from exc
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(unicodedata.category(c) in ("Cc", "Cs") for c in url)
    ):
        raise errors.ValidationError("Not an http(s) URL.", field="url")
    netloc = parts.hostname.lower() + (f":{port}" if port else "")
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))


def site_for_url(url: str) -> Site | None:
    origin = normalize_origin(url)
    for site in Site.objects.filter(allowed_origins__isnull=False).only(
        "id", "allowed_origins", "name"
    ):
        if origin in site.allowed_origins:
            return site
    return None


def story_create(
    *,
    site: Site,
    url: str,
    title: str = "",
    body: str = "",
    author: str = "",
    lead_image_url: str = "",
    lead_image_caption: str = "",
    published_at: datetime | None = None,
    external_id: str = "",
) -> Story:
    """Create a story; the URL must be unique within the site."""
    try:
        with transaction.atomic():
            canonical = canonical_url(url)
            transaction.on_commit(lambda: countcache.forget_url(canonical))
            return Story.objects.create(
                site=site,
                url=canonical,
                title=clean_line(title, max_length=300),
                body=body,
                author=clean_line(author, max_length=200),
                lead_image_url=lead_image_url,
                lead_image_caption=lead_image_caption,
                published_at=published_at,
                external_id=external_id,
            )
    except IntegrityError as exc:
        raise errors.ValidationError("A story with that URL exists.", field="url") from exc


def story_lookup_or_create(*, url: str, title: str = "") -> Story:
    """The story for a page URL, created on first call when the URL's origin belongs to a site."""
    canonical = canonical_url(url)
    story = Story.objects.filter(url=canonical).select_related("site").first()
    if story is not None:
        return story
    site = site_for_url(canonical)
    if site is None or not settings.THREADLINE["AUTO_CREATE_STORIES"]:
        if site is None:
            raise errors.OriginNotAllowedError(field="url")
        raise errors.StoryNotFoundError(field="url")
    story, created = Story.objects.get_or_create(
        site=site, url=canonical, defaults={"title": clean_line(title, max_length=300)}
    )
    if created:
        transaction.on_commit(lambda: countcache.forget_url(canonical))
    return story


def story_touch(*, story_id: int) -> None:
    """Bump the version that keys cached pages of this story's thread."""
    Story.objects.filter(pk=story_id).update(version=F("version") + 1)


@transaction.atomic
def story_set_open(*, story: Story, is_open: bool, actor=None) -> Story:  # noqa: ANN001
    story.is_open = is_open
    story.save(update_fields=["is_open"])
    story_touch(story_id=story.pk)
    ModerationEvent.objects.create(
        site_id=story.site_id,
        actor=actor,
        source="moderator" if actor else "system",
        action=ModerationAction.OPEN if is_open else ModerationAction.CLOSE,
        reasons=[story.url],
    )
    return story
