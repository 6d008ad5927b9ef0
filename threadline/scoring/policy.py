"""The moderation policy: scores in, one decision out. Pure: no queries, no writes.

Scorers only measure; this module alone decides, so swapping a scorer never changes
policy. ``threadline.actions.moderation`` runs the scorers and records what is decided here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from threadline import errors
from threadline.scoring.base import Score, ScoringContext, Verdict
from threadline.scoring.links import count_links

if TYPE_CHECKING:
    from threadline.models import CommentStatus, ModerationAction, Site

# Scorers whose value is a probability of toxicity, compared with the site's thresholds;
# trusted commenters skip them (``Score.skip_model``).
MODEL_SCORERS = frozenset({"toxicity", "minilm", "perspective", "semantic"})
# Rules that judge the words themselves: when one holds a comment, its writer is asked to
# think twice as for a high model score (the words it found are the explanation).
CONTENT_SCORERS = frozenset({"suspect_words", "profanity", "threats", "insults", "group_hate"})
CONFIRMED_REASON = "Sent anyway after a 'think twice' warning"


@cache
def _choices() -> tuple[dict[Verdict, ModerationAction], dict[ModerationAction, CommentStatus]]:
    # The choices live beside the models: imported on first use, so that this module loads
    # without Django's app registry.
    from threadline.models import CommentStatus, ModerationAction

    actions = {
        Verdict.PASS: ModerationAction.PUBLISH,
        Verdict.HOLD: ModerationAction.HOLD,
        Verdict.REJECT: ModerationAction.REJECT,
    }
    statuses = {
        ModerationAction.PUBLISH: CommentStatus.PUBLISHED,
        ModerationAction.HOLD: CommentStatus.PENDING,
        ModerationAction.REJECT: CommentStatus.REJECTED,
    }
    return actions, statuses


@dataclass
class Decision:
    action: ModerationAction  # PUBLISH, HOLD or REJECT
    reasons: list[str] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    toxicity: float | None = None
    warn: bool = False  # above the site's warning threshold: the "think twice" nudge

    @property
    def status(self) -> CommentStatus:
        return _choices()[1][self.action]

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


def premoderation_reason(ctx: ScoringContext) -> str | None:
    """Why the story's (or else the site's) pre-moderation holds this comment, if it does."""
    mode = ctx.story.premoderation or ctx.site.premoderation
    commenter = ctx.commenter
    if commenter is not None and commenter.always_premoderate:
        return "Commenter is always pre-moderated"
    # PremoderationMode values, compared as strings (TextChoices are str).
    if mode == "all":
        return "Pre-moderation: all comments"
    if mode == "new" and (commenter is None or commenter.comments_published == 0):
        return "Pre-moderation: new commenter"
    if mode == "links" and count_links(ctx.body) > 0:
        return "Pre-moderation: comment with a link"
    return None


def _model_verdict(site: Site, value: float) -> Verdict:
    if value >= site.reject_threshold:
        return Verdict.REJECT
    if value >= site.hold_threshold:
        return Verdict.HOLD
    return Verdict.PASS


def decide(*, site: Site, scores: list[Score], premoderation: str | None = None) -> Decision:
    """The policy: the strongest verdict wins; model scores are compared to site thresholds.

    A model score at or above ``site.warn_threshold``, or a rule on the words themselves
    (``CONTENT_SCORERS``) holding the comment, sets ``Decision.warn`` (the nudge: the
    writer may rephrase; the model is skipped once a rule holds, see ``comment_score``);
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
    warn = (toxicity is not None and toxicity >= site.warn_threshold) or any(
        s.scorer in CONTENT_SCORERS and s.verdict >= Verdict.HOLD for s in scores
    )
    reasons = list(dict.fromkeys(r for r in reasons if r))
    action = _choices()[0][verdict]
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
    # The shipped models read plainly ("Toxic 0.93"); an optional one is named.
    label = "Toxic" if score.scorer in ("toxicity", "semantic") else f"Toxic ({score.scorer})"
    return f"{label} {score.value:.2f}"


def check_nudge(*, site: Site, decision: Decision, confirm: bool) -> None:
    """The "think twice" prompt, for a comment whose model score reached the site's warning
    threshold (``site.nudge_enabled``; never for a comment rejected anyway).

    Without ``confirm``: raise ``needs_confirmation`` with the reasons; nothing is stored.
    With ``confirm``: the comment is held for review even when its score is below the hold
    threshold; ``decision`` is changed in place (action HOLD, reasons extended)."""
    actions = _choices()[0]
    if not (site.nudge_enabled and decision.warn) or decision.action == actions[Verdict.REJECT]:
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
    decision.action = actions[Verdict.HOLD]
    decision.reasons[:] = list(dict.fromkeys([*decision.reasons, *toxic, CONFIRMED_REASON]))
