"""Shaping comments for the desk's cards: markers, scores, open flags."""

from __future__ import annotations

from typing import Any

from threadline.actions.moderation_desk import reject_reason_suggested
from threadline.models import Comment, Site
from threadline.queries.desk import latest_scores, markers


def _model_verdict(site: Site, value: float) -> str:
    """The model only measures; show what the site's thresholds made of its score."""
    if value >= site.reject_threshold:
        return f"reject (≥ {site.reject_threshold:.2f})"
    if value >= site.hold_threshold:
        return f"hold (≥ {site.hold_threshold:.2f})"
    return "pass"


def score_rows(comment: Comment) -> list[dict[str, Any]]:
    """The latest pipeline scores, strongest first, for the explanation table."""
    rows = []
    for name, data in latest_scores(comment).items():
        if not isinstance(data, dict):
            continue
        value = float(data.get("value") or 0.0)
        verdict = str(data.get("verdict", ""))
        if name == "toxicity":
            verdict = _model_verdict(comment.site, value)
        words = [w for w in data.get("explanation", []) if any(ch.isalnum() for ch in str(w))]
        rows.append(
            {
                "scorer": name,
                "value": value,
                "verdict": verdict,
                "reasons": data.get("reasons", []),
                "explanation": words,
            }
        )
    return sorted(rows, key=lambda r: (r["verdict"] == "pass", -r["value"]))


def decorate(comments: list[Comment]) -> list[Comment]:
    for comment in comments:
        comment.markers = markers(comment)
        comment.score_rows = score_rows(comment)
        # The statement of reasons starts from what the pipeline (or the readers) found.
        comment.suggested_reason = reject_reason_suggested(
            site=comment.site,
            scores=latest_scores(comment),
            flag_reasons=[f.reason for f in getattr(comment, "open_flags", None) or []],
        )
    return comments
