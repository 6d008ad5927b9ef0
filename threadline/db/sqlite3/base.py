"""Django's SQLite backend, with write transactions queued on a lock.

SQLite lets one writer in at a time. A second writer asking with ``BEGIN IMMEDIATE`` is
put to sleep by SQLite's busy handler in steps of 1, 2, 5, 10, ... 100 ms and tries again,
so under concurrent posting a writer often sleeps long after the lock came free: the
posting rate falls and p99 latency climbs to hundreds of milliseconds.

Here a write transaction first takes a lock of this process (threads wake up the moment
it is released) and then an advisory lock on a file beside the database, which
serialises writers across web processes, tried every fraction of a millisecond. Only then
does it send ``BEGIN IMMEDIATE``, which therefore rarely waits. Both locks are let go when
the transaction ends (commit, rollback or a closed connection). Waiting is bounded by
the connection's ``timeout``; after that SQLite's own busy handling takes over as before.
Writers outside this backend (the sqlite3 shell, another program) are still handled by
SQLite's busy timeout.

Its cursors also remember how each statement's ``%s`` placeholders became SQLite's ``?``:
Django redoes that with a regular expression on every execution, about 5 % of a post's
CPU, for the same few statements again and again.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from functools import lru_cache
from typing import Any

from django.db.backends.sqlite3 import base

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows
    fcntl = None  # type: ignore[assignment]

_guard = threading.Lock()
_locks: dict[str, tuple[threading.Lock, int | None]] = {}


def _writer_lock(name: str) -> tuple[threading.Lock, int | None]:
    """The lock of this process for database file ``name``, and the descriptor of its lock
    file (None when there is no file to lock: in-memory databases, no fcntl)."""
    with _guard:
        found = _locks.get(name)
        if found is None:
            fd = None
            if (
                fcntl is not None
                and name
                and not name.startswith(":memory:")
                and "mode=memory" not in name
            ):
                try:
                    fd = os.open(f"{name}-writer", os.O_RDWR | os.O_CREAT, 0o600)
                except OSError:
                    fd = None
            found = _locks[name] = (threading.Lock(), fd)
        return found


@lru_cache(maxsize=4096)
def _qmark(query: str) -> str:
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class SQLiteCursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is None:
            return _qmark(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    _holds_writer_lock = False

    def create_cursor(self, name: str | None = None) -> Any:
        return self.connection.cursor(factory=SQLiteCursorWrapper)

    def _start_transaction_under_autocommit(self) -> None:
        self._writer_acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._writer_release()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._writer_release_if_done()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._writer_release_if_done()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._writer_release()

    def _writer_acquire(self) -> None:
        if self._holds_writer_lock:
            return
        lock, fd = _writer_lock(str(self.settings_dict["NAME"]))
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        deadline = time.monotonic() + timeout
        if not lock.acquire(timeout=timeout):
            return  # left to SQLite's busy timeout
        if fd is not None:
            pause = 0.0002
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        lock.release()
                        return
                    time.sleep(pause)
                    pause = min(pause * 2, 0.002)
                except OSError:
                    break  # no advisory locks here (some network file systems)
        self._holds_writer_lock = True

    def _writer_release_if_done(self) -> None:
        if self.connection is None or not self.connection.in_transaction:
            self._writer_release()

    def _writer_release(self) -> None:
        if not self._holds_writer_lock:
            return
        self._holds_writer_lock = False
        lock, fd = _writer_lock(str(self.settings_dict["NAME"]))
        if fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
        lock.release()
