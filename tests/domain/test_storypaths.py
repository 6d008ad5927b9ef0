"""Story path rules, table-driven: prefixes, ``*`` patterns that never cross ``?``."""

from __future__ import annotations

import pytest

from threadline import errors
from threadline.domain import storypaths

RULES = "# sections\n/news/\nsport/\n/20*/*\n/search?q=*\n"


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://n.example/news/a", True),
        ("https://n.example/news/a/b?page=2", True),  # prefixes ignore the query
        ("https://n.example/sport/x", True),  # the missing "/" is added
        ("https://n.example/2024/05/a", True),
        ("https://n.example/2024/05/a?utm_source=x", False),  # "*" stops at "?"
        ("https://n.example/search?q=rain", True),
        ("https://n.example/search", False),
        ("https://n.example/news", False),
        ("https://n.example/", False),
        ("https://n.example/%2Fnews/a", False),
        ("https://n.example/sections", False),  # a comment line is no rule
    ],
)
def test_rules_allow_what_they_name(url, allowed):
    assert storypaths.allows(RULES, url) is allowed


@pytest.mark.parametrize("text", ["", "\n  \n", "# only a comment"])
def test_no_rules_allow_every_page(text):
    assert storypaths.allows(text, "https://n.example/anything?x=1")


def test_regex_characters_in_a_rule_are_literal():
    assert storypaths.allows("/a.b/*", "https://n.example/a.b/c")
    assert not storypaths.allows("/a.b/*", "https://n.example/axb/c")


@pytest.mark.parametrize(
    "text", ["https://n.example/news/", "/news /sport", "/" + "x" * 300, "/a\n" * 201]
)
def test_text_that_is_not_rules_is_refused(text):
    with pytest.raises(errors.ValidationError):
        storypaths.check(text)


def test_rules_are_checked_quietly_when_fine():
    storypaths.check(RULES)
