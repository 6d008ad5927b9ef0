"""A writer sees the outcome on the server-rendered page: a held comment stays visible to its
writer, marked as awaiting review, and a rejected one shows the moderator's statement of
reasons — to the writer alone."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory
from threadline.actions.moderation_desk import comment_reject
from threadline.models import Comment, CommentStatus, PremoderationMode

pytestmark = pytest.mark.django_db


@pytest.fixture
def held_story(story):  # noqa: ANN001,ANN201
    story.site.premoderation = PremoderationMode.ALL
    story.site.save(update_fields=["premoderation"])
    return story


def _post(client: Client, story, body: str) -> Comment:  # noqa: ANN001
    r = client.post(f"/stories/{story.pk}/comments/", {"body": body, "author_name": "Ann"})
    assert r.status_code == 302
    return Comment.objects.get(body=body)


def test_a_held_comment_stays_visible_to_its_writer_alone(client: Client, held_story) -> None:  # noqa: ANN001
    comment = _post(client, held_story, "Waiting for a moderator to read this.")
    assert comment.status == CommentStatus.PENDING
    page = client.get(f"/stories/{held_story.pk}/").content.decode()
    assert f'id="own-{comment.pk}"' in page
    assert "Awaiting review" in page and "Waiting for a moderator to read this." in page
    other = Client().get(f"/stories/{held_story.pk}/").content.decode()
    assert "Waiting for a moderator to read this." not in other
    assert "own-unseen" not in other


def test_a_rejected_comment_shows_its_writer_the_statement_of_reasons(
    client: Client,
    held_story,
) -> None:
    comment = _post(client, held_story, "Something a moderator will turn down.")
    moderator = UserFactory(username="desk")
    comment_reject(comment=comment, actor=moderator, reason_code="harassment", note="Personal")
    page = client.get(f"/stories/{held_story.pk}/").content.decode()
    assert f'id="own-{comment.pk}"' in page and "Not published" in page
    assert "Reason: Harassment — Personal." in page
    assert (
        "Something a moderator will turn down."
        not in Client().get(f"/stories/{held_story.pk}/").content.decode()
    )


def test_published_comments_are_not_repeated_in_the_writers_own_section(
    client: Client,
    story,  # noqa: ANN001
) -> None:
    comment = _post(client, story, "A civil thank-you for the report.")
    assert comment.status == CommentStatus.PUBLISHED
    assert "own-unseen" not in client.get(f"/stories/{story.pk}/").content.decode()


def test_a_first_time_reader_pays_no_query_for_it(
    client: Client,
    held_story,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    from django.contrib.auth.models import AnonymousUser

    from threadline import queries

    with django_assert_max_num_queries(0):
        assert (
            queries.access_own_unseen_for_reader(
                story=held_story, comment_ids=[], user=AnonymousUser()
            )
            == []
        )
