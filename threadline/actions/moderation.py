"""The moderation policy: scores in, one decision out, recorded as a ModerationEvent.

Scorers (``threadline.scoring``) only measure; this module alone decides, so swapping a
scorer never changes policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from threadline import errors
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
from threadline.scoring.base import Score, ScoringContext, Verdict, load_scorers
from threadline.scoring.links import count_links


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
            s.scorer: {"value": round(s.value, 4), "verdict": s.verdict.name.lower(),
                       "reasons": list(s.reasons), "explanation": list(s.explanation)}
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


def decide(*, site: Site, scores: list[Score], premoderation: str | None = None) -> Decision:
    """The policy: the strongest verdict wins; model scores are compared to site thresholds."""
    verdict = Verdict.PASS
    reasons: list[str] = []
    toxicity = None
    for s in scores:
        v = s.verdict
        if getattr(s, "scorer", "") == "toxicity":
            toxicity = s.value
            if s.value >= site.reject_threshold:
                v = Verdict.REJECT
            elif s.value >= site.hold_threshold:
                v = Verdict.HOLD
            else:
                v = Verdict.PASS
            if v is not Verdict.PASS:
                reasons.append(f"Toxic {s.value:.2f}")
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
    return Decision(action=action, reasons=reasons, scores=scores, toxicity=toxicity, warn=warn)


def check_nudge(*, site: Site, decision: Decision, confirm: bool) -> None:
    """The "think twice" prompt: refuse once, with the reasons, unless the reader confirmed."""
    if site.nudge_enabled and decision.warn and not confirm and decision.action != ModerationAction.REJECT:
        raise errors.NeedsConfirmationError(
            data={"reasons": decision.reasons or ["Toxic language"],
                  "explanation": [w for s in decision.scores for w in s.explanation][:10]}
        )


def decision_record(*, comment: Comment, decision: Decision, source: str = "pipeline") -> ModerationEvent:
    """Write the pipeline's decision as an audit row (inside the caller's transaction)."""
    return ModerationEvent.objects.create(
        site_id=comment.site_id, comment=comment, commenter_id=comment.commenter_id,
        source=source, action=decision.action, reasons=decision.reasons,
        scores=decision.scores_json(), model_version=decision.model_version,
    )


def commenter_ban_check(*, commenter: Commenter | None) -> None:
    if commenter is None:
        return
    if commenter.banned_forever or (
        commenter.banned_until is not None and commenter.banned_until > timezone.now()
    ):
        raise errors.BannedError(commenter.ban_message or None)
