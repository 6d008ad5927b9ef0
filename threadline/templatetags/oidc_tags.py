"""``{% oidc_sign_in next %}``: the "Sign in with …" button of the operator's OpenID Connect
provider, or nothing when sign-in with one is off (threadline.oidc, read at render time)."""

from __future__ import annotations

from typing import Any

from django import template

from threadline.oidc import oidc_config

register = template.Library()


@register.inclusion_tag("threadline/oidc_button.html")
def oidc_sign_in(next_url: str = "") -> dict[str, Any]:
    config = oidc_config()
    return {"label": config.label if config else "", "next": next_url or "/"}
