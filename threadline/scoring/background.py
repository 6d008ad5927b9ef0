"""Heavier scorers (``THREADLINE_BACKGROUND_SCORERS``, e.g. ``minilm.MiniLMScorer``) run after
commit as a job, so posting stays fast; they may still move a published comment into review.

``decision_record`` asks for a re-scoring of each comment published by the inline
pipeline; ``threadline.delivery.jobs`` queues ``rescore_comment_job`` for it when background scorers
are configured. The job re-fetches the comment and hands it to the ``comment_rescore``
action, which re-checks its state.
"""

from __future__ import annotations

from django.conf import settings


def background_scorers() -> tuple[str, ...]:
    return tuple(s for s in settings.THREADLINE.get("BACKGROUND_SCORERS", ()) if s)
