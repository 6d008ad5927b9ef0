"""``{% avatar name url %}``: the author's picture, or their initials on their colour
(``threadline.domain.avatars``), the same as the widget draws."""

from __future__ import annotations

from django import template

from threadline.domain.avatars import Avatar, avatar_for

register = template.Library()


@register.inclusion_tag("threadline/_avatar.html")
def avatar(name: str, url: str | None = None, size: str = "") -> dict[str, Avatar | str]:
    return {"avatar": avatar_for(name, url), "size": size}
