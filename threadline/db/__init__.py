"""Every hand-written SQL statement, and the SQLite backend (``sqlite3``).

Owns the statements the ORM would compile too slowly on hot paths: prepared single-row
reads and inserts (``sqlfast``), the counters a post moves (``counters``), the one-query
checks asked on every post or thread read (``reads``), the inline rules' reads
(``recent``) and an import's bulk writes (``bulk``). Table and column names come from the
models' metadata; values are always parameters. (The SQL the importers run on files of
their own, an Isso database and the staging store, stays with them: it never touches
Threadline's database.)

May import Django, ``threadline.models`` and settings, nothing else of ``threadline``: it
holds no policy. What is written, and when, is decided by the callers in ``actions/``.
"""
