"""Comment text: validation of raw input and Markdown rendering to safe HTML."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

from threadline import errors

# C0/C1 controls other than tab, newline and carriage return; plus the bidi embeddings,
# overrides and isolates (U+202A-U+202E, U+2066-U+2069) that let a comment reverse the
# text around it. The marks U+200E/U+200F stay: right-to-left writers need them.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Everything outside XML 1.0's Char production: no XML parser accepts these, not even
# written as character references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# In names and titles: controls, format characters (zero-width, bidi, soft hyphen, tags),
# surrogates and line/paragraph separators. A zero-width joiner between two emoji is kept,
# as it builds one emoji ("family", "rainbow flag").
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
ZWJ = "\u200d"

ALLOWED_TAGS = {
    "p",
    "br",
    "em",
    "strong",
    "a",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "del",
    "s",
    "hr",
}
# ``ol start``: "1991. The year Ukraine became independent." is a list numbered from 1991,
# and must not read "1." on the page.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_REL = "nofollow ugc noopener"


def clean_text(value: str, *, field: str = "body") -> str:
    """Reject text that is not valid Unicode or carries control characters; normalise newlines."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates from JSON \ud800 escapes
        raise errors.InvalidUnicodeError(field=field) from exc
    if _CONTROL.search(value):
        raise errors.ControlCharactersError(field=field)
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))


def clean_email(value: str, *, field: str) -> str:
    """An e-mail address a reader typed, trimmed; "" for none. ``InvalidEmailError`` naming
    ``field`` when it is not an address."""
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = clean_text(value or "", field=field).strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise errors.InvalidEmailError(field=field) from exc
    return email


def xml_safe(value: str) -> str:
    """``value`` without the characters XML 1.0 cannot carry; every XML writer (feeds,
    exporters) passes text through this, so one odd character stored by an older version
    or an import cannot make a document ill-formed."""
    return _NOT_XML.sub("", value)


def _is_emoji(char: str) -> bool:
    # Symbols, the emoji variation selector and the skin-tone modifiers.
    return (
        unicodedata.category(char) == "So"
        or char == "\ufe0f"
        or "\U0001f3fb" <= char <= "\U0001f3ff"
    )


def _noncharacter(char: str) -> bool:
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def _unwanted(value: str) -> list[int]:
    """Positions of characters a name or title must not carry."""
    found = []
    for i, char in enumerate(value):
        between = 0 < i < len(value) - 1
        if char == ZWJ and between and _is_emoji(value[i - 1]) and _is_emoji(value[i + 1]):
            continue
        if unicodedata.category(char) in _INVISIBLE or _noncharacter(char):
            found.append(i)
    return found


def clean_name(value: str, *, field: str, max_length: int, required: bool = False) -> str:
    """A name a person typed (guest name, display name, user name): one line of visible
    text. Refused, not repaired, so the person sees what was wrong; the name also goes
    into e-mail headers, where a line break would be a header injection."""
    value = clean_text(value or "", field=field).strip()
    if _unwanted(value):
        raise errors.ControlCharactersError(
            "The name contains line breaks, control or invisible formatting characters.",
            field=field,
        )
    if required and not value:
        raise errors.NameRequiredError(field=field)
    if len(value) > max_length:
        raise errors.ValidationError(
            f"The name is too long ({max_length} characters at most).",
            field=field,
            data={"max_length": max_length},
        )
    return value


def clean_line(value: str, *, max_length: int) -> str:
    """One line of display text from a machine (a page's title sent by the widget, an
    import): invisible characters dropped, whitespace runs made one space, NFC, cut to
    ``max_length``. Repaired, not refused: nobody is there to correct it."""
    drop = set(_unwanted(value))
    kept = "".join(" " if c.isspace() else "" if i in drop else c for i, c in enumerate(value))
    line = " ".join(_NOT_XML.sub("", kept).split())
    return unicodedata.normalize("NFC", line)[:max_length].strip()


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": True, "breaks": True})
    md.enable(["linkify", "strikethrough"])
    md.disable(["image", "heading", "lheading", "html_block", "html_inline"])
    return md


def _absolute_links_only(tag: str, attribute: str, value: str) -> str | None:
    # Relative links would resolve against whichever page embeds the widget.
    if attribute == "href" and not value.lower().startswith(("http://", "https://", "mailto:")):
        return None
    return value


# Most comments are plain sentences. For those, markdown-it (about a tenth of a post's CPU)
# would only wrap paragraphs, break lines and escape quotes, so they are rendered here.
# Anything that could be Markdown, a link, an entity or HTML goes to markdown-it: a
# markup character, "\w.\w" (linkify would link a bare domain), a line that does not start
# with a letter, a quote or "(" (lists, quotes, headings, code, rules) or that ends with a
# space, and any blank-line layout other than single blank lines between paragraphs.
# tests/domain/test_text.py compares the two on real comments and generated text.
_MARKUP = re.compile(r"[^\S \n]|[\\`*_\[\]<>&~|@:/#=+{}$\t\r\x0b\x0c]|\w\.\w| $", re.MULTILINE)


def _plain_paragraphs(source: str) -> str | None:
    """markdown-it's output for plain sentences, or None when ``source`` is not plain."""
    if _MARKUP.search(source):
        return None
    out = []
    for paragraph in source.strip("\n").split("\n\n"):
        for line in paragraph.split("\n"):
            if not line or not (line[0].isalpha() or line[0] in "\"'("):
                return None
        escaped = paragraph.replace('"', "&quot;").replace("\n", "<br />\n")
        out.append(f"<p>{escaped}</p>\n")
    return "".join(out)


@lru_cache(maxsize=512)  # posting renders the same body for scoring and for storage
def render_markdown(source: str) -> str:
    """Markdown to HTML that is safe to put in a page: no raw HTML, no images, safe links."""
    html = _plain_paragraphs(source)
    if html is None:
        html = _markdown().render(source)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        strip_comments=True,
        attribute_filter=_absolute_links_only,
    )


def plain_text(source: str) -> str:
    """The words of a comment without markup, for scoring and search."""
    return html_text(render_markdown(source))


# The number a list starts from is on the page, so the text the scorers read keeps it
# ("1488. The truth will come out").
_LIST_START = re.compile(r'<ol start="(\d+)">')


def html_text(html: str) -> str:
    """``plain_text`` of a comment whose HTML (``render_markdown``) is already at hand."""
    return nh3.clean(_LIST_START.sub(r"\1. <ol>", html), tags=set()).strip()
