"""The counters a comment's status moves (story, ancestors, commenter) and its tree path.

These run on every post, so the statements are prepared ones (``threadline.db.counters``);
what moves, and by how much, is decided here.
"""

from __future__ import annotations

from django.db import router

from threadline.db import counters
from threadline.models import Comment, CommentStatus


def _ancestor_ids(path: str) -> list[int]:
    return [int(seg) for seg in path.split("/")[:-1] if seg]


def count_status_change(
    comment: Comment, *, old: str | None, new: str, new_comment: bool = False
) -> int | None:
    """Keep story, ancestor and commenter counters in step with one status change, with
    atomic increments in the caller's transaction. Returns the story's new version, or None
    where the database cannot say it without another query."""
    published = (new == CommentStatus.PUBLISHED) - (old == CommentStatus.PUBLISHED)
    rejected = (new == CommentStatus.REJECTED) - (old == CommentStatus.REJECTED)
    using = router.db_for_write(Comment, instance=comment)
    version = counters.story_count_add(using=using, story_id=comment.story_id, published=published)
    if published:
        ancestors = _ancestor_ids(comment.path)
        if ancestors:
            counters.reply_counts_add(using=using, comment_ids=ancestors, delta=published)
    if comment.commenter_id and (published or rejected or new_comment):
        counters.commenter_totals_add(
            using=using,
            commenter_id=comment.commenter_id,
            total=int(new_comment),
            published=published,
            rejected=rejected,
        )
    return version


def path_set(comment: Comment, path: str) -> None:
    """Store the tree path of a comment just inserted (it ends with the comment's own id)."""
    comment.path = path
    using = router.db_for_write(Comment, instance=comment)
    counters.comment_path_set(using=using, comment_id=comment.pk, path=path)
