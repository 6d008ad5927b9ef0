"""Who wrote it, at a glance: the picture the publisher's sign-in gave (an https URL), else
the initials of the name on a colour derived from it, as the widget draws them.

The widget (``static/threadline/embed.js``: ``initials`` and ``avatar()``) and the reader
pages must give one name the same initials and colour, so this module repeats the
widget's rules exactly; ``tests/web/test_profiles.py`` holds the two copies together.
No third-party image service is asked: the initials are text on a CSS colour class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# How many colours there are: ``.tl-av0`` … ``.tl-av7`` in the widget, ``.av0`` … ``.av7``
# in site.css.
COLOURS = 8
# The widget's test for a picture it may show (embed.js ``avatar``).
_SAFE_URL = re.compile(r"^https://[^\s\"'<>\\]+$", re.IGNORECASE)
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$")


@dataclass(frozen=True)
class Avatar:
    initials: str
    colour: int  # 0 .. COLOURS - 1
    url: str  # "" when there is no picture to show


def initials(name: str) -> str:
    """Up to two initials: of the first word and, when there are more, of the last."""
    words = (name or "").split()
    if not words:
        return ""
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


def colour(name: str) -> int:
    """The name's colour: a 32-bit rolling hash of its code points, as embed.js computes it
    (``n = (n * 31 + codePoint) >>> 0``), modulo ``COLOURS``."""
    n = 0
    for ch in name or "":
        n = (n * 31 + ord(ch)) & 0xFFFFFFFF
    return n % COLOURS


def picture(url: str | None) -> str:
    """``url`` when it is a picture the page may show (https, nothing that could break out
    of an attribute), else ""."""
    return url if url and _SAFE_URL.match(url) else ""


def avatar_for(name: str, url: str | None = None) -> Avatar:
    return Avatar(initials=initials(name), colour=colour(name), url=picture(url))


def picture_origins(urls: list[str | None]) -> list[str]:
    """The origins of the pictures among ``urls``, sorted: what a page showing them must
    allow in its Content-Security-Policy (``img-src``), and nothing more."""
    found = set()
    for url in urls:
        if not picture(url):
            continue
        parts = urlsplit(str(url))
        try:
            port = parts.port
        except ValueError:
            continue
        # A host name goes into a header: letters, digits, dots and hyphens only, so that
        # no ";" or "," can add to the policy. Any other picture is blocked: initials show.
        host = parts.hostname or ""
        if _HOST.match(host):
            found.add(f"https://{host}" + (f":{port}" if port else ""))
    return sorted(found)
