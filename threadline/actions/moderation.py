"""The moderation policy: scores in, one decision out, recorded as a ModerationEvent.

Scorers (``threadline.scoring``) only measure; this module alone decides, so swapping a
scorer never changes policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from threadline import errors, sqlfast
from threadline.models import (
    Comment,
    Commenter,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
    PremoderationMode,
    Site,
    Story,
)
from threadline.scoring import background
from threadline.scoring.base import Score, ScoringContext, Verdict, load_scorers
from threadline.scoring.links import count_links
from threadline.text import plain_text


@dataclass
class Decision:
    action: ModerationAction  # PUBLISH, HOLD or REJECT
    reasons: list[str] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    toxicity: float | None = None
    warn: bool = False  # above the site's warning threshold: the "think twice" nudge

    @property
    def status(self) -> CommentStatus:
        return {
            ModerationAction.PUBLISH: CommentStatus.PUBLISHED,
            ModerationAction.HOLD: CommentStatus.PENDING,
            ModerationAction.REJECT: CommentStatus.REJECTED,
        }[self.action]

    @property
    def model_version(self) -> str:
        return ",".join(sorted({s.version for s in self.scores if s.version}))

    def scores_json(self) -> dict[str, Any]:
        return {
            s.scorer: {
                "value": round(s.value, 4),
                "verdict": s.verdict.name.lower(),
                "reasons": list(s.reasons),
                "explanation": list(s.explanation),
            }
            for s in self.scores
        }


def _premoderation_mode(story: Story, site: Site) -> str:
    return story.premoderation or site.premoderation


def _premoderation_reason(ctx: ScoringContext) -> str | None:
    mode = _premoderation_mode(ctx.story, ctx.site)
    commenter = ctx.commenter
    if commenter is not None and commenter.always_premoderate:
        return "Commenter is always pre-moderated"
    if mode == PremoderationMode.ALL:
        return "Pre-moderation: all comments"
    if mode == PremoderationMode.NEW and (commenter is None or commenter.comments_published == 0):
        return "Pre-moderation: new commenter"
    if mode == PremoderationMode.LINKS and count_links(ctx.body) > 0:
        return "Pre-moderation: comment with a link"
    return None


def comment_score(*, ctx: ScoringContext) -> Decision:
    """Run every configured scorer over a new or edited comment and apply the site's policy."""
    scorers = load_scorers(tuple(settings.THREADLINE["SCORERS"]))
    scores: list[Score] = []
    skip_model = False
    for scorer in scorers:
        if skip_model and getattr(scorer, "is_model", False):
            continue
        ctx.earlier = scores
        result = scorer.score(ctx)
        scores.append(result)
        skip_model = skip_model or result.skip_model
    return decide(site=ctx.site, scores=scores, premoderation=_premoderation_reason(ctx))


# Scorers whose value is a probability of toxicity, compared with the site's thresholds.
MODEL_SCORERS = frozenset({"toxicity", "minilm", "perspective"})
CONFIRMED_REASON = "Sent anyway after a 'think twice' warning"


def _model_verdict(site: Site, value: float) -> Verdict:
    if value >= site.reject_threshold:
        return Verdict.REJECT
    if value >= site.hold_threshold:
        return Verdict.HOLD
    return Verdict.PASS


def decide(*, site: Site, scores: list[Score], premoderation: str | None = None) -> Decision:
    """The policy: the strongest verdict wins; model scores are compared to site thresholds.

    A model score at or above ``site.warn_threshold`` sets ``Decision.warn`` (the nudge);
    ``toxicity`` is the highest model score."""
    verdict = Verdict.PASS
    reasons: list[str] = []
    toxicity = None
    for s in scores:
        v = s.verdict
        if s.scorer in MODEL_SCORERS:
            toxicity = s.value if toxicity is None else max(toxicity, s.value)
            v = max(v, _model_verdict(site, s.value))
            if v is not Verdict.PASS:
                reasons.append(_toxic_reason(s) if s.value >= site.hold_threshold else "")
                reasons.extend(s.reasons)
        elif v is not Verdict.PASS:
            reasons.extend(s.reasons)
        verdict = max(verdict, v)
    if premoderation and verdict < Verdict.HOLD:
        verdict = Verdict.HOLD
    if premoderation:
        reasons.append(premoderation)
    action = {
        Verdict.PASS: ModerationAction.PUBLISH,
        Verdict.HOLD: ModerationAction.HOLD,
        Verdict.REJECT: ModerationAction.REJECT,
    }[verdict]
    warn = toxicity is not None and toxicity >= site.warn_threshold
    reasons = list(dict.fromkeys(r for r in reasons if r))
    return Decision(action=action, reasons=reasons, scores=scores, toxicity=toxicity, warn=warn)


_SCORE = re.compile(r"\s*\d+(\.\d+)?\s*$")
_COUNT = re.compile(r"\s*\([^)]*\d[^)]*\)")


def public_reasons(reasons: list[str]) -> list[str]:
    """Reasons as the writer sees them: what held the comment, without the model's numbers
    or the rules' counts, which would only help someone tune their wording around them.
    Moderators see the full reasons in the desk."""
    out = []
    for reason in reasons:
        if reason.startswith("Toxic"):
            reason = "Toxic language"
        out.append(_COUNT.sub("", _SCORE.sub("", reason)))
    return list(dict.fromkeys(r for r in out if r))


def _toxic_reason(score: Score) -> str:
    label = "Toxic" if score.scorer == "toxicity" else f"Toxic ({score.scorer})"
    return f"{label} {score.value:.2f}"


def check_nudge(*, site: Site, decision: Decision, confirm: bool) -> None:
    """The "think twice" prompt, for a comment whose model score reached the site's warning
    threshold (``site.nudge_enabled``; never for a comment rejected anyway).

    Without ``confirm``: raise ``needs_confirmation`` with the reasons; nothing is stored.
    With ``confirm``: the comment is held for review even when its score is below the hold
    threshold; ``decision`` is changed in place (action HOLD, reasons extended)."""
    if not (site.nudge_enabled and decision.warn) or decision.action == ModerationAction.REJECT:
        return
    toxic = [
        _toxic_reason(s)
        for s in decision.scores
        if s.scorer in MODEL_SCORERS and s.value >= site.warn_threshold
    ]
    if not confirm:
        raise errors.NeedsConfirmationError(
            data={
                "reasons": public_reasons(list(dict.fromkeys(toxic + decision.reasons)))
                or ["Toxic language"],
                "explanation": [w for s in decision.scores for w in s.explanation][:10],
            }
        )
    decision.action = ModerationAction.HOLD
    decision.reasons[:] = list(dict.fromkeys([*decision.reasons, *toxic, CONFIRMED_REASON]))


def decision_record(
    *, comment: Comment, decision: Decision, source: str = "pipeline"
) -> ModerationEvent:
    """Write the pipeline's decision as an audit row (inside the caller's transaction) and,
    for a published comment, queue the background scorers (after commit, if configured)."""
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
        background.schedule(comment.pk)
    return event


BACKGROUND_SOURCE = "pipeline:background"


def comment_rescore(*, comment: Comment, scorer_paths: tuple[str, ...]) -> str:
    """Run background scorers over a comment the inline pipeline published, and move it to
    review (HOLD, never reject) when the site's policy says so. Re-checks the state: a
    comment no longer published, or edited since, is left alone. Writes one audit row with
    the scores when it holds; nothing otherwise. Returns "held", "kept" or "skipped: why"."""
    from threadline.actions.comments import comment_set_status
    from threadline.models import CommentStatus

    if comment.status != CommentStatus.PUBLISHED:
        return f"skipped: {comment.status}"
    ctx = ScoringContext(
        site=comment.site,
        story=comment.story,
        body=comment.body,
        text=plain_text(comment.body),
        commenter=comment.commenter,
        comment_id=comment.pk,
        is_edit=True,
        now=timezone.now(),
    )
    scores = [scorer.score(ctx) for scorer in load_scorers(scorer_paths)]
    decision = decide(site=comment.site, scores=scores)
    if decision.action == ModerationAction.PUBLISH:
        return "kept"
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if current.status != CommentStatus.PUBLISHED or current.body != comment.body:
            return "skipped: changed"
        comment_set_status(
            comment=current,
            status=CommentStatus.PENDING,
            action=ModerationAction.HOLD,
            source=BACKGROUND_SOURCE,
            reasons=decision.reasons,
        )
        ModerationEvent.objects.filter(pk=current.events.latest("id").pk).update(
            scores=decision.scores_json(), model_version=decision.model_version
        )
    return "held"


def commenter_ban_check(*, commenter: Commenter | None) -> None:
    if commenter is None:
        return
    if commenter.banned_forever or (
        commenter.banned_until is not None and commenter.banned_until > timezone.now()
    ):
        raise errors.BannedError(commenter.ban_message or None)
