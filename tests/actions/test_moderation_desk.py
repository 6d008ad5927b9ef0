"""The desk's actions against the database: status, counters, audit rows, backtest."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.dashboard.world import World, build_world, use_fake_scorers
from threadline import errors
from threadline.actions.moderation_desk import (
    comment_approve,
    comment_feature,
    comment_pin,
    comment_reject,
    comments_bulk_moderate,
    site_backtest,
)
from threadline.models import ModerationEvent


@pytest.fixture
def world(db: Any, settings: Any) -> World:
    use_fake_scorers(settings)
    return build_world()


def test_approve_publishes_and_counts(world: World) -> None:
    world.story.refresh_from_db()
    count = world.story.comment_count
    comment_approve(comment=world.pending, actor=world.moderator)
    world.pending.refresh_from_db()
    world.story.refresh_from_db()
    assert world.pending.status == "published"
    assert world.story.comment_count == count + 1


def test_reject_resolves_open_flags(world: World) -> None:
    comment_reject(comment=world.reported, actor=world.moderator, reason_code="spam")
    assert not world.reported.flags.filter(resolved=False).exists()


def test_pin_and_unpin_write_an_event_each(world: World) -> None:
    comment_pin(comment=world.published, actor=world.moderator, on=True)
    comment_pin(comment=world.published, actor=world.moderator, on=False)
    world.published.refresh_from_db()
    assert not world.published.is_pinned
    reasons = list(
        ModerationEvent.objects.filter(comment=world.published, action="pin")
        .order_by("id")
        .values_list("reasons", flat=True)
    )
    assert reasons == [["on"], ["off"]]


def test_feature_marks_the_comment(world: World) -> None:
    comment_feature(comment=world.published, actor=world.moderator)
    world.published.refresh_from_db()
    assert world.published.is_featured


def test_bulk_reject_is_all_or_nothing(world: World) -> None:
    with pytest.raises(errors.ValidationError):
        comments_bulk_moderate(
            comments=[world.pending, world.published],
            actor=world.moderator,
            action="reject",
            reason_code="bogus",
        )
    world.pending.refresh_from_db()
    assert world.pending.status == "pending"
    assert (
        comments_bulk_moderate(
            comments=[world.pending, world.published],
            actor=world.moderator,
            action="reject",
            reason_code="spam",
        )
        == 2
    )


def test_bulk_unknown_action_is_refused(world: World) -> None:
    with pytest.raises(errors.ValidationError):
        comments_bulk_moderate(comments=[world.pending], actor=None, action="delete")


def test_backtest_replays_what_happened_with_current_settings(world: World) -> None:
    result = site_backtest(site=world.site)
    assert result.total == 4
    assert result.would["hold"] == 1 and result.would["publish"] == 3
    assert result.matrix[("publish", "reject")] == 1  # the spam a moderator rejected


def test_backtest_with_a_stricter_threshold_holds_more_and_saves_nothing(world: World) -> None:
    stricter = copy.copy(world.site)
    stricter.hold_threshold = 0.5
    stricter.suspect_words = "convoys"
    result = site_backtest(site=stricter)
    assert result.would["hold"] == 2  # "idiot" and the convoy comment
    examples = {e.comment.pk: e for e in result.examples}
    assert examples[world.reported.pk].reasons == ["Suspect phrase: 'convoys'"]
    world.site.refresh_from_db()
    assert world.site.hold_threshold == 0.7
