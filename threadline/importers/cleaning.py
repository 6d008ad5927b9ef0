"""Cleaning imported values: text, HTML, e-mail addresses and IP addresses.

Pure functions shared by the import writer; nothing here touches the database.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from functools import lru_cache

import nh3
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.ipv6 import clean_ipv6_address

from threadline.domain.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_REL, clean_line

# What threadline.domain.text refuses in posted comments, and two noncharacters XML cannot carry.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)


def clean(value: str) -> str:
    """Control characters removed, newlines normalised, NFC."""
    value = _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", value)


@lru_cache(maxsize=65536)  # the same people comment again and again
def clean_name(value: str) -> str:
    """A display name: one line, no invisible characters, at most 100 characters."""
    return clean_line(value, max_length=100)


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        strip_comments=True,
    )


def sanitize_html(html: str) -> str:
    """Old HTML through the same allow-list as rendered Markdown."""
    return _cleaner().clean(html)


@lru_cache(maxsize=65536)
def email_or_blank(value: str) -> str:
    value = (value or "").strip()
    try:
        validate_email(value)
    except DjangoValidationError:
        return ""
    return value[:254]


@lru_cache(maxsize=65536)  # readers post from the same few addresses
def ip_or_none(value: str | None) -> str | None:
    """An address as Django stores it (IPv4-mapped IPv6 kept as ``::ffff:1.2.3.4``)."""
    value = (value or "").strip()
    try:
        if ":" in value:
            return clean_ipv6_address(value)
        return str(ipaddress.IPv4Address(value)) if value else None
    except (ValueError, DjangoValidationError):
        return None
