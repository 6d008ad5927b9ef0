"""What moderators (and reader flags) do to comments already posted."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from threadline import errors
from threadline.actions.comments import comment_set_status
from threadline.actions.moderation import comment_score, stored_context
from threadline.actions.stories import story_touch
from threadline.delivery import events
from threadline.models import (
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    ModerationAction,
    ModerationEvent,
    Site,
)
from threadline.scoring.base import Scorer, load_scorers
from threadline.scoring.policy import MODEL_SCORERS, Decision

# The EU DSA statement-of-reasons categories a rejection is filed under.
REJECT_REASONS = {
    "illegal_hate_speech": "Illegal hate speech",
    "violence": "Violence or threat",
    "harassment": "Harassment",
    "spam": "Spam",
    "off_topic": "Off-topic",
    "other": "Other",
}
# Which DSA category a pipeline scorer's hold points to, for the desk's default reason;
# scorers missing here (trust, shouting, profanity, the publisher's own banned words) say
# too little about why, and leave the choice to the moderator.
SCORER_REASONS = {
    "group_hate": "illegal_hate_speech",
    "threats": "violence",
    "insults": "harassment",
    "suspect_words": "harassment",
    "links": "spam",
    "duplicate": "spam",
    "velocity": "spam",
}
# A model's score says "toxic", which on a news site is most often aimed at someone.
MODEL_REASON = "harassment"
FLAG_REASONS: dict[str, str] = {
    FlagReason.HATE: "illegal_hate_speech",
    FlagReason.THREAT: "violence",
    FlagReason.ABUSE: "harassment",
    FlagReason.SPAM: "spam",
    FlagReason.OFF_TOPIC: "off_topic",
}
# The most serious category found wins.
_SEVERITY = list(REJECT_REASONS)


def reject_reason_suggested(
    *, site: Site, scores: Mapping[str, Any], flag_reasons: Sequence[str] = ()
) -> str:
    """The REJECT_REASONS code the pipeline's latest ``scores`` point to (``{scorer: {value,
    verdict}}`` as stored on the decision), else the readers' reports; "" when neither says.
    A rule counts when it did not pass; a model when its score reached the site's warning
    threshold. Pure: no queries."""
    found = []
    for name, data in scores.items():
        if not isinstance(data, dict):
            continue
        if name in MODEL_SCORERS:
            if float(data.get("value") or 0.0) >= site.warn_threshold:
                found.append(MODEL_REASON)
        elif name in SCORER_REASONS and data.get("verdict", "pass") != "pass":
            found.append(SCORER_REASONS[name])
    if not found:
        found = [FLAG_REASONS[r] for r in flag_reasons if r in FLAG_REASONS]
    return min(found, key=_SEVERITY.index) if found else ""


def comment_hold_for_flags(*, comment: Comment) -> Comment:
    """Send a published comment back to review once enough distinct readers flagged it.
    Only open reports count: those a moderator resolved by approving it are answered."""
    if comment.status != CommentStatus.PUBLISHED:
        return comment
    open_flags = Flag.objects.filter(comment=comment, resolved=False).count()
    if open_flags >= comment.site.flag_hold_count:
        return comment_set_status(
            comment=comment,
            status=CommentStatus.PENDING,
            action=ModerationAction.HOLD,
            source="flags",
            reasons=[f"Flagged ×{open_flags}"],
        )
    return comment


def _reports_resolve(comment: Comment) -> list[str]:
    """Resolve the comment's open reader reports; what they were, for the audit row."""
    flags = Flag.objects.filter(comment=comment, resolved=False)
    counts = Counter(FlagReason(reason).label for reason in flags.values_list("reason", flat=True))
    flags.update(resolved=True)
    return [f"Reports resolved: {label} ×{n}" for label, n in sorted(counts.items())]


def comment_approve(*, comment: Comment, actor: User | None) -> Comment:
    """Publish a held (or rejected) comment, or keep a reported one published; either way
    its open reader reports are resolved, so it leaves the Reported queue and only new
    reports can hold it again. One audit row (APPROVE), naming the reports it resolved;
    the live event and cache bump follow the status change after commit, as for any."""
    with transaction.atomic():
        resolved = _reports_resolve(comment)
        return comment_set_status(
            comment=comment,
            status=CommentStatus.PUBLISHED,
            action=ModerationAction.APPROVE,
            actor_user=actor,
            reasons=resolved,
        )


def comment_reject(
    *, comment: Comment, actor: User | None, reason_code: str = "other", note: str = ""
) -> Comment:
    """Remove a comment from the page, filed under one of REJECT_REASONS."""
    if reason_code not in REJECT_REASONS:
        raise errors.ValidationError("Unknown rejection reason.", field="reason")
    updated = comment_set_status(
        comment=comment,
        status=CommentStatus.REJECTED,
        action=ModerationAction.REJECT,
        actor_user=actor,
        reason_code=reason_code,
        reasons=[REJECT_REASONS[reason_code]] + ([note] if note else []),
    )
    Flag.objects.filter(comment=comment, resolved=False).update(resolved=True)
    return updated


def _comment_toggle(
    *,
    comment: Comment,
    actor: User | None,
    field: str,
    on: bool,
    action: ModerationAction,
) -> Comment:
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(**{field: on})
        setattr(comment, field, on)
        story_touch(story_id=comment.story_id)  # cached thread pages show the change at once
        ModerationEvent.objects.create(
            site_id=comment.site_id,
            comment=comment,
            commenter_id=comment.commenter_id,
            actor=actor,
            source="moderator",
            action=action,
            reasons=["on" if on else "off"],
        )
        transaction.on_commit(lambda: events.comment_changed(comment_id=comment.pk, kind=action))
    return comment


def comment_feature(*, comment: Comment, actor: User | None, on: bool = True) -> Comment:
    """Mark (or unmark) a comment as an editors' pick; audited, story version bumped."""
    return _comment_toggle(
        comment=comment, actor=actor, field="is_featured", on=on, action=ModerationAction.FEATURE
    )


def comment_pin(*, comment: Comment, actor: User | None, on: bool = True) -> Comment:
    """Pin (or unpin) a comment to the top of its thread; audited, story version bumped."""
    return _comment_toggle(
        comment=comment, actor=actor, field="is_pinned", on=on, action=ModerationAction.PIN
    )


BACKGROUND_SOURCE = "pipeline:background"


def comment_rescore_decision(*, comment: Comment, scorers: Sequence[Scorer]) -> Decision:
    """The pipeline's decision on a stored comment with ``scorers``, as of now; without the
    site's pre-moderation, which gated the comment when it was posted. No writes."""
    return comment_score(ctx=stored_context(comment=comment), scorers=scorers, premoderate=False)


def comment_rescore(*, comment: Comment, scorer_paths: tuple[str, ...]) -> str:
    """Run background scorers over a comment the inline pipeline published, and move it to
    review (HOLD, never reject) when the site's policy says so. Re-checks the state: a
    comment no longer published, or edited since, is left alone. Writes one audit row with
    the scores when it holds; nothing otherwise. Returns "held", "kept" or "skipped: why"."""
    if comment.status != CommentStatus.PUBLISHED:
        return f"skipped: {comment.status}"
    decision = comment_rescore_decision(comment=comment, scorers=load_scorers(scorer_paths))
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


BULK_ACTIONS = ("approve", "reject")


def comments_bulk_moderate(
    *,
    comments: list[Comment],
    actor: User | None,
    action: str,
    reason_code: str = "other",
) -> int:
    """Approve or reject several comments at once, all or none; one audit row per comment.
    Returns how many comments were changed."""
    if action not in BULK_ACTIONS:
        raise errors.ValidationError("action must be approve or reject.", field="action")
    if action == "reject" and reason_code not in REJECT_REASONS:
        raise errors.ValidationError("Unknown rejection reason.", field="reason")
    with transaction.atomic():
        for comment in comments:
            if action == "approve":
                comment_approve(comment=comment, actor=actor)
            else:
                comment_reject(comment=comment, actor=actor, reason_code=reason_code)
    return len(comments)


# Scorers that judge the moment of posting (other comments around it), not the text and the
# site's settings: replaying them later would compare a comment with its own successors.
REPLAY_SKIP = frozenset({"duplicate", "velocity"})
ACTUAL: dict[str, str] = {
    CommentStatus.PUBLISHED: "publish",
    CommentStatus.PENDING: "hold",
    CommentStatus.REJECTED: "reject",
}


@dataclass
class BacktestExample:
    comment: Comment
    would: str
    actual: str
    reasons: list[str]


@dataclass
class BacktestResult:
    total: int = 0
    would: Counter = field(default_factory=Counter)  # publish / hold / reject
    actual: Counter = field(default_factory=Counter)
    matrix: Counter = field(default_factory=Counter)  # (would, actual) -> count
    examples: list[BacktestExample] = field(default_factory=list)  # outcomes that differ
    seconds: float = 0.0

    def rows(self) -> list[tuple[str, int, int, int, int]]:
        """(would, total, of which published / held / rejected in reality)."""
        m = self.matrix
        return [
            (w, self.would[w], m[(w, "publish")], m[(w, "hold")], m[(w, "reject")])
            for w in ("publish", "hold", "reject")
        ]


def _replay(site: Site, comment: Comment, scorers: Sequence[Scorer]) -> tuple[str, list[str]]:
    # The posting pipeline itself, with the site's what-if settings, at the posting time.
    ctx = stored_context(comment=comment, site=site, now=comment.created_at)
    decision = comment_score(ctx=ctx, scorers=scorers)
    return str(decision.action), decision.reasons


def backtest_scorers() -> tuple[Scorer, ...]:
    """The inline scorers the backtest replays: all but REPLAY_SKIP."""
    scorers = load_scorers(tuple(settings.THREADLINE["SCORERS"]))
    return tuple(s for s in scorers if getattr(s, "name", "") not in REPLAY_SKIP)


def site_backtest(*, site: Site, limit: int = 2000, max_examples: int = 30) -> BacktestResult:
    """Replay the site's latest ``limit`` comments through the scorers and the policy with
    ``site``'s settings (an unsaved Site is fine) and compare with what happened. Writes
    nothing. Duplicate and velocity checks are not replayed (see REPLAY_SKIP)."""
    started = time.perf_counter()
    scorers = backtest_scorers()
    comments = (
        Comment.objects.filter(site_id=site.pk, status__in=list(ACTUAL))
        .select_related("story", "commenter")
        .order_by("-created_at", "-id")[:limit]
    )
    result = BacktestResult()
    for comment in comments:
        would, reasons = _replay(site, comment, scorers)
        actual = ACTUAL[comment.status]
        result.total += 1
        result.would[would] += 1
        result.actual[actual] += 1
        result.matrix[(would, actual)] += 1
        if would != actual and len(result.examples) < max_examples:
            result.examples.append(BacktestExample(comment, would, actual, reasons))
    result.seconds = time.perf_counter() - started
    return result
