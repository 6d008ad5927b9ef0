"""SQLite writers queue on a lock of the process and a lock file shared by processes
(threadline.db.sqlite3): no write is lost, no writer fails, and the lock never leaks."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection, transaction

from threadline.db.sqlite3.base import _writer_lock

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the writer lock is part of the SQLite backend"
)

WORKER = textwrap.dedent(
    """
    import os, sys, threading, django
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    django.setup()
    from django.db import connection, transaction

    class Boom(Exception):
        pass

    errors = []

    def work(n):
        try:
            for i in range(25):
                try:
                    with transaction.atomic():
                        with connection.cursor() as c:
                            c.execute("SELECT n FROM counter")
                            value = c.fetchone()[0]
                            c.execute("UPDATE counter SET n = %s", [value + 1])
                        if i % 7 == 3:
                            raise Boom  # rolled back: this increment must not count
                except Boom:
                    with transaction.atomic():
                        with connection.cursor() as c:
                            c.execute("UPDATE counter SET n = n + 1")
                if connection._holds_writer_lock:
                    raise AssertionError("writer lock kept after the transaction")
                if i % 10 == 9:
                    connection.close()
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("errors", errors)
    sys.exit(1 if errors else 0)
    """
)


def test_concurrent_writers_in_threads_and_processes_lose_nothing(tmp_path):
    import sqlite3

    db = tmp_path / "threadline.sqlite3"
    with sqlite3.connect(db) as raw:
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
        raw.execute("INSERT INTO counter VALUES (0)")
    env = {
        "PATH": "/usr/bin:/bin",
        "THREADLINE_DATA_DIR": str(tmp_path),
        "THREADLINE_DATABASE_URL": f"sqlite:///{db}",
        "THREADLINE_LOG_LEVEL": "WARNING",
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER],
            cwd=ROOT,
            env=env,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT n FROM counter").fetchone()[0] == 2 * 4 * 25
    assert (tmp_path / "threadline.sqlite3-writer").exists()


@pytest.mark.django_db(transaction=True)
def test_the_lock_is_held_for_a_write_transaction_and_released_after_it():
    lock, _ = _writer_lock(str(connection.settings_dict["NAME"]))
    with transaction.atomic():
        assert lock.locked()
        with transaction.atomic():  # a savepoint takes nothing more
            assert lock.locked()
    assert not lock.locked()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert lock.locked()
        raise ZeroDivisionError
    assert not lock.locked()
    with transaction.atomic():
        assert lock.locked()
        connection.close()
    assert not lock.locked()


@pytest.mark.parametrize(
    ("query", "params"),
    [
        ("SELECT %s, %s", [1, "a"]),
        ("SELECT '100%%', %s", [2]),
        ("SELECT %(a)s, %(b)s", {"a": 1, "b": 2}),
        ("SELECT 1", None),
    ],
)
@pytest.mark.django_db
def test_cursors_convert_placeholders_as_django_does(query, params):
    from django.db.backends.sqlite3.base import SQLiteCursorWrapper as Django

    with connection.cursor() as cursor:
        mine = cursor.cursor
        names = list(params) if isinstance(params, dict) else None
        for _ in range(2):  # the second answer comes from the cache
            assert mine.convert_query(query, param_names=names) == Django.convert_query(
                mine, query, param_names=names
            )
        cursor.execute(query, params)
        assert cursor.fetchone() is not None
