"""Heavier scorers (``THREADLINE_BACKGROUND_SCORERS``, e.g. ``minilm.MiniLMScorer``) run after
commit as a job, so posting stays fast; they may still move a published comment into review.

``decision_record`` enqueues ``rescore_comment_job`` for each comment published by the
inline pipeline when background scorers are configured. The job re-fetches the comment
and hands it to the ``comment_rescore`` action, which re-checks its state.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings


def background_scorers() -> tuple[str, ...]:
    return tuple(s for s in settings.THREADLINE.get("BACKGROUND_SCORERS", ()) if s)


def rescore_comment(comment_id: int) -> str:
    """Run the background scorers over one comment; returns what happened ("held",
    "kept", "skipped: ...")."""
    from threadline.actions.moderation import comment_rescore
    from threadline.models import Comment

    comments = Comment.objects.select_related("site", "story", "commenter")
    comment = comments.filter(pk=comment_id).first()
    if comment is None:
        return "skipped: gone"
    return comment_rescore(comment=comment, scorer_paths=background_scorers())


@shared_task(name="threadline.scoring.background.rescore_comment_job", acks_late=True)
def rescore_comment_job(comment_id: int) -> str:
    return rescore_comment(comment_id)


def schedule(comment_id: int) -> None:
    """Queue the background rescoring of a comment after the transaction commits."""
    if background_scorers():
        from threadline.jobs import enqueue

        enqueue(rescore_comment_job, comment_id)
