"""Explicit bans of an e-mail address or an IP address (or network), a moderator's choice.

A commenter ban (``actions.commenters.commenter_ban``) holds what the server verified: an
account, a confirmed address, one browser. These hold what a post merely carries: the
address typed into it, or the network it came from. So they also reach whoever shares
that address or network, which is why they are never made implicitly.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from threadline import errors
from threadline.actions.moderation import ban_terms
from threadline.db import reads
from threadline.models import Ban, BanKind, ModerationAction, ModerationEvent, Site

# The network sizes an IP ban may cover besides one address: a typical home or office
# allocation and the blocks above it. A fixed list keeps the check one indexed lookup.
IPV4_PREFIXES = (24, 16)
IPV6_PREFIXES = (64, 56, 48)
_CANDIDATES = 1 + max(len(IPV4_PREFIXES), len(IPV6_PREFIXES))


def ban_value(*, kind: str, value: str) -> str:
    """``value`` as bans store it: a lower-case address; an IP address, or a network of an
    allowed size, in canonical form (an IPv4-mapped IPv6 address as IPv4)."""
    value = (value or "").strip()
    if kind == BanKind.EMAIL:
        try:
            validate_email(value)
        except DjangoValidationError as exc:
            raise errors.InvalidEmailError(field="value") from exc
        return value.lower()
    if kind != BanKind.IP:
        raise errors.ValidationError("kind must be email or ip.", field="kind")
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError as exc:
        raise errors.ValidationError("Not an IP address or network.", field="value") from exc
    if isinstance(network, ipaddress.IPv6Network) and network.prefixlen == 128:
        mapped = network.network_address.ipv4_mapped
        if mapped is not None:
            return str(mapped)
    if network.prefixlen == network.max_prefixlen:
        return str(network.network_address)
    allowed = IPV4_PREFIXES if network.version == 4 else IPV6_PREFIXES
    if network.prefixlen not in allowed:
        sizes = ", ".join(f"/{p}" for p in allowed)
        raise errors.ValidationError(
            f"An IP ban is one address or a network of size {sizes}.", field="value"
        )
    return str(network)


def ip_candidates(ip: str | None) -> list[str]:
    """The ban values that cover ``ip``: the address and its networks of the allowed sizes,
    padded to a fixed length (so the check is one prepared statement)."""
    out: list[str] = []
    try:
        address = ipaddress.ip_address(ip or "")
    except ValueError:
        address = None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address is not None:
        out.append(str(address))
        prefixes = IPV4_PREFIXES if address.version == 4 else IPV6_PREFIXES
        out += [str(ipaddress.ip_network(f"{address}/{p}", strict=False)) for p in prefixes]
    return out + [""] * (_CANDIDATES - len(out))  # "" is no stored value


def ban_check(*, site_id: int, email: str, ip: str | None) -> None:
    """Refuse a post (``BannedError``, with the ban's message and term) whose address or IP
    a moderator banned on the site. One prepared query per post (``db.reads.active_ban``)."""
    row = reads.active_ban(
        site_id=site_id,
        email=(email or "").strip().lower(),
        ips=ip_candidates(ip),
        now=timezone.now(),
    )
    if row is not None:
        message, until = row
        raise errors.BannedError(message or None, data=ban_terms(until=until, message=message))


def _audit(ban: Ban, *, actor, action: ModerationAction, days: int | None = None) -> None:  # noqa: ANN001
    ModerationEvent.objects.create(
        site_id=ban.site_id,
        actor=actor,
        source="moderator",
        action=action,
        reasons=[f"{ban.get_kind_display()} {ban.value}", *([ban.message] if ban.message else [])],
        scores={"kind": ban.kind, "value": ban.value, "days": days},
    )


@transaction.atomic
def ban_create(
    *,
    site: Site,
    kind: str,
    value: str,
    actor,  # noqa: ANN001
    days: int | None = None,
    message: str = "",
) -> Ban:
    """Ban an e-mail address or an IP address/network on ``site`` for ``days`` days, or for
    good when ``days`` is None; banning it again replaces the term and the message. Writes
    an audit row. Raises ``ValidationError`` / ``InvalidEmailError`` for a bad value."""
    if days is not None and not 1 <= days <= 36500:
        raise errors.ValidationError("A ban lasts 1 to 36500 days, or for good.", field="days")
    value = ban_value(kind=kind, value=value)
    until = None if days is None else timezone.now() + timedelta(days=days)
    ban, _ = Ban.objects.update_or_create(
        site=site,
        kind=kind,
        value=value,
        defaults={"until": until, "message": message[:500], "created_by": actor},
    )
    _audit(ban, actor=actor, action=ModerationAction.BAN, days=days)
    return ban


@transaction.atomic
def ban_lift(*, ban: Ban, actor) -> Ban:  # noqa: ANN001
    """Lift an e-mail or IP ban (the row goes; the audit log keeps the ban and its lifting)."""
    _audit(ban, actor=actor, action=ModerationAction.UNBAN)
    Ban.objects.filter(pk=ban.pk).delete()
    return ban
