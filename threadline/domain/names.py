"""Names a guest may not post under: a site's staff, its moderators, and its reserved names.

A guest typing "Jane Doe (the editor)" is not the editor, but a guest typing "Jane Doe"
reads as her. Names are compared folded (``scoring.normalize.fold``: case, accents,
look-alike letters) and without spaces or punctuation, so "JANE  doe", "Jane.Doe" and
"Jаne Doe" with a Cyrillic "а" are all Jane Doe.

The staff names (commenters with a badge, moderators of the site) are read once a minute
per site through Django's cache, so a guest's post costs no query for them; an action that
changes them (``actions.sso``, ``actions.sites.site_add_moderator``) forgets the site's
entry after commit. The site's own list comes with the site row every post reads anyway.
"""

from __future__ import annotations

import logging
import re

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q

from threadline import errors
from threadline.models import Commenter, Site
from threadline.scoring.normalize import fold

log = logging.getLogger("threadline.names")  # its name before the move

# A moderator added in Django's admin (no action runs) is protected within this time.
STAFF_NAMES_TTL = 60
# The longest display name an account may take: a comment keeps its author's name in as many.
DISPLAY_NAME_MAX = 100
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def name_key(name: str) -> str:
    """The form two names are compared in: folded, letters and digits only."""
    return _NOT_WORD.sub("", fold(name))


def _cache_key(site_id: int) -> str:
    return f"tl:staff-names:{site_id}"


def _staff_names_read(site_id: int) -> frozenset[str]:
    badged = Commenter.objects.filter(site_id=site_id).exclude(badge="")
    moderators = User.objects.filter(Q(moderated_sites=site_id) | Q(is_superuser=True))
    names = [*badged.values_list("display_name", flat=True)]
    for first, username in moderators.values_list("first_name", "username"):
        names += [first, username]
    return frozenset(key for key in map(name_key, names) if key)


def staff_names(*, site_id: int) -> frozenset[str]:
    """The name keys of the site's staff: commenters with a badge (signed in by the
    publisher as staff, journalist or moderator) and the site's moderators (display name
    and user name)."""
    try:
        cached = cache.get(_cache_key(site_id))
    except Exception:  # noqa: BLE001 - a broken cache: read the database instead
        log.warning("staff names cache unavailable", exc_info=True)
        return _staff_names_read(site_id)
    if cached is None:
        cached = _staff_names_read(site_id)
        try:
            cache.set(_cache_key(site_id), cached, timeout=STAFF_NAMES_TTL)
        except Exception:  # noqa: BLE001
            log.warning("staff names cache unavailable", exc_info=True)
    return cached


def staff_names_forget(*, site_id: int) -> None:
    """Drop the site's cached staff names once the caller's transaction commits."""

    def forget() -> None:
        try:
            cache.delete(_cache_key(site_id))
        except Exception:  # noqa: BLE001 - the entry expires by itself
            log.warning("staff names cache unavailable", exc_info=True)

    transaction.on_commit(forget)


def check_guest_name(*, site: Site, name: str) -> None:
    """Raise ``NameReservedError`` when a guest's ``name`` is a staff member's, a
    moderator's or one of the site's reserved names (``Site.reserved_names``)."""
    key = name_key(name)
    if not key:
        return
    reserved = {name_key(line) for line in Site.word_lines(site.reserved_names)}
    if key in reserved or key in staff_names(site_id=site.pk):
        raise errors.NameReservedError(field="author_name")


def _staff_site_ids(user: User) -> set[int] | None:
    """The sites where ``user`` is on the team (moderator, or a badge from the publisher's
    sign-in); None for a superuser, who moderates every site."""
    if user.is_superuser:
        return None
    badged = Commenter.objects.filter(user=user).exclude(badge="").values_list("site_id")
    moderated = Site.moderators.through.objects.filter(user_id=user.pk).values_list("site_id")
    return {pk for (pk,) in badged.union(moderated)}


def check_account_name(*, name: str, user: User | None = None, field: str = "display_name") -> None:
    """Raise ``NameReservedError`` (on ``field``) when the name an account shows is
    reserved on a site, or a staff member's or moderator's there. An account is one across
    all sites, so every site's list counts, except on the sites where ``user`` is on the team
    itself: a moderator may keep their own name. Asked when a name is chosen, not per post:
    one query for the sites, one for the account's team sites, and each site's staff names
    from the cache (``staff_names``, two queries a site when cold)."""
    key = name_key(name)
    if not key:
        return
    own: set[int] = set()
    if user is not None and user.pk is not None:
        team = _staff_site_ids(user)
        if team is None:
            return
        own = team
    for site_id, reserved_names in Site.objects.values_list("pk", "reserved_names"):
        if site_id in own:
            continue
        reserved = {name_key(line) for line in Site.word_lines(reserved_names)}
        if key in reserved or key in staff_names(site_id=site_id):
            raise errors.NameReservedError(
                "That name is reserved for a site's team. Choose another display name.",
                field=field,
            )
