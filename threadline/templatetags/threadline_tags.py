from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def when(value: str | datetime | None) -> str:
    """An ISO timestamp from the thread JSON as "29 Nov 2026, 04:45" (UTC)."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return timezone.localtime(moment).strftime("%-d %b %Y, %H:%M")


@register.filter
def lookup(mapping: dict | None, key: object) -> object:
    """``mapping|lookup:key`` with the key as a string (comment ids arrive as ints)."""
    return (mapping or {}).get(str(key))


# (seconds under which, unit, seconds per unit): the widget's steps (embed.js ``ago``).
_STEPS = (
    (3600, "minute", 60),
    (86400, "hour", 3600),
    (604800, "day", 86400),
    (2629800, "week", 604800),
    (31557600, "month", 2629800),
)


@register.filter
def ago(value: str | datetime | None) -> str:
    """An ISO timestamp as "3 hours ago", as the widget says it; rendered on the server so
    the page needs no script. The exact time goes in the ``<time>``'s title (``when``)."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    seconds = (timezone.now() - moment).total_seconds()
    if seconds < 45:
        return "just now"
    for limit, unit, size in _STEPS:
        if seconds < limit:
            return _plural(max(1, round(seconds / size)), unit)
    return _plural(round(seconds / 31557600), "year")


def _plural(n: int, unit: str) -> str:
    return f"{n} {unit}{'' if n == 1 else 's'} ago"


@register.filter
def exact(value: str | datetime | None) -> str:
    """The exact time for a hover title: "29 Nov 2026, 04:45 UTC"."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return timezone.localtime(moment).strftime("%-d %b %Y, %H:%M %Z")
