"""WordPress WXR export (1.0 to 1.2): each ``<item>`` is a post with its ``<wp:comment>``s.

Comment ids are ``wp:<post id>:<comment id>`` (old trimmed exports reuse comment ids across
posts). ``comment_approved`` 1 → published, 0 → pending, spam → rejected, trash → deleted.
Pingbacks and trackbacks are yielded with their ``kind`` so the writer can skip them.
Content is HTML with bare newlines (``wpautop``); ``comment_date_gmt`` is UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from lxml import etree

from threadline.domain.identity import digest
from threadline.importers.base import (
    DELETED,
    PENDING,
    PUBLISHED,
    REJECTED,
    BadRecordError,
    ImportedComment,
    ImportedThread,
    Record,
    parse_datetime,
)
from threadline.importers.htmltext import autop
from threadline.importers.xmlstream import (
    child_node,
    child_text,
    iter_records,
    localname,
    node_text,
    row_notes,
)

NAME = "wordpress"
_STATUS = {
    "1": PUBLISHED,
    "approve": PUBLISHED,
    "0": PENDING,
    "hold": PENDING,
    "spam": REJECTED,
    "trash": DELETED,
    "post-trashed": DELETED,
}
_NO_DATE = ("", "0000-00-00 00:00:00")


def detect(head: bytes) -> bool:
    return b"<rss" in head and b"wordpress.org/export/" in head


def parse(fp: IO[bytes]) -> Iterator[Record]:
    """One ImportedThread per ``<item>`` followed by its comments."""
    for item in iter_records(fp, ("item",)):
        line = item.sourceline or 0
        link = (child_text(item, "link") or "").strip()
        post_id = (child_text(item, "post_id") or "").strip()
        key = post_id or digest(link)[:12]
        yield ImportedThread(
            key=key,
            url=link,
            title=(child_text(item, "title") or "").strip(),
            external_id=f"wp:{post_id}" if post_id else "",
            line=line,
            is_open=(child_text(item, "comment_status") or "open").strip() != "closed",
        )
        for el in item:
            if localname(el) == "comment":
                try:
                    yield _comment(el, key)
                except BadRecordError as exc:
                    yield exc.record()


def _text(el: etree._Element, name: str) -> str:
    return (child_text(el, name) or "").strip()


def _comment(el: etree._Element, thread_key: str) -> ImportedComment:
    line = el.sourceline or 0
    cid = _text(el, "comment_id")
    if not cid.isdigit():
        raise BadRecordError(line, f"<wp:comment_id> is {cid!r}, not a number")
    approved = _text(el, "comment_approved") or "1"
    if approved not in _STATUS:
        raise BadRecordError(line, f"comment {cid}: unknown comment_approved {approved!r}")
    date = _text(el, "comment_date_gmt")
    if date in _NO_DATE:
        date = _text(el, "comment_date")
    if date in _NO_DATE:
        raise BadRecordError(line, f"comment {cid} has no date")
    parent = _text(el, "comment_parent")
    body = node_text(child_node(el, "comment_content"))
    author = node_text(child_node(el, "comment_author"))
    content = body.text.strip() if body else ""
    return ImportedComment(
        thread_key=thread_key,
        external_id=f"wp:{thread_key}:{cid}",
        parent_external_id=f"wp:{thread_key}:{parent}" if parent not in ("", "0") else "",
        created_at=parse_datetime(date, line=line),
        body_html=autop(content) if content else "",
        author_name=author.text.strip() if author else "",
        author_email=_text(el, "comment_author_email"),
        ip_address=_text(el, "comment_author_IP") or None,
        status=_STATUS[approved],
        kind=_text(el, "comment_type") or "comment",
        line=line,
        notes=row_notes(body, author),
    )
