"""The counter statements a post runs (story, ancestors, commenter) and the tree path.

ORM ``update()`` calls compile their SQL each time, which cost more than SQLite spends
running them; these statements are built once per database from the models' metadata.
Increments are atomic in SQL (``x = x + %s``) inside the caller's transaction, so
concurrent posts never lose a count. ``actions/comment_counters.py`` decides what moves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from django.db import connections

from threadline.db import sqlfast
from threadline.models import Comment, Commenter, Story


@dataclass(frozen=True)
class _Statements:
    path: str
    story: str  # RETURNING the new version where the database can
    story_returns: bool
    replies: str  # {ids}: one placeholder per ancestor
    commenter: str


@cache
def _sql(using: str) -> _Statements:
    """The counter statements for one database; names come from the models."""
    connection = connections[using]
    # UPDATE ... RETURNING: SQLite 3.35+ (as INSERT ... RETURNING) and PostgreSQL.
    returns = connection.vendor in ("sqlite", "postgresql") and (
        connection.features.can_return_columns_from_insert
    )
    comment, path, id_, reply_count = sqlfast.quoted(using, Comment, "path", "id", "reply_count")
    story, count, version, story_id = sqlfast.quoted(using, Story, "comment_count", "version", "id")
    commenter, c_id, total, published, rejected = sqlfast.quoted(
        using, Commenter, "id", "comments_total", "comments_published", "comments_rejected"
    )
    # Table and column names come from the models; values are parameters.
    return _Statements(
        path=f"UPDATE {comment} SET {path} = %s WHERE {id_} = %s",  # noqa: S608
        story=f"UPDATE {story} SET {count} = {count} + %s, {version} = {version} + 1 "  # noqa: S608
        f"WHERE {story_id} = %s" + (f" RETURNING {version}" if returns else ""),
        story_returns=returns,
        replies=f"UPDATE {comment} SET {reply_count} = {reply_count} + %s "  # noqa: S608
        f"WHERE {id_} IN ({{ids}})",
        commenter=f"UPDATE {commenter} SET {total} = {total} + %s, "  # noqa: S608
        f"{published} = {published} + %s, {rejected} = {rejected} + %s WHERE {c_id} = %s",
    )


def story_count_add(*, using: str, story_id: int, published: int) -> int | None:
    """Add ``published`` to the story's comment count and move its version on. Returns the
    new version, or None where the database cannot return it from the UPDATE."""
    sql = _sql(using)
    row = sqlfast.execute(sql.story, [published, story_id], using=using, fetch=sql.story_returns)
    return row[0] if sql.story_returns and row is not None else None


def reply_counts_add(*, using: str, comment_ids: Sequence[int], delta: int) -> None:
    """Add ``delta`` to the reply count of each comment in ``comment_ids`` (not empty)."""
    ids = ", ".join(["%s"] * len(comment_ids))
    sqlfast.execute(_sql(using).replies.format(ids=ids), [delta, *comment_ids], using=using)


def commenter_totals_add(
    *, using: str, commenter_id: int, total: int, published: int, rejected: int
) -> None:
    """Move a commenter's total, published and rejected counts by the given amounts."""
    params = [total, published, rejected, commenter_id]
    sqlfast.execute(_sql(using).commenter, params, using=using)


def comment_path_set(*, using: str, comment_id: int, path: str) -> None:
    """Store a comment's tree path."""
    sqlfast.execute(_sql(using).path, [path, comment_id], using=using)
