"""What every importer yields, and the registry that sniffs a file's format.

An importer only reads: ``parse(fp)`` streams plain records (threads, comments, and
``BadRecord`` for a locally damaged record it skipped) in file order. It raises
``ImportFormatError`` when the file as a whole cannot be read (not well-formed, wrong
format). ``threadline.actions.imports`` decides and writes.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any, Protocol

from threadline import errors

PUBLISHED, PENDING, REJECTED, DELETED = "published", "pending", "rejected", "deleted"


class ImportFormatError(errors.ValidationError):
    """The file cannot be imported at all; ``line`` says where reading stopped."""

    code = "import_malformed"
    message = "The file cannot be imported."

    def __init__(self, message: str, *, line: int | None = None) -> None:
        text = f"line {line}: {message}" if line else message
        super().__init__(text, field="file", data={"line": line} if line else None)
        self.line = line


@dataclass
class ImportedThread:
    """A story as the source knows it. ``key`` links comments to it within one file."""

    key: str
    url: str
    title: str = ""
    external_id: str = ""
    is_open: bool = True
    created_at: datetime | None = None
    line: int = 0
    is_deleted: bool = False  # a deleted thread's comments are dropped
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportedComment:
    """One comment. ``body_html`` is the source's HTML (sanitised by the writer) or empty
    when ``body`` is plain text / Markdown."""

    thread_key: str
    external_id: str
    created_at: datetime
    body: str = ""
    body_html: str = ""
    parent_external_id: str = ""
    author_name: str = ""
    author_email: str = ""
    ip_address: str | None = None
    status: str = PUBLISHED
    upvotes: int = 0
    downvotes: int = 0
    line: int = 0
    kind: str = "comment"  # or "pingback" / "trackback" (WordPress)
    # Threadline's own format carries more than any other source: kept verbatim.
    extra: dict[str, Any] = field(default_factory=dict)
    # What the reader noticed, for the import report: "body_cut" (bytes of a text node
    # the XML reader cut at its cap) and "undefined_entities" (names kept as "&name;").
    notes: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportedRecord:
    """Threadline's own export also carries its site, users, commenters and events."""

    kind: str  # "site", "user", "commenter" or "event"
    data: dict[str, Any]
    line: int = 0


@dataclass
class BadRecord:
    """A record the importer skipped; the import goes on and reports it."""

    line: int
    message: str


Record = ImportedThread | ImportedComment | ImportedRecord | BadRecord


class Importer(Protocol):
    NAME: str

    def detect(self, head: bytes) -> bool: ...

    def parse(self, fp: IO[bytes]) -> Iterator[Record]: ...


FORMATS = ("threadline", "disqus", "wordpress", "isso", "commento")
_MODULES = {
    "threadline": "threadline.importers.threadline_json",
    "disqus": "threadline.importers.disqus",
    "wordpress": "threadline.importers.wordpress",
    "isso": "threadline.importers.isso",
    "commento": "threadline.importers.commento",
}


def importer_for(name: str) -> Importer:
    if name not in _MODULES:
        raise errors.ValidationError(
            f"Unknown format {name!r}; use one of {', '.join(FORMATS)}.", field="format"
        )
    return importlib.import_module(_MODULES[name])  # type: ignore[return-value]


def detect_format(head: bytes) -> str:
    """The format of a file from its first bytes (a few KiB)."""
    for name in FORMATS:
        if importer_for(name).detect(head):
            return name
    raise ImportFormatError(
        "Unrecognised file: expected a Disqus or WordPress XML export, an Isso database or "
        "JSON file, a Commento JSON export, or a Threadline JSON export."
    )


def parse_datetime(value: str, *, line: int, naive_tz: Any = UTC) -> datetime:
    """An ISO 8601 or ``YYYY-MM-DD HH:MM:SS`` timestamp; naive ones are taken as ``naive_tz``."""
    text = (value or "").strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise BadRecordError(line, f"invalid date {text!r}") from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=naive_tz)
    return moment


class BadRecordError(Exception):
    """Raised inside a parser for one damaged record; turned into a ``BadRecord``."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message

    def record(self) -> BadRecord:
        return BadRecord(line=self.line, message=self.message)
