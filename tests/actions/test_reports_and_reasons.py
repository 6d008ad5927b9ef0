"""Approving a reported comment, and the statement-of-reasons default: the actions against
the database, and the pure mapping from a decision's scores to the DSA reasons."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dashboard.world import World, build_world, use_fake_scorers
from threadline.actions.moderation_desk import comment_approve, reject_reason_suggested
from threadline.actions.votes import flag_create
from threadline.domain.identity import Actor
from threadline.models import CommentStatus, Flag, ModerationEvent, Site


@pytest.fixture
def world(db: Any, settings: Any) -> World:
    use_fake_scorers(settings)
    return build_world()


def test_approving_a_reported_comment_keeps_it_published_and_resolves_its_reports(
    world: World,
) -> None:
    world.story.refresh_from_db()
    count = world.story.comment_count
    comment_approve(comment=world.reported, actor=world.moderator)
    world.reported.refresh_from_db()
    world.story.refresh_from_db()
    assert world.reported.status == CommentStatus.PUBLISHED
    assert world.story.comment_count == count  # counted once, not twice
    assert not Flag.objects.filter(comment=world.reported, resolved=False).exists()
    event = ModerationEvent.objects.filter(comment=world.reported).latest("id")
    assert (event.action, event.actor) == ("approve", world.moderator)
    assert event.reasons == ["Reports resolved: Spam ×1"]


def test_approving_a_held_comment_without_reports_names_none(world: World) -> None:
    comment_approve(comment=world.pending, actor=world.moderator)
    event = ModerationEvent.objects.filter(comment=world.pending).latest("id")
    assert event.action == "approve" and event.reasons == []


def test_an_approved_comment_is_held_again_only_by_new_reports(world: World) -> None:
    world.site.flag_hold_count = 2
    world.site.save(update_fields=["flag_hold_count"])
    comment = world.reported  # one open report
    comment_approve(comment=comment, actor=world.moderator)
    flag_create(comment=comment, actor=Actor(guest_key="second", ip="10.0.0.2"), reason="abuse")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED  # one open report, not two
    flag_create(comment=comment, actor=Actor(guest_key="third", ip="10.0.0.3"), reason="abuse")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    assert ModerationEvent.objects.filter(comment=comment).latest("id").reasons == ["Flagged ×2"]


SITE = Site(warn_threshold=0.5, hold_threshold=0.7)


def _score(value: float, verdict: str = "pass") -> dict[str, Any]:
    return {"value": value, "verdict": verdict, "reasons": [], "explanation": []}


@pytest.mark.parametrize(
    ("scores", "flags", "expected"),
    [
        ({"group_hate": _score(1.0, "hold")}, [], "illegal_hate_speech"),
        ({"threats": _score(1.0, "hold")}, [], "violence"),
        ({"insults": _score(1.0, "hold")}, [], "harassment"),
        ({"suspect_words": _score(1.0, "hold")}, [], "harassment"),
        ({"links": _score(1.0, "hold")}, [], "spam"),
        ({"velocity": _score(1.0, "reject")}, [], "spam"),
        ({"toxicity": _score(0.9)}, [], "harassment"),  # a model: the site's thresholds
        ({"semantic": _score(0.55)}, [], "harassment"),  # at the warning threshold
        ({"semantic": _score(0.2)}, [], ""),  # below it: the model found nothing
        ({"insults": _score(0.0, "pass")}, [], ""),  # a rule that passed says nothing
        ({"trust": _score(1.0, "hold"), "shouting": _score(1.0, "hold")}, [], ""),
        # The most serious category wins.
        ({"links": _score(1.0, "hold"), "threats": _score(1.0, "hold")}, [], "violence"),
        # No pipeline reason: the readers' reports.
        ({}, ["spam"], "spam"),
        ({}, ["other", "off_topic"], "off_topic"),
        ({}, ["abuse", "hate"], "illegal_hate_speech"),
        ({}, ["other"], ""),
        # The pipeline's reason before the readers'.
        ({"links": _score(1.0, "hold")}, ["hate"], "spam"),
        ({"semantic": "not a score"}, [], ""),
    ],
)
def test_reject_reason_suggested(scores: dict, flags: list[str], expected: str) -> None:
    assert reject_reason_suggested(site=SITE, scores=scores, flag_reasons=flags) == expected
