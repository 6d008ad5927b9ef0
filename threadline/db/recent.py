"""The reads the inline rules make on every post, as hand-written SQL.

Each is one statement through ``connection.cursor()`` (so query logging and counting are
the ORM's): building the same query with the ORM costs more Python than the rest of a rule.
The SQL is plain enough for SQLite and PostgreSQL, and values go through the model fields'
own adaptation (``get_db_prep_value``), so a datetime or an address compares with the
stored column exactly as in an ORM filter. ``tests/db/test_recent.py`` checks each
against the ORM query it replaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from operator import itemgetter
from typing import Any

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper

from threadline.db import sqlfast
from threadline.models import Comment, CommentStatus


def _rows(using: str, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _when(connection: BaseDatabaseWrapper, value: datetime) -> Any:
    return Comment._meta.get_field("created_at").get_db_prep_value(value, connection)


def _address(connection: BaseDatabaseWrapper, value: str) -> Any:
    return Comment._meta.get_field("ip_address").get_db_prep_value(value, connection)


@cache
def _bodies_sql(using: str, exclude: bool, by_commenter: bool, by_ip: bool) -> str:
    table, body, status, created, pk, site, commenter, ip = sqlfast.quoted(
        using, Comment, "body", "status", "created_at", "pk", "site", "commenter", "ip_address"
    )
    live = f"NOT ({status} = %s) AND {created} >= %s" + (f" AND NOT ({pk} = %s)" if exclude else "")
    # One branch per index (site, commenter, address: each with created_at), each walking
    # its index newest first and stopping at the limit. An OR of the three, or the site
    # filter on the commenter's branch, makes SQLite walk all of the site's last day; the
    # unary plus keeps the site index out of the address's branch.
    branches = [f"{site} = %s"]
    if by_commenter:  # a commenter belongs to one site
        branches.append(f"{commenter} = %s")
    if by_ip:
        branches.append(f"{ip} = %s AND +{site} = %s")
    return " UNION ALL ".join(
        f"SELECT {i}, {body} FROM (SELECT {body} FROM {table} WHERE {live} AND {where} "  # noqa: S608
        f"ORDER BY {created} DESC LIMIT %s) AS branch{i}"
        for i, where in enumerate(branches)
    )


def recent_bodies(
    *,
    site_id: int,
    since: datetime,
    limit: int,
    commenter_id: int | None = None,
    ip: str | None = None,
    exclude_id: int | None = None,
) -> list[str]:
    """Bodies of the site's latest ``limit`` comments created since ``since`` and not
    deleted, then the commenter's latest ``limit``, then the address's latest ``limit`` on
    the site; each part newest first, repeats kept. ``exclude_id``: a comment to leave out."""
    using = router.db_for_read(Comment)
    connection = connections[using]
    live: list[Any] = [CommentStatus.DELETED.value, _when(connection, since)]
    if exclude_id is not None:
        live.append(exclude_id)
    params = [*live, site_id, limit]
    if commenter_id is not None:
        params += [*live, commenter_id, limit]
    if ip:
        params += [*live, _address(connection, ip), site_id, limit]
    sql = _bodies_sql(using, exclude_id is not None, commenter_id is not None, bool(ip))
    rows = _rows(using, sql, params)
    # UNION ALL promises no order: put the parts back in order, keeping each part's own.
    rows.sort(key=itemgetter(0))
    return [body for _, body in rows]


@cache
def _counts_sql(using: str, by_commenter: bool, by_ip: bool) -> str:
    table, site, created, commenter, ip = sqlfast.quoted(
        using, Comment, "site", "created_at", "commenter", "ip_address"
    )

    def count(column: str) -> str:
        # Walk this column's own (column, created_at) index, and stop at the cap: one busy
        # address (a bot, a newsroom's proxy) can have thousands of rows in the last minute,
        # and each costs a table lookup for the site. The unary plus keeps the site index
        # out of it.
        return (
            f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} WHERE {column} = %s "  # noqa: S608
            f"AND {created} >= %s AND +{site} = %s LIMIT %s) AS capped)"
        )

    mine = count(commenter) if by_commenter else "0"
    same_ip = count(ip) if by_ip else "0"
    return f"SELECT {mine}, {same_ip}"


def recent_counts(
    *,
    site_id: int,
    since: datetime,
    commenter_id: int | None,
    ip: str | None,
    at_most: int = 1_000_000,
) -> tuple[int, int]:
    """(comments by the commenter, comments from the address) on the site created since
    ``since``, deleted ones included, each counted up to ``at_most``; 0 for a missing
    commenter or address."""
    using = router.db_for_read(Comment)
    connection = connections[using]
    when = _when(connection, since)
    params: list[Any] = []
    if commenter_id is not None:
        params += [commenter_id, when, site_id, at_most]
    if ip:
        params += [_address(connection, ip), when, site_id, at_most]
    ((mine, same_ip),) = _rows(
        using, _counts_sql(using, commenter_id is not None, bool(ip)), params
    )
    return int(mine), int(same_ip)


@cache
def _statuses_sql(using: str, exclude: bool) -> str:
    table, pk, status, created, commenter = sqlfast.quoted(
        using, Comment, "pk", "status", "created_at", "commenter"
    )
    skip = f" AND NOT ({pk} = %s)" if exclude else ""
    return (
        f"SELECT {status} FROM {table} WHERE {commenter} = %s{skip} "  # noqa: S608
        f"ORDER BY {created} DESC LIMIT %s"
    )


def latest_statuses(*, commenter_id: int, limit: int, exclude_id: int | None = None) -> list[str]:
    """Statuses of the commenter's latest ``limit`` comments (other than ``exclude_id``),
    newest first."""
    using = router.db_for_read(Comment)
    params: list[Any] = [commenter_id] + ([] if exclude_id is None else [exclude_id])
    rows = _rows(using, _statuses_sql(using, exclude_id is not None), [*params, limit])
    return [status for (status,) in rows]
