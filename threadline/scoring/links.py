"""Finding links in comment text (Markdown links and bare URLs)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_URL = re.compile(r"(?i)\b((?:https?://|www\.)[^\s<>()\[\]]+)")


def find_links(text: str) -> list[str]:
    return _URL.findall(text)


def count_links(text: str) -> int:
    return len(find_links(text))


def link_domains(text: str) -> list[str]:
    domains = []
    for link in find_links(text):
        host = urlsplit(link if "://" in link else "http://" + link).hostname or ""
        domains.append(host.lower().removeprefix("www."))
    return domains
