from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.auth.models import User
from django.db import transaction

from threadline import errors
from threadline.domain import storypaths
from threadline.domain.names import staff_names_forget
from threadline.models import ModerationAction, ModerationEvent, Site
from threadline.scoring.wordlists import DEFAULT_SUSPECT_WORDS


def normalize_origin(value: str) -> str:
    """``https://News.Example/path`` -> ``https://news.example``; raise on anything else."""
    try:
        parts = urlsplit(value.strip())
        port = f":{parts.port}" if parts.port else ""  # ValueError above 65535
    except ValueError as exc:
        raise errors.ValidationError(f"Not an origin: {value!r}", field="origin") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise errors.ValidationError(f"Not an origin: {value!r}", field="origin")
    host = parts.hostname.lower()
    return f"{parts.scheme}://{host}{port}"


def new_site(*, name: str, title: str = "", origins: list[str] | None = None) -> Site:
    """A site with the defaults a new one starts with (the default suspect-word list),
    not saved: ``site_create`` stores it, evaluations score against it as it is."""
    return Site(
        name=name,
        title=title or name,
        allowed_origins=sorted({normalize_origin(o) for o in origins or []}),
        suspect_words=DEFAULT_SUSPECT_WORDS,
    )


def site_create(*, name: str, title: str = "", origins: list[str] | None = None) -> Site:
    """Create a site with the default suspect-word list, ready for stories."""
    if Site.objects.filter(name=name).exists():
        raise errors.ValidationError(f"A site named {name!r} exists already.", field="name")
    site = new_site(name=name, title=title, origins=origins)
    site.save(force_insert=True)
    return site


def site_add_origin(*, site: Site, origin: str) -> Site:
    origins = set(site.allowed_origins)
    origins.add(normalize_origin(origin))
    site.allowed_origins = sorted(origins)
    site.save(update_fields=["allowed_origins"])
    return site


def site_add_moderator(*, site: Site, user: User) -> None:
    site.moderators.add(user)
    staff_names_forget(site_id=site.pk)  # guests may no longer post under their name


SETTINGS_FIELDS = (
    "guest_posting",
    "edit_window_seconds",
    "max_depth",
    "max_body_length",
    "allow_replies_to_held",
    "premoderation",
    "hold_threshold",
    "reject_threshold",
    "warn_threshold",
    "nudge_enabled",
    "banned_words",
    "suspect_words",
    "max_links",
    "denied_domains",
    "hold_first_link",
    "hold_profanity",
    "trusted_domains",
    "use_default_trusted_domains",
    "new_commenter_threshold",
    "trusted_after",
    "max_rejection_rate",
    "flag_hold_count",
    "story_paths",
    "accept_suggested_titles",
    "guidelines_url",
    "guidelines_text",
    "reserved_names",
)


@transaction.atomic
def site_update_settings(*, site: Site, actor: User | None, changes: dict) -> Site:
    """Change per-site policy and record what changed in the audit log."""
    changed = {}
    for field, value in changes.items():
        if field not in SETTINGS_FIELDS:
            raise errors.ValidationError(f"Unknown setting {field!r}.", field=field)
        if field == "story_paths":
            storypaths.check(value)
        if getattr(site, field) != value:
            changed[field] = {"from": getattr(site, field), "to": value}
            setattr(site, field, value)
    if changed:
        site.full_clean(exclude=["moderators", "allowed_origins"])
        site.save(update_fields=list(changed))
        ModerationEvent.objects.create(
            site=site,
            actor=actor,
            source="moderator" if actor else "system",
            action=ModerationAction.SETTINGS,
            reasons=sorted(changed),
            scores={k: str(v["to"])[:200] for k, v in changed.items()},
        )
    return site
