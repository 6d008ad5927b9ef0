from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from threadline import errors, sqlfast
from threadline.identity import Actor, digest
from threadline.models import Commenter, ModerationAction, ModerationEvent, Site


def commenter_key(*, actor: Actor, email: str, name: str = "") -> str:
    """Accounts by id, guests by e-mail, then by browser key; a guest with neither is
    known by address and name, so two people behind one address stay two commenters."""
    if actor.is_authenticated:
        return f"user:{actor.user_id}"
    if email:
        return "email:" + digest(email.strip().lower())[:40]
    if actor.guest_key:
        return actor.reader_key
    return "anon:" + digest(f"{actor.ip or ''}|{name.strip().lower()}")[:40]


def commenter_for(
    *, site: Site, actor: Actor, name: str, email: str, create: bool = True
) -> Commenter:
    """The site's record of this person, created on their first comment. With
    ``create=False`` a first-time commenter comes back unsaved (no primary key, no history):
    the caller stores it with ``commenter_save`` in the transaction that needs it."""
    key = commenter_key(actor=actor, email=email, name=name)
    # Once per post: prepared statements (sqlfast), not ORM query compilation.
    commenter = sqlfast.get_unique(Commenter, site_id=site.pk, key=key)
    if commenter is not None:
        return commenter
    new = Commenter(site=site, key=key, user_id=actor.user_id, display_name=name[:100], email=email)
    return commenter_save(new) if create else new


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
    actor,
    days: int | None = None,
    message: str = "",  # noqa: ANN001
) -> Commenter:
    """Ban for ``days`` days, or for good when ``days`` is None."""
    if days is not None and not 1 <= days <= 36500:
        raise errors.ValidationError("A ban lasts 1 to 36500 days, or for good.", field="days")
    commenter.banned_forever = days is None
    commenter.banned_until = None if days is None else timezone.now() + timedelta(days=days)
    commenter.ban_message = message[:500]
    commenter.save(update_fields=["banned_forever", "banned_until", "ban_message"])
    ModerationEvent.objects.create(
        site_id=commenter.site_id,
        commenter=commenter,
        actor=actor,
        source="moderator",
        action=ModerationAction.BAN,
        reasons=[message] if message else [],
        scores={"days": days},
    )
    return commenter


@transaction.atomic
def commenter_unban(*, commenter: Commenter, actor) -> Commenter:  # noqa: ANN001
    commenter.banned_forever = False
    commenter.banned_until = None
    commenter.save(update_fields=["banned_forever", "banned_until"])
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
