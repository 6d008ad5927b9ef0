"""Which page URLs of a site may become stories on a reader's first lookup.

``Site.story_paths`` holds one rule a line; an empty list allows every page of the site's
origins. A rule without ``*`` is a path prefix (``/news/`` allows ``/news/a?b=1``). A rule
with ``*`` is a pattern over the whole path and query, where ``*`` is any run of characters
but ``?``: ``/20*/*`` allows ``/2024/05/story`` and refuses ``/2024/05/story?x=1``, so a
pattern is also how a site stops the same page from becoming a new story per query string.
A rule is matched against the canonical URL (``actions.stories.canonical_url``); a missing
leading ``/`` is added, lines starting with ``#`` are comments.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from threadline import errors

MAX_RULES = 200
MAX_RULE_LENGTH = 300


def rules(text: str) -> tuple[str, ...]:
    """The rules of ``text``, each starting with ``/``."""
    lines = (line.strip() for line in text.splitlines())
    return tuple(
        line if line.startswith("/") else "/" + line
        for line in lines
        if line and not line.startswith("#")
    )


def check(text: str) -> None:
    """Raise ValidationError for text that cannot be a list of rules: a whole URL where a
    path belongs, a space inside a rule, too many or too long rules."""
    found = rules(text)
    if len(found) > MAX_RULES:
        raise errors.ValidationError(f"At most {MAX_RULES} rules.", field="story_paths")
    for rule in found:
        if "://" in rule or any(c.isspace() for c in rule) or len(rule) > MAX_RULE_LENGTH:
            raise errors.ValidationError(
                f"Not a path or pattern: {rule[:80]!r} (write /news/, not a whole URL).",
                field="story_paths",
            )


@lru_cache(maxsize=256)
def _compiled(text: str) -> tuple[tuple[str, ...], re.Pattern[str] | None]:
    prefixes = tuple(r for r in rules(text) if "*" not in r)
    patterns = [
        "(?:" + "[^?]*".join(re.escape(part) for part in r.split("*")) + ")"
        for r in rules(text)
        if "*" in r
    ]
    return prefixes, re.compile("|".join(patterns)) if patterns else None


def allows(text: str, url: str) -> bool:
    """Whether the rules in ``text`` let the (canonical) ``url`` become a story."""
    prefixes, pattern = _compiled(text)
    if not prefixes and pattern is None:
        return True
    parts = urlsplit(url)
    path = parts.path or "/"
    if path.startswith(prefixes):
        return True
    target = f"{path}?{parts.query}" if parts.query else path
    return pattern is not None and pattern.fullmatch(target) is not None
