"""Comment text: validation of raw input and Markdown rendering to safe HTML."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

from threadline import errors

# C0/C1 controls other than tab, newline and carriage return; plus bidi overrides that
# let a comment reverse the text around it.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

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
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
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
# tests/test_text.py compares the two on real comments and generated text.
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
    return nh3.clean(render_markdown(source), tags=set()).strip()
