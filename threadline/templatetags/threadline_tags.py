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
