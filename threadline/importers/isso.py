"""Isso: its SQLite database (``comments.db``) or its "generic" JSON import file.

Database: ``threads(id, uri, title)`` and ``comments(tid, id, parent, created, mode, …)``;
``mode`` 1 → published, 2 → pending, 4 → deleted; ``likes``/``dislikes`` kept; times are
Unix seconds (UTC). Generic JSON: ``[{"id": "/path/", "title": "Url+encoded",
"comments": [{"id", "author", "email", "website", "remote_addr", "created", "text"}]}]``,
with comments numbered by position when their ids are all 0. Thread URIs are paths:
the writer resolves them against the site's first origin (or ``--base-url``). Text is
Markdown.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO
from urllib.parse import unquote_plus

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
from threadline.importers.commento import load_json

NAME = "isso"
SQLITE_MAGIC = b"SQLite format 3\x00"
_MODES = {1: PUBLISHED, 2: PENDING, 4: DELETED}


def detect(head: bytes) -> bool:
    if head.startswith(SQLITE_MAGIC):
        return True
    text = head.lstrip()
    return text.startswith(b"[") and b'"comments"' in head


def parse(fp: IO[bytes]) -> Iterator[Record]:
    head = fp.read(16)
    fp.seek(0)
    if head.startswith(SQLITE_MAGIC):
        yield from _parse_db(fp)
    else:
        yield from _parse_json(fp)


def _parse_json(fp: IO[bytes]) -> Iterator[Record]:
    data = load_json(fp)
    if not isinstance(data, list):
        raise ImportFormatError("an Isso JSON file is a list of threads")
    for tindex, thread in enumerate(data, start=1):
        if not isinstance(thread, dict) or not thread.get("id"):
            yield BadRecordError(tindex, "thread without an id").record()
            continue
        key = str(thread["id"])
        yield ImportedThread(
            key=key,
            url=key,
            title=unquote_plus(str(thread.get("title") or "")),
            external_id=f"isso:{key}",
            line=tindex,
        )
        comments = thread.get("comments") or []
        numbered = any(isinstance(c, dict) and c.get("id") for c in comments)
        for cindex, raw in enumerate(comments, start=1):
            try:
                yield _json_comment(raw, key, raw.get("id") if numbered else cindex, tindex)
            except BadRecordError as exc:
                yield exc.record()
            except AttributeError:
                yield BadRecordError(
                    tindex, f"thread {key}: comment {cindex} is not an object"
                ).record()


def _json_comment(raw: dict, key: str, cid: object, line: int) -> ImportedComment:
    parent = raw.get("parent")
    return ImportedComment(
        thread_key=key,
        external_id=f"isso:{key}:{cid}",
        parent_external_id=f"isso:{key}:{parent}" if parent else "",
        created_at=parse_datetime(str(raw.get("created") or ""), line=line),
        body=str(raw.get("text") or ""),
        author_name=str(raw.get("author") or "Anonymous"),
        author_email=str(raw.get("email") or "").strip(),
        ip_address=str(raw.get("remote_addr") or "") or None,
        line=line,
    )


def _parse_db(fp: IO[bytes]) -> Iterator[Record]:
    # sqlite3 opens files by name; an upload without one is copied to a temporary file.
    with tempfile.NamedTemporaryFile(suffix=".db") as tmp:
        path = getattr(fp, "name", None)
        if not isinstance(path, str):
            shutil.copyfileobj(fp, tmp)
            tmp.flush()
            path = tmp.name
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            yield from _db_records(db)
        except sqlite3.DatabaseError as exc:
            raise ImportFormatError(f"not a readable Isso database: {exc}") from exc


def _db_records(db: sqlite3.Connection) -> Iterator[Record]:
    for tid, uri, title in db.execute("SELECT id, uri, title FROM threads ORDER BY id"):
        yield ImportedThread(
            key=str(tid), url=uri or "", title=title or "", external_id=f"isso:{uri}", line=tid
        )
    rows = db.execute(
        "SELECT tid, id, parent, created, mode, remote_addr, text, author, email, likes, "
        "dislikes FROM comments ORDER BY id"
    )
    for tid, cid, parent, created, mode, ip, text, author, email, likes, dislikes in rows:
        if mode not in _MODES:
            yield BadRecordError(cid, f"comment {cid}: unknown mode {mode!r}").record()
            continue
        yield ImportedComment(
            thread_key=str(tid),
            external_id=f"isso:{cid}",
            parent_external_id=f"isso:{parent}" if parent else "",
            created_at=datetime.fromtimestamp(float(created), tz=UTC),
            body=text or "",
            author_name=author or "Anonymous",
            author_email=email or "",
            ip_address=ip or None,
            status=_MODES[mode],
            upvotes=likes or 0,
            downvotes=dislikes or 0,
            line=cid,
        )
