"""200 voters on one comment and 200 repliers on one parent, at once, through the actions:
counts exact, tree consistent, no deadlock. Runs on SQLite and, with THREADLINE_TEST_DB=
postgres, on PostgreSQL (threads are capped below its default 100 connections)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from tests.factories import post_comment
from threadline.actions.comments import comment_post
from threadline.actions.votes import vote_cast
from threadline.domain.identity import Actor
from threadline.models import Comment, Story, Vote

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

N = 200


@pytest.fixture
def quiet(settings):  # noqa: ANN001,ANN201
    """No rate limits and no scorers: this measures the write path, not the policy."""
    settings.THREADLINE = {
        **settings.THREADLINE,
        "SCORERS": [],
        "RATE_LIMIT_POST_IP": "",
        "RATE_LIMIT_POST_AUTHOR": "",
        "RATE_LIMIT_VOTE_IP": "",
    }


def _run_all(fn: Callable[[int], object]) -> list[BaseException]:
    workers = 60 if connection.vendor == "postgresql" else N
    barrier = threading.Barrier(min(workers, N))
    failures: list[BaseException] = []

    def one(i: int) -> None:
        try:
            if i < barrier.parties:
                barrier.wait(timeout=30)
            fn(i)
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            failures.append(exc)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(one, range(N), timeout=120))
    return failures


def test_200_concurrent_voters_are_all_counted(story, quiet):
    comment = post_comment(story, "Vote for me").comment

    def vote(i: int) -> None:
        actor = Actor(guest_key=f"voter-{i}", ip=f"10.0.{i // 250}.{i % 250}")
        vote_cast(comment=comment, actor=actor, value=1 if i % 4 else -1)

    assert _run_all(vote) == []
    comment.refresh_from_db()
    assert (comment.upvotes, comment.downvotes) == (150, 50)
    assert comment.score == 100
    assert Vote.objects.filter(comment=comment).count() == N


def test_200_concurrent_repliers_build_a_consistent_tree(story, quiet):
    parent = post_comment(story, "Reply to me").comment

    def reply(i: int) -> None:
        comment_post(
            story=Story.objects.select_related("site").get(pk=story.pk),
            actor=Actor(guest_key=f"replier-{i}", ip="10.1.0.1"),
            body=f"Reply number {i}",
            parent_id=parent.pk,
            author_name=f"R{i}",
        )

    assert _run_all(reply) == []
    parent.refresh_from_db()
    story.refresh_from_db()
    replies = list(Comment.objects.filter(parent=parent))
    assert len(replies) == N == parent.reply_count
    assert story.comment_count == N + 1
    assert all(r.depth == 1 and r.root_id == parent.pk for r in replies)
    assert all(r.path == f"{parent.path}/{r.pk:010d}" for r in replies)
    assert len({r.path for r in replies}) == N
