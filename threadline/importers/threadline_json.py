"""Threadline's own export (JSON Lines, see ``threadline.exporters.threadline_json``).

Read line by line, so a file of any size streams. A line that is not JSON, or a record
without what it needs, is skipped and reported with its line number; a file without the
header line, or of a newer version, is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from threadline.importers.base import (
    BadRecordError,
    ImportedComment,
    ImportedRecord,
    ImportedThread,
    ImportFormatError,
    Record,
    parse_datetime,
)

NAME = "threadline"
FORMAT = "threadline-export"
VERSION = 1
_STATUSES = {"published", "pending", "rejected", "deleted"}


def detect(head: bytes) -> bool:
    return head.lstrip().startswith(b"{") and f'"format":"{FORMAT}"'.encode() in head


def parse(fp: IO[bytes]) -> Iterator[Record]:
    header = _header(fp.readline())
    yield ImportedRecord(kind="site", data=header["site"], line=1)
    for number, raw in enumerate(fp, start=2):
        if not raw.strip():
            continue
        try:
            yield _record(_load(raw, number), number)
        except BadRecordError as exc:
            yield exc.record()


def _header(raw: bytes) -> dict[str, Any]:
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImportFormatError("the first line is not a Threadline export header", line=1) from exc
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ImportFormatError("the first line is not a Threadline export header", line=1)
    if header.get("version") != VERSION:
        raise ImportFormatError(
            f"export version {header.get('version')!r} is not supported (this Threadline "
            f"reads version {VERSION})",
            line=1,
        )
    if not isinstance(header.get("site"), dict) or not header["site"].get("name"):
        raise ImportFormatError("the header names no site", line=1)
    return header


def _load(raw: bytes, number: int) -> dict[str, Any]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BadRecordError(number, "the line is not UTF-8") from exc
    except ValueError as exc:
        raise BadRecordError(number, f"the line is not JSON ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise BadRecordError(number, 'the line is not a record with a "type"')
    return data


def _record(data: dict[str, Any], number: int) -> Record:
    kind = data["type"]
    if kind in ("user", "commenter", "event"):
        return ImportedRecord(kind=kind, data=data, line=number)
    if kind == "story":
        if not data.get("key") or not data.get("url"):
            raise BadRecordError(number, "a story needs a key and a url")
        return ImportedThread(
            key=data["key"],
            url=data["url"],
            title=data.get("title") or "",
            external_id=data["key"],
            is_open=bool(data.get("is_open", True)),
            line=number,
            extra=data,
        )
    if kind == "comment":
        return _comment(data, number)
    raise BadRecordError(number, f"unknown record type {kind!r}")


def _comment(data: dict[str, Any], number: int) -> ImportedComment:
    if not data.get("key") or not data.get("story"):
        raise BadRecordError(number, "a comment needs a key and a story")
    if data.get("status") not in _STATUSES:
        raise BadRecordError(
            number, f"comment {data['key']}: unknown status {data.get('status')!r}"
        )
    extra = dict(data)
    if extra.get("edited_at"):
        extra["edited_at"] = parse_datetime(extra["edited_at"], line=number)
    return ImportedComment(
        thread_key=data["story"],
        external_id=data["key"],
        parent_external_id=data.get("parent") or "",
        created_at=parse_datetime(data.get("created_at") or "", line=number),
        body=data.get("body") or "",
        body_html=data.get("body_html") or "",
        author_name=data.get("author_name") or "",
        author_email=data.get("author_email") or "",
        ip_address=data.get("ip_address"),
        status=data["status"],
        upvotes=int(data.get("upvotes") or 0),
        downvotes=int(data.get("downvotes") or 0),
        line=number,
        extra=extra,
    )
