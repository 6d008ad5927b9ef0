"""Text from the HTML of old comments: what a reader saw, without markup.

The writer keeps this text as the comment's ``body`` and stores the source HTML only after
sanitising it like any other comment, so nothing a foreign system allowed reaches a page.
"""

from __future__ import annotations

import re
from html import unescape

_BLOCK = {
    "p",
    "div",
    "blockquote",
    "li",
    "ul",
    "ol",
    "pre",
    "tr",
    "table",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
}
_SPACE = re.compile(r"[ \t\r\n\f]+")
_BLANKS = re.compile(r"\n{3,}")
_BLOCK_TAG = re.compile(r"^\s*<(p|div|blockquote|ul|ol|pre|h[1-6]|table)\b", re.I)


_DROP = re.compile(r"<(script|style|template)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_BREAK = re.compile(r"<br\s*/?>", re.I)
_BLOCK_EDGE = re.compile(r"</?(?:" + "|".join(sorted(_BLOCK)) + r")\b[^>]*>", re.I)
_IMG_ALT = re.compile(r"<img\b[^>]*?\balt=(\"[^\"]*\"|'[^']*')[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def html_text(html: str) -> str:
    """Plain text of an HTML fragment: entities decoded, paragraphs as blank lines, line
    breaks kept, images by their alt text, scripts and styles dropped. Regular expressions
    rather than a parser: this runs once per imported comment and only yields text (the
    HTML itself is sanitised separately)."""
    text = _DROP.sub("", html)
    text = _IMG_ALT.sub(lambda m: m.group(1)[1:-1], text)
    text = _BLOCK_EDGE.sub("\n\n", _SPACE.sub(" ", _BREAK.sub("\x00", text)))
    text = unescape(_TAG.sub("", text)).replace("\x00", "\n")
    lines = [line.strip(" ") for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def autop(text: str) -> str:
    """WordPress stores comments with bare newlines that its ``wpautop`` turns into
    paragraphs and line breaks; do the same so the HTML shows what WordPress showed."""
    paragraphs = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    out = []
    for para in paragraphs:
        if _BLOCK_TAG.match(para):
            out.append(para)
        else:
            out.append("<p>" + para.strip().replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)
