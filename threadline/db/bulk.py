"""Bulk writes for imports: comment rows as plain dicts inserted with ``executemany`` and
counters moved by increments, because the ORM's per-object cost (model instances, field
preparation) dominates at a million rows. Column list and value adaptation come from the
model's own fields, so a column added later is filled with its default."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache, partial
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from threadline.models import Comment, Commenter, CommentStatus, Site, Story

BATCH = 2000
Column = tuple[str, str, Callable[[Any], Any] | None, Any]


def _sqlite_datetime(value: datetime) -> str:
    """What Django's SQLite backend stores for an aware datetime (naive UTC text), without
    its per-call settings lookups: this runs for every imported comment."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return str(value)


@lru_cache(maxsize=16)
def _columns(model: type[models.Model], vendor: str, with_pk: bool) -> list[Column]:
    ops = connection.ops
    columns: list[Column] = []
    for f in model._meta.concrete_fields:
        if f.primary_key and not with_pk:
            continue
        convert: Callable[[Any], Any] | None = None
        if isinstance(f, models.DateTimeField):
            convert = _sqlite_datetime if vendor == "sqlite" else ops.adapt_datetimefield_value
        elif isinstance(f, models.JSONField):
            convert = partial(f.get_db_prep_save, connection=connection)
        elif isinstance(f, models.GenericIPAddressField) and vendor != "sqlite":
            convert = ops.adapt_ipaddressfield_value  # SQLite stores the text as given
        assert f.column is not None  # a concrete field always has its column
        default = f.get_default()  # "" for text columns without one, as the ORM does
        columns.append((f.attname, f.column, convert, default))
    return columns


@lru_cache(maxsize=16)
def _insert_sql(model: type[models.Model], vendor: str, with_pk: bool, ignore: bool) -> str:
    columns = _columns(model, vendor, with_pk)
    quote = connection.ops.quote_name
    # Table and column names come from the model; values are parameters.
    return (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(c[1]) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
        + (" ON CONFLICT DO NOTHING" if ignore else "")
    )


def rows_insert(
    model: type[models.Model],
    rows: list[dict[str, Any]],
    *,
    with_pk: bool = True,
    ignore_conflicts: bool = False,
) -> None:
    """Insert rows (dicts by attribute name); missing columns get the field's default."""
    if not rows:
        return
    vendor = connection.vendor
    columns = _columns(model, vendor, with_pk)
    sql = _insert_sql(model, vendor, with_pk, ignore_conflicts)
    pairs = [(c[0], c[3]) for c in columns]
    converts = [(i, c[2]) for i, c in enumerate(columns) if c[2] is not None]
    empty_json = {i: convert([]) for i, convert in converts if isinstance(convert, partial)}
    params = []
    for row in rows:
        values = [row.get(attname, default) for attname, default in pairs]
        for i, convert in converts:
            value = values[i]
            if value is not None:
                # The empty list (most comments' moderation_reasons) converted once.
                values[i] = empty_json[i] if value == [] and i in empty_json else convert(value)
        params.append(values)
    with connection.cursor() as cur:
        for start in range(0, len(params), BATCH):
            cur.executemany(sql, params[start : start + BATCH])


def comments_insert(rows: list[dict[str, Any]]) -> None:
    """Insert comment rows (``id`` included: allocated beforehand)."""
    rows_insert(Comment, rows)


def commenters_ensure(
    *, site_id: int, wanted: dict[str, tuple[str, str]], cache: dict[str, int]
) -> dict[str, int]:
    """Commenter ids for keys (``key -> (display name, e-mail)``), creating missing ones.
    ``cache`` remembers ids across stories of one run (bounded by the caller)."""
    found = {k: cache[k] for k in wanted if k in cache}
    missing = [k for k in wanted if k not in found]
    if missing:
        found.update(_commenter_ids(site_id, missing))
    new = [k for k in missing if k not in found]
    if new:
        now = timezone.now()
        rows_insert(
            Commenter,
            [
                {
                    "site_id": site_id,
                    "key": k,
                    "display_name": wanted[k][0],
                    "email": wanted[k][1],
                    "created_at": now,
                }
                for k in new
            ],
            with_pk=False,
            ignore_conflicts=True,
        )
        found.update(_commenter_ids(site_id, new))
    cache.update(found)
    return found


def _commenter_ids(site_id: int, keys: list[str]) -> dict[str, int]:
    table = connection.ops.quote_name(Commenter._meta.db_table)
    found: dict[str, int] = {}
    with connection.cursor() as cur:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            cur.execute(
                f"SELECT key, id FROM {table} WHERE site_id = %s AND key IN "  # noqa: S608
                f"({', '.join(['%s'] * len(chunk))})",
                [site_id, *chunk],
            )
            found.update(cur.fetchall())
    return found


@contextmanager
def bigger_cache(pages_kib: int = 65536) -> Iterator[None]:
    """SQLite keeps 2 MB of pages by default; a bulk import touching a dozen indexes runs
    several times faster with 64 MB. Restored afterwards. No-op on PostgreSQL."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        before = cur.fetchone()[0]
        cur.execute(f"PRAGMA cache_size = -{int(pages_kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA cache_size = {int(before)}")


def replies_add(bumps: dict[int, int]) -> None:
    """Add replies counted below comments stored by an earlier import."""
    if not bumps:
        return
    table = connection.ops.quote_name(Comment._meta.db_table)
    with connection.cursor() as cur:
        cur.executemany(
            f"UPDATE {table} SET reply_count = reply_count + %s WHERE id = %s",  # noqa: S608
            [(n, pk) for pk, n in bumps.items()],
        )


def commenter_deltas(rows: list[dict[str, Any]]) -> dict[int, list[int]]:
    """What rows add to each commenter's (total, published, rejected)."""
    deltas: dict[int, list[int]] = {}
    for row in rows:
        if row.get("commenter_id"):
            d = deltas.setdefault(row["commenter_id"], [0, 0, 0])
            d[0] += 1
            d[1] += row["status"] == CommentStatus.PUBLISHED
            d[2] += row["status"] == CommentStatus.REJECTED
    return deltas


def counts_merge(into: dict[int, list[int]], deltas: dict[int, list[int]]) -> None:
    for pk, (t, p, r) in deltas.items():
        d = into.setdefault(pk, [0, 0, 0])
        d[0] += t
        d[1] += p
        d[2] += r


def commenter_counts_add(deltas: dict[int, list[int]]) -> None:
    """Move each commenter's totals by ``deltas`` (emptied)."""
    if not deltas:
        return
    table = connection.ops.quote_name(Commenter._meta.db_table)
    with connection.cursor() as cur:
        cur.executemany(
            f"UPDATE {table} SET comments_total = comments_total + %s, "  # noqa: S608
            "comments_published = comments_published + %s, "
            "comments_rejected = comments_rejected + %s WHERE id = %s",
            [(t, p, r, pk) for pk, (t, p, r) in deltas.items()],
        )
    deltas.clear()


def existing_by_external_id(
    site: Site, keys: set[str]
) -> dict[str, tuple[int, str, int, int | None]]:
    found: dict[str, tuple[int, str, int, int | None]] = {}
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        # exclude(""): lets the partial unique index on (site, external_id) serve the lookup
        for ext, pk, path, depth, root in (
            Comment.objects.filter(site=site, external_id__in=chunk)
            .exclude(external_id="")
            .values_list("external_id", "id", "path", "depth", "root_id")
        ):
            found[ext] = (pk, path, depth, root)
    return found


def allocate_ids(model: type, count: int) -> list[int]:
    """Reserve ``count`` primary keys so rows can carry their tree path when inserted.

    PostgreSQL draws from the sequence; SQLite takes the next ids under the write lock
    the (IMMEDIATE) transaction already holds.
    """
    if count == 0:
        return []
    table = model._meta.db_table  # type: ignore[attr-defined]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cur.fetchall()]
        cur.execute(f'SELECT MAX(id) FROM "{table}"')  # noqa: S608 (a model's table name)
        top = cur.fetchone()[0] or 0
        cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cur.fetchone()
        start = max(top, row[0] if row else 0) + 1
        return list(range(start, start + count))


def story_id_by_url(*, site_id: int, url: str) -> int | None:
    table = connection.ops.quote_name(Story._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT id FROM {table} WHERE site_id = %s AND url = %s",  # noqa: S608
            [site_id, url],
        )
        row = cur.fetchone()
    return row[0] if row else None


def story_count_update(story_id: int) -> None:
    """A story's published count recomputed (one statement, served by comment_story_top)."""
    story = connection.ops.quote_name(Story._meta.db_table)
    comment = connection.ops.quote_name(Comment._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {story} SET version = version + 1, comment_count = ("  # noqa: S608
            f"SELECT COUNT(*) FROM {comment} WHERE story_id = %s AND status = %s) "
            "WHERE id = %s",
            [story_id, CommentStatus.PUBLISHED.value, story_id],
        )


# What the import itself reads while it writes: duplicates (and re-runs) are caught by the
# unique external id, and each story's published count is read through comment_story_top.
KEEP_INDEXED = frozenset({"comment_unique_external_id", "comment_story_top"})
DEFER_FROM = 50_000  # comments: below this, maintaining the indexes costs little


@contextmanager
def comment_indexes_deferred(*, staged: int) -> Iterator[bool]:
    """On SQLite, for a large import into a table no larger than the import itself, drop
    the comment table's other indexes, write everything in ONE transaction, and build the
    indexes again at its end: building an index from sorted rows is many times cheaper
    than updating it for every row. Yields whether it did.

    Safe by construction: the DROPs are part of the transaction, so if the import fails
    (or the process dies) they are rolled back with everything else and the indexes are
    never missing. The cost is that the write lock is held for the whole import.
    Elsewhere (PostgreSQL, small imports, big existing tables) it does nothing.
    """
    if connection.vendor != "sqlite" or staged < DEFER_FROM:
        yield False
        return
    table = Comment._meta.db_table
    with connection.cursor() as cur:
        cur.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (a model's table name)
        if cur.fetchone()[0] > staged:  # rebuilding would cost more than it saves
            yield False
            return
    with transaction.atomic():
        dropped = _indexes_drop(table)
        try:
            yield True
        except BaseException:
            transaction.set_rollback(True)  # brings the dropped indexes back
            raise
        with connection.cursor() as cur:
            for sql in dropped:
                cur.execute(sql)


def _indexes_drop(table: str) -> list[str]:
    """Drop the table's secondary indexes (those not in KEEP_INDEXED); returns the SQL
    that creates them again."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL",
            [table],
        )
        found = [(name, sql) for name, sql in cur.fetchall() if name not in KEEP_INDEXED]
        for name, _sql in found:
            cur.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]
