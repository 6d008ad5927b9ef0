"""The server-rendered pages work without JavaScript: forms post as forms."""

from __future__ import annotations

import pytest

from threadline.models import Comment
from tests.factories import post_comment

pytestmark = pytest.mark.django_db


def test_story_list_and_story_page_render(client, story):
    post_comment(story, "A **civil** comment.")
    assert story.title in client.get("/").content.decode()
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert "<strong>civil</strong>" in page and story.title in page


def test_guest_posts_replies_edits_and_deletes_with_forms(client, story):
    r = client.post(f"/stories/{story.pk}/comments/", {"body": "top via form", "author_name": "Ann"})
    assert r.status_code == 302
    top = Comment.objects.get(body="top via form")
    r = client.post(f"/stories/{story.pk}/comments/", {"body": "reply via form", "author_name": "Ann",
                                                       "parent_id": str(top.pk)})
    reply = Comment.objects.get(body="reply via form")
    assert reply.parent_id == top.pk
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert "reply via form" in page and f'action="/comments/{reply.pk}/edit/"' in page
    client.post(f"/comments/{reply.pk}/edit/", {"body": "reply, edited"})
    assert Comment.objects.get(pk=reply.pk).body == "reply, edited"
    client.post(f"/comments/{top.pk}/delete/")
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert "Comment deleted" in page and "reply, edited" in page


def test_someone_else_cannot_edit_through_the_form(client, story):
    c = post_comment(story, "not yours").comment
    client.post(f"/comments/{c.pk}/edit/", {"body": "hijacked"})
    assert Comment.objects.get(pk=c.pk).body == "not yours"


def test_bad_form_input_shows_the_error_and_stores_nothing(client, story):
    r = client.post(f"/stories/{story.pk}/comments/", {"body": "   ", "author_name": "Ann"})
    assert r.status_code == 400 and "The comment is empty." in r.content.decode()
    assert Comment.objects.count() == 0


def test_vote_and_flag_forms(client, story):
    c = post_comment(story, "vote").comment
    client.post(f"/comments/{c.pk}/vote/", {"value": "1"})
    client.post(f"/comments/{c.pk}/flag/", {"reason": "spam", "note": "ad"})
    c.refresh_from_db()
    assert c.upvotes == 1 and c.flag_count == 1


def test_missing_story_is_a_404_page(client, db):
    assert client.get("/stories/424242/").status_code == 404


def test_permalink_page_shows_the_comment_and_its_parent(client, story):
    a = post_comment(story, "parent text").comment
    b = post_comment(story, "child text", parent=a).comment
    page = client.get(f"/comments/{b.pk}/").content.decode()
    assert "parent text" in page and "child text" in page


def test_signup_then_post_as_account(client, story):
    r = client.post("/accounts/signup/", {"username": "zoe", "password": "a long passphrase 1"})
    assert r.status_code == 302
    client.post(f"/stories/{story.pk}/comments/", {"body": "as zoe"})
    assert Comment.objects.get(body="as zoe").user.username == "zoe"
