"""A disk-backed holding area that groups streamed records by thread.

Exports list comments in any order (a Disqus post may come long before or after its
thread). Records are written to a temporary SQLite file as they stream in, then read back
one thread at a time: memory holds one story, and nothing reaches the database until the
whole file has been read, so a file that turns out to be malformed writes nothing.
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import fields
from datetime import datetime
from operator import attrgetter
from typing import IO, Any

from threadline.importers.base import (
    BadRecord,
    ImportedComment,
    ImportedRecord,
    ImportedThread,
    Record,
)

_COMMENT_FIELDS = [f.name for f in fields(ImportedComment)]
_comment_values = attrgetter(*_COMMENT_FIELDS)
# Timestamps travel as ISO text: pickling an aware datetime costs ten times the rest of
# the record, and ``fromisoformat`` reads it back exactly.
_CREATED = _COMMENT_FIELDS.index("created_at")
_BATCH = 5000


class Staging:
    def __init__(self) -> None:
        fd, self.path = tempfile.mkstemp(prefix="threadline-import-", suffix=".sqlite3")
        os.close(fd)
        self.db = sqlite3.connect(self.path)
        self.db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
            "CREATE TABLE threads (seq INTEGER PRIMARY KEY, key TEXT UNIQUE, data BLOB);"
            "CREATE TABLE comments (seq INTEGER PRIMARY KEY, thread TEXT, data BLOB);"
            "CREATE TABLE extras (seq INTEGER PRIMARY KEY, kind TEXT, data BLOB);"
        )
        self.bad: list[BadRecord] = []
        self.comment_count = 0
        self._pending: list[tuple[str, bytes]] = []

    def add(self, record: Record) -> None:
        if isinstance(record, ImportedComment):
            row = list(_comment_values(record))
            if row[_CREATED] is not None:
                row[_CREATED] = row[_CREATED].isoformat()
            self._pending.append((record.thread_key, pickle.dumps(row, protocol=5)))
            self.comment_count += 1
            if len(self._pending) >= _BATCH:
                self._flush()
        elif isinstance(record, ImportedThread):
            self.db.execute(
                "INSERT OR IGNORE INTO threads (key, data) VALUES (?, ?)",
                (record.key, pickle.dumps(record, protocol=5)),
            )
        elif isinstance(record, ImportedRecord):
            self.db.execute(
                "INSERT INTO extras (kind, data) VALUES (?, ?)",
                (record.kind, pickle.dumps(record, protocol=5)),
            )
        else:
            self.bad.append(record)

    def _flush(self) -> None:
        self.db.executemany("INSERT INTO comments (thread, data) VALUES (?, ?)", self._pending)
        self._pending = []

    def finish(self) -> None:
        self._flush()
        self.db.execute("CREATE INDEX comments_thread ON comments (thread, seq)")
        self.db.commit()

    def threads(self) -> Iterator[ImportedThread]:
        for (data,) in self.db.execute("SELECT data FROM threads ORDER BY seq"):
            yield pickle.loads(data)  # noqa: S301 (our own temporary file)

    def thread_keys_without_thread(self) -> Iterator[tuple[str, int]]:
        """Comments whose thread never appeared: (thread key, how many)."""
        yield from self.db.execute(
            "SELECT thread, COUNT(*) FROM comments WHERE thread NOT IN (SELECT key FROM threads)"
            " GROUP BY thread ORDER BY MIN(seq)"
        )

    def comments(self, thread_key: str) -> list[ImportedComment]:
        rows = self.db.execute(
            "SELECT data FROM comments WHERE thread = ? ORDER BY seq", (thread_key,)
        )
        return [_comment(pickle.loads(data)) for (data,) in rows]  # noqa: S301

    def extras(self, kind: str) -> Iterator[ImportedRecord]:
        for (data,) in self.db.execute(
            "SELECT data FROM extras WHERE kind = ? ORDER BY seq", (kind,)
        ):
            yield pickle.loads(data)  # noqa: S301

    def close(self) -> None:
        self.db.close()
        os.unlink(self.path)


def _comment(row: list[Any]) -> ImportedComment:
    if row[_CREATED] is not None:
        row[_CREATED] = datetime.fromisoformat(row[_CREATED])
    return ImportedComment(*row)


def staging_size(fp: IO[bytes]) -> int | None:
    try:
        here = fp.tell()
        end = fp.seek(0, 2)
        fp.seek(here)
        return end
    except (OSError, ValueError):
        return None


def staging_tell(fp: IO[bytes]) -> int:
    try:
        return fp.tell()
    except (OSError, ValueError):
        return 0
