from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from threadline import errors
from threadline.actions.bans import ban_create
from threadline.actions.moderation import commenter_is_banned
from threadline.db import sqlfast
from threadline.domain.identity import Actor, digest
from threadline.models import BanKind, Commenter, ModerationAction, ModerationEvent, Site


def address_key(email: str) -> str:
    return "email:" + digest(email.strip().lower())[:40]


def commenter_key(*, actor: Actor, address: str = "") -> str:
    """Whom a post belongs to, from what the server can verify: the account; an ``address``
    vouched for (confirmed by its owner, or given by an operator's import); the browser's
    own secret key; else nobody known, so the post gets a commenter of its own. An address
    a guest merely types is none of these: two guests typing one address stay two."""
    if actor.is_authenticated:
        return f"user:{actor.user_id}"
    if address:
        return address_key(address)
    if actor.device_key:
        return actor.device_key
    return "post:" + secrets.token_hex(20)


def commenter_for(
    *,
    site: Site,
    actor: Actor,
    name: str,
    email: str = "",
    address: str = "",
    create: bool = True,
) -> Commenter:
    """The site's record of this person (``commenter_key``), created on their first comment;
    ``email`` (typed, unverified) is only noted on a new record. A browser whose guest
    confirmed an address gets that address's commenter, unless the browser itself is banned
    (then its own record, so the ban holds). With ``create=False`` a first-time commenter
    comes back unsaved (no primary key, no history): the caller stores it with
    ``commenter_save`` in the transaction that needs it."""
    key = commenter_key(actor=actor, address=address)
    if not key.startswith("post:"):  # a fresh key has no record yet
        # Once per post: prepared statements (sqlfast), not ORM query compilation.
        commenter = sqlfast.get_unique(Commenter, related=("identity",), site_id=site.pk, key=key)
        if commenter is not None:
            identity = commenter.identity
            if identity is None or commenter_is_banned(commenter=commenter):
                return commenter
            return identity
    new = Commenter(
        site=site, key=key, user_id=actor.user_id, display_name=name[:100], email=address or email
    )
    return commenter_save(new) if create else new


@transaction.atomic
def commenter_bind_address(*, site: Site, device_key: str, email: str) -> Commenter:
    """The guest of the browser ``device_key`` proved that ``email`` is theirs (they opened
    the link mailed to it): from now on that browser posts as the address's commenter, so
    the trust and the bans of the address follow them to every browser they confirm from.
    The browser's own record keeps its earlier comments. Idempotent; returns the address's
    commenter."""
    if not device_key.startswith("guest:"):
        raise errors.ValidationError("Only a guest's browser can be bound to an address.")
    email = email.strip().lower()
    device, _ = Commenter.objects.get_or_create(site=site, key=device_key)
    address, _ = Commenter.objects.get_or_create(
        site=site,
        key=address_key(email),
        defaults={"display_name": device.display_name or email, "email": email},
    )
    if device.identity_id != address.pk:
        device.identity = address
        device.save(update_fields=["identity"])
    return address


def commenter_save(commenter: Commenter) -> Commenter:
    """Store a commenter from ``commenter_for(create=False)``, or return the record another
    request stored for the same person meanwhile. Inside the caller's transaction it is one
    savepoint, so a post by a first-time commenter commits once; outside one, a transaction
    of its own."""
    try:
        with transaction.atomic():
            return sqlfast.insert(commenter)
    except IntegrityError:
        return Commenter.objects.get(site_id=commenter.site_id, key=commenter.key)


@transaction.atomic
def commenter_ban(
    *,
    commenter: Commenter,
    actor,  # noqa: ANN001
    days: int | None = None,
    message: str = "",
    email: str = "",
    ip: str = "",
    shadow: bool = False,
) -> Commenter:
    """Ban for ``days`` days, or for good when ``days`` is None. The ban holds what the
    commenter is verified as (``commenter_key``); ``email`` and ``ip``, when given, are
    banned too, as the moderator's explicit choice (``actions.bans.ban_create``), all in one
    transaction. Writes an audit row per ban. A ``shadow`` ban refuses nothing: while it
    lasts the commenter's new comments are stored rejected and shown to them alone, as
    published (``actions.comments.comment_post``); address and IP bans are never shadow."""
    if days is not None and not 1 <= days <= 36500:
        raise errors.ValidationError("A ban lasts 1 to 36500 days, or for good.", field="days")
    for kind, value in ((BanKind.EMAIL, email), (BanKind.IP, ip)):
        if value:
            ban_create(
                site=commenter.site, kind=kind, value=value, actor=actor, days=days, message=message
            )
    commenter.banned_forever = days is None
    commenter.banned_until = None if days is None else timezone.now() + timedelta(days=days)
    commenter.ban_message = message[:500]
    commenter.ban_shadow = shadow
    commenter.save(update_fields=["banned_forever", "banned_until", "ban_message", "ban_shadow"])
    ModerationEvent.objects.create(
        site_id=commenter.site_id,
        commenter=commenter,
        actor=actor,
        source="moderator",
        action=ModerationAction.BAN,
        reasons=([message] if message else []) + (["Shadow ban"] if shadow else []),
        scores={"days": days, "shadow": shadow},
    )
    return commenter


@transaction.atomic
def commenter_unban(*, commenter: Commenter, actor) -> Commenter:  # noqa: ANN001
    commenter.banned_forever = False
    commenter.banned_until = None
    commenter.ban_shadow = False
    commenter.save(update_fields=["banned_forever", "banned_until", "ban_shadow"])
    ModerationEvent.objects.create(
        site_id=commenter.site_id,
        commenter=commenter,
        actor=actor,
        source="moderator",
        action=ModerationAction.UNBAN,
    )
    return commenter


def commenter_update(
    *,
    commenter: Commenter,
    actor,
    notes: str | None = None,  # noqa: ANN001
    always_premoderate: bool | None = None,
) -> Commenter:
    fields = []
    if notes is not None:
        commenter.notes = notes
        fields.append("notes")
    if always_premoderate is not None:
        commenter.always_premoderate = always_premoderate
        fields.append("always_premoderate")
    if fields:
        commenter.save(update_fields=fields)
        ModerationEvent.objects.create(
            site_id=commenter.site_id,
            commenter=commenter,
            actor=actor,
            source="moderator",
            action=ModerationAction.NOTE,
            reasons=fields,
        )
    return commenter
