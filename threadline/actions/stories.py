from __future__ import annotations

import unicodedata
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import F

from threadline import errors
from threadline.actions.sites import normalize_origin
from threadline.domain import storypaths
from threadline.domain.text import clean_line
from threadline.models import ModerationAction, ModerationEvent, Site, Story, TitleSource
from threadline.server import countcache
from threadline.server.ratelimit import check_rate


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
        "id", "allowed_origins", "name", "story_paths", "accept_suggested_titles"
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
    """Create a story; the URL must be unique within the site. The caller is the publisher
    (the CLI, the demo, an operator), so a title given here is final for lookups."""
    try:
        with transaction.atomic():
            canonical = canonical_url(url)
            transaction.on_commit(lambda: countcache.forget_url(canonical))
            cleaned = clean_line(title, max_length=300)
            return Story.objects.create(
                site=site,
                url=canonical,
                title=cleaned,
                title_source=TitleSource.PUBLISHER if cleaned else TitleSource.SUGGESTED,
                body=body,
                author=clean_line(author, max_length=200),
                lead_image_url=lead_image_url,
                lead_image_caption=lead_image_caption,
                published_at=published_at,
                external_id=external_id,
            )
    except IntegrityError as exc:
        raise errors.ValidationError("A story with that URL exists.", field="url") from exc


def story_lookup_or_create(*, url: str, title: str = "", ip: str | None = None) -> Story:
    """The story for a page URL, created on first call when the URL's origin belongs to a
    site and its path passes the site's ``story_paths`` (``threadline.domain.storypaths``).

    ``title`` is the calling page's suggestion, never more: it titles a new story when the
    site accepts suggestions, and fills an existing story's title only while that is empty
    and unconfirmed (cleared in the desk). It never replaces a title: a later caller cannot
    rewrite the first one's, nobody can overwrite the publisher's, and the desk can replace
    either (``story_title_set``). Creating counts one hit against RATE_LIMIT_STORY_IP (per
    ``ip``) and RATE_LIMIT_STORY_SITE (per site); finding a story counts against neither."""
    canonical = canonical_url(url)
    story = Story.objects.filter(url=canonical).select_related("site").first()
    if story is not None:
        return _fill_empty_title(story, title)
    site = site_for_url(canonical)
    if site is None or not settings.THREADLINE["AUTO_CREATE_STORIES"]:
        if site is None:
            raise errors.OriginNotAllowedError(field="url")
        raise errors.StoryNotFoundError(field="url")
    if not storypaths.allows(site.story_paths, canonical):
        raise errors.StoryPathNotAllowedError(field="url")
    # The address first: one client over its limit does not use up the whole site's.
    check_rate(name="story-ip", key=ip or "unknown", setting="RATE_LIMIT_STORY_IP")
    check_rate(name="story-site", key=str(site.pk), setting="RATE_LIMIT_STORY_SITE")
    suggested = clean_line(title, max_length=300) if site.accept_suggested_titles else ""
    story, created = Story.objects.get_or_create(
        site=site,
        url=canonical,
        defaults={"title": suggested, "title_source": TitleSource.SUGGESTED},
    )
    if created:
        transaction.on_commit(lambda: countcache.forget_url(canonical))
    return story


def _fill_empty_title(story: Story, title: str) -> Story:
    if story.title or story.title_source != TitleSource.SUGGESTED:
        return story
    suggested = clean_line(title, max_length=300)
    if not suggested or not story.site.accept_suggested_titles:
        return story
    # Conditional, so a title the desk sets meanwhile is never overwritten.
    if Story.objects.filter(pk=story.pk, title="", title_source=TitleSource.SUGGESTED).update(
        title=suggested
    ):
        story.title = suggested
    return story


@transaction.atomic
def story_title_set(*, story: Story, title: str, actor: User | None = None) -> Story:
    """Set a story's title as the publisher's: lookups never change it again. An empty
    ``title`` clears it back to an unconfirmed suggestion, which the next reader's page fills
    in (when the site accepts suggestions). Recorded in the audit log with both titles.
    Nothing cached holds a title (thread pages carry none), so no cache is touched."""
    cleaned = clean_line(title, max_length=300)
    previous = story.title
    story.title = cleaned
    story.title_source = TitleSource.PUBLISHER if cleaned else TitleSource.SUGGESTED
    story.save(update_fields=["title", "title_source"])
    ModerationEvent.objects.create(
        site_id=story.site_id,
        actor=actor,
        source="moderator" if actor else "system",
        action=ModerationAction.RETITLE,
        reasons=[story.url, cleaned or "(cleared)"],
        scores={"from": previous[:200], "to": cleaned[:200]},
    )
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
