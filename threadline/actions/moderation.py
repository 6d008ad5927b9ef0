"""The moderation pipeline: run the scorers, apply the policy, record the decision.

The policy itself (scores in, one decision out) is pure and lives in
``threadline.scoring.policy``; this module runs it the one way every caller shares —
posting and editing, background re-scoring and the desk's backtest — so that what the
backtest shows is what posting does.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from threadline import errors
from threadline.db import sqlfast
from threadline.delivery import events
from threadline.domain.text import plain_text
from threadline.models import Comment, Commenter, ModerationAction, ModerationEvent, Site
from threadline.scoring.base import Score, Scorer, ScoringContext, Verdict, load_scorers
from threadline.scoring.policy import MODEL_SCORERS, Decision, decide, premoderation_reason

# What ``decision_record`` asks the background scorers to do with a published comment
# (handled by threadline.delivery.jobs, which actions do not import).
RESCORE = "rescore"


def comment_score(
    *, ctx: ScoringContext, scorers: Sequence[Scorer] | None = None, premoderate: bool = True
) -> Decision:
    """Run ``scorers`` (default: the configured inline ones) over a comment in order and
    apply the site's policy. A cascade: the model scorers (``MODEL_SCORERS``, the costly
    ones, listed last) are skipped once a score says ``skip_model`` (a trusted commenter)
    or once a rule before them has already held or rejected the comment, so the transformer
    reads only the comments the rules leave undecided. Each scorer sees the scores before
    it in ``ctx.earlier``. ``premoderate=False`` leaves the site's pre-moderation out
    (re-scoring a comment already published). No writes."""
    if scorers is None:
        scorers = load_scorers(tuple(settings.THREADLINE["SCORERS"]))
    scores: list[Score] = []
    skip_model = False
    for scorer in scorers:
        if skip_model and scorer.name in MODEL_SCORERS:
            continue
        ctx.earlier = scores
        result = scorer.score(ctx)
        scores.append(result)
        skip_model = skip_model or result.skip_model or result.verdict >= Verdict.HOLD
    premoderation = premoderation_reason(ctx) if premoderate else None
    return decide(site=ctx.site, scores=scores, premoderation=premoderation)


def stored_context(
    *, comment: Comment, site: Site | None = None, now: datetime | None = None
) -> ScoringContext:
    """The scoring context of a comment already stored, scored as an edit of itself (so it
    is not counted against its author twice). ``site`` may be an unsaved variant of the
    comment's site (the backtest's what-if settings); ``now`` defaults to the present."""
    return ScoringContext(
        site=site or comment.site,
        story=comment.story,
        body=comment.body,
        text=plain_text(comment.body),
        commenter=comment.commenter,
        comment_id=comment.pk,
        is_edit=True,
        now=now or timezone.now(),
    )


def decision_record(
    *, comment: Comment, decision: Decision, source: str = "pipeline"
) -> ModerationEvent:
    """Write the pipeline's decision as an audit row (inside the caller's transaction) and,
    for a published comment, ask for the background scorers (queued after commit by
    ``threadline.delivery.jobs``, when any are configured)."""
    # One row per post: a prepared INSERT (sqlfast) rather than a compiled one.
    event = sqlfast.insert(
        ModerationEvent(
            site_id=comment.site_id,
            comment=comment,
            commenter_id=comment.commenter_id,
            source=source,
            action=decision.action,
            reasons=decision.reasons,
            scores=decision.scores_json(),
            model_version=decision.model_version,
        )
    )
    if decision.action == ModerationAction.PUBLISH and source.startswith("pipeline"):
        events.follow_up(kind=RESCORE, object_id=comment.pk)
    return event


def commenter_is_banned(*, commenter: Commenter, now: datetime | None = None) -> bool:
    if commenter.banned_forever:
        return True
    until = commenter.banned_until
    return until is not None and until > (now or timezone.now())


def ban_terms(*, until: datetime | None, message: str = "") -> dict[str, Any]:
    """What a refused writer is told of their ban (``BannedError.data``): until when, or
    that it is for good, and the moderator's message when there is one."""
    terms: dict[str, Any] = {"permanent": until is None, "until": until and until.isoformat()}
    if message:
        terms["message"] = message
    return terms


def commenter_ban_check(*, commenter: Commenter | None) -> None:
    """Refuse a banned commenter's post with the ban's terms; a shadow ban refuses nothing
    (``commenter_is_shadow_banned``: the post is kept from everyone but its writer)."""
    if commenter is None or not commenter_is_banned(commenter=commenter) or commenter.ban_shadow:
        return
    until = None if commenter.banned_forever else commenter.banned_until
    raise errors.BannedError(
        commenter.ban_message or None, data=ban_terms(until=until, message=commenter.ban_message)
    )


def commenter_is_shadow_banned(*, commenter: Commenter | None) -> bool:
    return (
        commenter is not None and commenter.ban_shadow and commenter_is_banned(commenter=commenter)
    )
