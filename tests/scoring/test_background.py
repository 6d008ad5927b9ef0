"""Background scorers: after commit, a published comment may be moved into review."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from tests.factories import post_comment
from threadline.delivery.jobs import rescore_comment
from threadline.models import CommentStatus, ModerationEvent
from threadline.scoring.base import Score, ScoringContext

pytestmark = pytest.mark.django_db


class FakeModel:
    """A stand-in for a slow model: "toxic" when the text says so."""

    name = "minilm"
    is_model = True

    def score(self, ctx: ScoringContext) -> Score:
        value = 0.9 if "sneaky" in ctx.text else 0.1
        return Score(scorer=self.name, value=value, version="fake@1")


PATH = f"{__name__}.FakeModel"


def _background(**kw: Any) -> Any:
    return override_settings(THREADLINE={**settings.THREADLINE, "BACKGROUND_SCORERS": [PATH], **kw})


def test_published_comment_is_held_after_commit_when_the_background_model_objects(
    story, django_capture_on_commit_callbacks
) -> None:
    with _background(), django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(story, "A sneaky insult the rules miss").comment
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING
    event = ModerationEvent.objects.get(comment=comment, source="pipeline:background")
    assert event.action == "hold" and event.reasons == ["Toxic (minilm) 0.90"]
    assert event.scores["minilm"]["value"] == 0.9 and event.model_version == "fake@1"
    story.refresh_from_db()
    assert story.comment_count == 0


def test_clean_comment_stays_published_without_an_extra_row(
    story, django_capture_on_commit_callbacks
) -> None:
    with _background(), django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(story, "A thoughtful reply").comment
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED
    assert ModerationEvent.objects.filter(comment=comment).count() == 1


def test_a_job_is_queued_only_when_background_scorers_are_configured(story, monkeypatch) -> None:
    queued: list[tuple[Any, ...]] = []
    monkeypatch.setattr("threadline.delivery.jobs.enqueue", lambda job, *ids: queued.append(ids))
    post_comment(story, "First reply, no background scorers", name="A")
    assert queued == []
    with _background():
        comment = post_comment(story, "Second reply, with background scorers", name="B").comment
    assert queued == [(comment.pk,)]


@pytest.mark.parametrize("status", [CommentStatus.PENDING, CommentStatus.REJECTED])
def test_job_leaves_a_comment_that_is_no_longer_published_alone(story, status: str) -> None:
    comment = post_comment(story, "A sneaky insult the rules miss").comment
    comment.status = status
    comment.save(update_fields=["status"])
    with _background():
        assert rescore_comment(comment.pk) == f"skipped: {status}"
    assert not ModerationEvent.objects.filter(source="pipeline:background").exists()


def test_job_for_a_deleted_row_does_nothing() -> None:
    assert rescore_comment(10**9) == "skipped: gone"
