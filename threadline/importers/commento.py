"""Commento JSON export: ``{"version": 1, "comments": [...], "commenters": [...]}``.

Comment ids are ``commento:<commentHex>``; ``parentHex`` "root" marks a top-level comment.
Pages are ``https://<domain><url>``. ``state`` approved → published, unapproved or flagged
→ pending; ``deleted`` → deleted; ``score`` is kept as up- or down-votes. Bodies are Markdown.
Commento writes the file in one piece, so it is read in one piece.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from threadline.importers.base import (
    DELETED,
    PENDING,
    PUBLISHED,
    BadRecordError,
    ImportedComment,
    ImportedThread,
    ImportFormatError,
    Record,
    parse_datetime,
)

NAME = "commento"


def detect(head: bytes) -> bool:
    text = head.lstrip()
    return text.startswith(b"{") and b'"commentHex"' in head


def load_json(fp: IO[bytes]) -> Any:
    try:
        return json.loads(fp.read().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"the file is not UTF-8 ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise ImportFormatError(f"not valid JSON: {exc.msg}", line=exc.lineno) from exc


def parse(fp: IO[bytes]) -> Iterator[Record]:
    data = load_json(fp)
    if not isinstance(data, dict) or not isinstance(data.get("comments"), list):
        raise ImportFormatError('a Commento export is an object with a "comments" list')
    people = {c.get("commenterHex"): c for c in data.get("commenters") or [] if isinstance(c, dict)}
    seen: set[str] = set()
    for index, raw in enumerate(data["comments"], start=1):
        try:
            if not isinstance(raw, dict):
                raise BadRecordError(index, "a comment is not an object")
            url = f"https://{raw.get('domain', '')}{raw.get('url', '')}"
            if url not in seen:
                seen.add(url)
                yield ImportedThread(key=url, url=url, line=index)
            yield _comment(raw, url, people, index)
        except BadRecordError as exc:
            yield exc.record()


def _comment(raw: dict, url: str, people: dict, index: int) -> ImportedComment:
    hexid = str(raw.get("commentHex") or "")
    if not hexid:
        raise BadRecordError(index, "comment has no commentHex")
    person = people.get(raw.get("commenterHex")) or {}
    email = str(person.get("email") or "")
    parent = str(raw.get("parentHex") or "root")
    score = raw.get("score") or 0
    if not isinstance(score, int):
        raise BadRecordError(index, f"comment {hexid[:12]}: score {score!r} is not a number")
    status = {"approved": PUBLISHED}.get(str(raw.get("state")), PENDING)
    return ImportedComment(
        thread_key=url,
        external_id=f"commento:{hexid}",
        parent_external_id="" if parent == "root" else f"commento:{parent}",
        created_at=parse_datetime(str(raw.get("creationDate") or ""), line=index),
        body=str(raw.get("markdown") or ""),
        author_name=str(person.get("name") or "Anonymous"),
        author_email=email if "@" in email else "",
        status=DELETED if raw.get("deleted") else status,
        upvotes=max(score, 0),
        downvotes=max(-score, 0),
        line=index,
    )
