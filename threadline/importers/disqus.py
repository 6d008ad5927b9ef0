"""Disqus XML export (``<disqus>`` with ``<thread>`` and ``<post>`` records).

Comment ids are ``disqus:<dsq:id>``; a post's ``<parent dsq:id>`` links replies. Spam becomes
rejected, ``isDeleted`` a deleted comment, a deleted thread drops its posts. Messages are
HTML. A post with a bad id, date or flag is skipped and reported; a file that is not
well-formed XML stops the import.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from lxml import etree

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
from threadline.importers.xmlstream import (
    NodeText,
    child_text,
    children,
    iter_records,
    localname,
    node_text,
    parse_bool,
    row_notes,
)

NAME = "disqus"
DSQ_ID = "{http://disqus.com/disqus-internals}id"


def detect(head: bytes) -> bool:
    return b"<disqus" in head and b"disqus.com" in head


def parse(fp: IO[bytes]) -> Iterator[Record]:
    """Threads and posts in file order; posts may come before or after their thread."""
    for el in iter_records(fp, ("thread", "post")):
        try:
            yield _thread(el) if localname(el) == "thread" else _post(el)
        except BadRecordError as exc:
            yield exc.record()


def _thread(el: etree._Element) -> ImportedThread:
    key = el.get(DSQ_ID) or ""
    line = el.sourceline or 0
    if not key:
        raise BadRecordError(line, "<thread> has no dsq:id")
    deleted = parse_bool(child_text(el, "isDeleted"), line=line, name="isDeleted")
    created = child_text(el, "createdAt")
    return ImportedThread(
        key=key,
        url=(child_text(el, "link") or "").strip(),
        title=(child_text(el, "title") or "").strip(),
        external_id=f"disqus:{key}",
        is_open=not parse_bool(child_text(el, "isClosed"), line=line, name="isClosed"),
        created_at=parse_datetime(created, line=line) if created else None,
        line=line,
        is_deleted=deleted,
    )


def _text(
    kids: dict[str, etree._Element], name: str, seen: list[NodeText] | None = None
) -> str | None:
    found = node_text(kids.get(name))
    if found is None:
        return None
    if seen is not None and found.entities:
        seen.append(found)
    return found.text


def _post(el: etree._Element) -> ImportedComment:
    line = el.sourceline or 0
    key = el.get(DSQ_ID) or ""
    if not key.isdigit():
        raise BadRecordError(
            line, f"<post> has no numeric dsq:id ({key!r})" if key else "<post> has no dsq:id"
        )
    kids = children(el)
    status = PUBLISHED
    if parse_bool(_text(kids, "isSpam"), line=line, name="isSpam"):
        status = REJECTED
    approved = _text(kids, "isApproved")
    if approved is not None and not parse_bool(approved, line=line, name="isApproved"):
        status = PENDING if status == PUBLISHED else status
    if parse_bool(_text(kids, "isDeleted"), line=line, name="isDeleted"):
        status = DELETED
    name = email = ""
    seen: list[NodeText] = []
    if "author" in kids:
        author = children(kids["author"])
        name = (_text(author, "name", seen) or _text(author, "username", seen) or "").strip()
        email = (_text(author, "email") or "").strip()
    thread = kids["thread"].get(DSQ_ID, "") if "thread" in kids else ""
    if not thread:
        raise BadRecordError(line, f"post {key} names no thread")
    parent = kids["parent"].get(DSQ_ID, "") if "parent" in kids else ""
    message = node_text(kids.get("message"))
    return ImportedComment(
        thread_key=thread,
        external_id=f"disqus:{key}",
        parent_external_id=f"disqus:{parent}" if parent else "",
        created_at=parse_datetime(_text(kids, "createdAt") or "", line=line),
        body_html=message.text.strip() if message else "",
        author_name=name,
        author_email=email,
        ip_address=(_text(kids, "ipAddress") or "").strip() or None,
        status=status,
        line=line,
        notes=row_notes(message, *seen),
    )
