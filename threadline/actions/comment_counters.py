"""The counters a comment's status moves (story, ancestors, commenter) and its tree path,
written with prepared statements.

These run on every post. ORM ``update()`` calls compile their SQL each time, which cost
more than SQLite spends running them; the statements here are built once per database.
Increments are atomic in SQL (``x = x + %s``) inside the caller's transaction, so
concurrent posts never lose a count.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db import connections, router

from threadline import sqlfast
from threadline.models import Comment, Commenter, CommentStatus, Story


def _ancestor_ids(path: str) -> list[int]:
    return [int(seg) for seg in path.split("/")[:-1] if seg]


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


def count_status_change(
    comment: Comment, *, old: str | None, new: str, new_comment: bool = False
) -> int | None:
    """Keep story, ancestor and commenter counters in step with one status change, with
    atomic increments in the caller's transaction. Returns the story's new version, or None
    where the database cannot say it without another query."""
    published = (new == CommentStatus.PUBLISHED) - (old == CommentStatus.PUBLISHED)
    rejected = (new == CommentStatus.REJECTED) - (old == CommentStatus.REJECTED)
    using = router.db_for_write(Comment, instance=comment)
    sql = _sql(using)
    row = sqlfast.execute(
        sql.story, [published, comment.story_id], using=using, fetch=sql.story_returns
    )
    if published:
        ancestors = _ancestor_ids(comment.path)
        if ancestors:
            ids = ", ".join(["%s"] * len(ancestors))
            sqlfast.execute(sql.replies.format(ids=ids), [published, *ancestors], using=using)
    if comment.commenter_id and (published or rejected or new_comment):
        params = [int(new_comment), published, rejected, comment.commenter_id]
        sqlfast.execute(sql.commenter, params, using=using)
    return row[0] if sql.story_returns and row is not None else None


def path_set(comment: Comment, path: str) -> None:
    """Store the tree path of a comment just inserted (it ends with the comment's own id)."""
    comment.path = path
    using = router.db_for_write(Comment, instance=comment)
    sqlfast.execute(_sql(using).path, [path, comment.pk], using=using)
