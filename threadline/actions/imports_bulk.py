"""Bulk writes for imports: comment rows as plain dicts inserted with ``executemany`` and
counters moved by increments, because the ORM's per-object cost (model instances, field
preparation) dominates at a million rows. Column list and value adaptation come from the
model's own fields, so a column added later is filled with its default."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache, partial
from typing import Any

from django.db import connection, models
from django.utils import timezone

from threadline.models import Comment, Commenter, CommentStatus, Site

BATCH = 2000
Column = tuple[str, str, Callable[[Any], Any] | None, Any]


@lru_cache(maxsize=16)
def _columns(model: type[models.Model], vendor: str, with_pk: bool) -> list[Column]:
    ops = connection.ops
    columns: list[Column] = []
    for f in model._meta.concrete_fields:
        if f.primary_key and not with_pk:
            continue
        convert: Callable[[Any], Any] | None = None
        if isinstance(f, models.DateTimeField):
            convert = ops.adapt_datetimefield_value
        elif isinstance(f, models.JSONField):
            convert = partial(f.get_db_prep_save, connection=connection)
        elif isinstance(f, models.GenericIPAddressField):
            convert = ops.adapt_ipaddressfield_value
        default = f.get_default()  # "" for text columns without one, as the ORM does
        columns.append((f.attname, f.column, convert, default))
    return columns


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
    columns = _columns(model, connection.vendor, with_pk)
    quote = connection.ops.quote_name
    # Table and column names come from the model; values are parameters.
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(c[1]) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
        + (" ON CONFLICT DO NOTHING" if ignore_conflicts else "")
    )
    params = []
    for row in rows:
        values = []
        for attname, _column, convert, default in columns:
            value = row.get(attname, default)
            values.append(convert(value) if convert is not None and value is not None else value)
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


def commenter_counts_add(rows: list[dict[str, Any]]) -> None:
    """Move each commenter's totals by the rows just inserted."""
    deltas: dict[int, list[int]] = {}
    for row in rows:
        if row.get("commenter_id"):
            d = deltas.setdefault(row["commenter_id"], [0, 0, 0])
            d[0] += 1
            d[1] += row["status"] == CommentStatus.PUBLISHED
            d[2] += row["status"] == CommentStatus.REJECTED
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
