"""The server-rendered pages work without JavaScript: forms post as forms."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import post_comment
from threadline.models import Comment

pytestmark = pytest.mark.django_db


def test_story_list_and_story_page_render(client, story):
    post_comment(story, "A **civil** comment.")
    assert story.title in client.get("/").content.decode()
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert "<strong>civil</strong>" in page and story.title in page


def test_guest_posts_replies_edits_and_deletes_with_forms(client, story):
    r = client.post(
        f"/stories/{story.pk}/comments/", {"body": "top via form", "author_name": "Ann"}
    )
    assert r.status_code == 302
    top = Comment.objects.get(body="top via form")
    r = client.post(
        f"/stories/{story.pk}/comments/",
        {"body": "reply via form", "author_name": "Ann", "parent_id": str(top.pk)},
    )
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


# --- query counts ---------------------------------------------------------------------


def _grow(story, *, roots: int, chain: int) -> None:  # noqa: ANN001
    """``roots`` top-level comments, each with a reply chain ``chain`` levels deep."""
    from threadline.actions.comments import comment_insert_trusted

    for r in range(roots):
        parent = None
        for level in range(chain + 1):
            parent = comment_insert_trusted(
                story=story,
                parent=parent,
                author_name=f"R{r}",
                body=f"root {r} level {level}",
                source="test",
            )


def _page_queries(client, url: str) -> int:  # noqa: ANN001
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_story_page_costs_the_same_queries_for_a_small_and_a_large_thread(
    client,
    site,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    from tests.factories import StoryFactory

    small, large = StoryFactory(site=site), StoryFactory(site=site)
    _grow(small, roots=2, chain=1)
    _grow(large, roots=80, chain=7)  # 640 comments: two pages, deeper than shown
    client.post(f"/stories/{large.pk}/comments/", {"body": "mine", "author_name": "Ann"})
    client.post(f"/stories/{small.pk}/comments/", {"body": "mine", "author_name": "Ann"})
    with django_assert_max_num_queries(8):
        client.get(f"/stories/{large.pk}/")
    assert _page_queries(client, f"/stories/{small.pk}/") == _page_queries(
        client, f"/stories/{large.pk}/"
    )
    page = client.get(f"/stories/{large.pk}/?sort=oldest").content.decode()
    assert "More comments" in page and "Continue this thread" in page


def test_story_page_query_count_does_not_grow_for_a_signed_in_reader(
    client,
    site,
    django_assert_max_num_queries,  # noqa: ANN001
) -> None:
    from tests.factories import StoryFactory, UserFactory

    client.force_login(UserFactory())
    small, large = StoryFactory(site=site), StoryFactory(site=site)
    _grow(small, roots=1, chain=0)
    _grow(large, roots=60, chain=6)
    # 11, and one for the readers they muted (folded away on the page).
    with django_assert_max_num_queries(12):
        client.get(f"/stories/{large.pk}/")
    assert _page_queries(client, f"/stories/{small.pk}/") == _page_queries(
        client, f"/stories/{large.pk}/"
    )


def test_permalink_page_costs_a_fixed_number_of_queries(
    client, story, django_assert_max_num_queries
) -> None:  # noqa: ANN001
    _grow(story, roots=1, chain=12)
    deep = Comment.objects.get(depth=6)
    with django_assert_max_num_queries(8):
        page = client.get(f"/comments/{deep.pk}/").content.decode()
    assert "root 0 level 0" in page and "root 0 level 11" in page and "Continue this thread" in page


# --- what a reader sees after each form -----------------------------------------------


def test_a_new_top_level_comment_lands_on_the_newest_page_where_it_is_visible(
    client, story
) -> None:  # noqa: ANN001
    _grow(story, roots=60, chain=0)
    r = client.post(f"/stories/{story.pk}/comments/", {"body": "fresh", "author_name": "Ann"})
    mine = Comment.objects.get(body="fresh")
    assert r["Location"] == f"/stories/{story.pk}/?sort=newest#comment-{mine.pk}"
    page = client.get(r["Location"]).content.decode()
    assert f'id="comment-{mine.pk}"' in page and "Your comment is published." in page


def test_a_reply_lands_on_its_parents_permalink_page_even_deep_down(client, story) -> None:  # noqa: ANN001
    _grow(story, roots=1, chain=9)
    deepest = Comment.objects.get(depth=9)
    r = client.post(
        f"/stories/{story.pk}/comments/",
        {"body": "deep reply", "author_name": "Ann", "parent_id": str(deepest.pk)},
    )
    mine = Comment.objects.get(body="deep reply")
    assert mine.depth == 10 and r["Location"] == f"/comments/{deepest.pk}/#comment-{mine.pk}"
    assert f'id="comment-{mine.pk}"' in client.get(r["Location"]).content.decode()


def test_the_guest_name_is_remembered_for_the_next_reply(client, story) -> None:  # noqa: ANN001
    client.post(f"/stories/{story.pk}/comments/", {"body": "hello", "author_name": "Ann Example"})
    assert 'value="Ann Example"' in client.get(f"/stories/{story.pk}/").content.decode()


def test_a_held_comment_says_so_and_only_its_writer_sees_it(client, story) -> None:  # noqa: ANN001
    r = client.post(
        f"/stories/{story.pk}/comments/",
        {
            "body": "Khazarian mafia strikes again.",
            "author_name": "Ann",
            "next": f"/stories/{story.pk}/",
            "confirm": "1",  # sent anyway after "think twice"
        },
        follow=True,
    )
    page = r.content.decode()
    assert "held for review by a moderator" in page
    section = page.split('id="comments"')[1]
    assert "held for review" in section  # shown where the reader is, not scrolled away
    # Its writer sees it, marked as awaiting review (tests/web/test_own_unseen.py); no one
    # else does.
    own = section.split('class="own-unseen"')[1].split("</section>")[0]
    assert "Khazarian" in own and "Awaiting review" in own
    assert "Khazarian" not in section.replace(own, "")
    assert "Khazarian" not in Client().get(f"/stories/{story.pk}/").content.decode()


def test_vote_returns_to_the_same_page_and_sort(client, story) -> None:  # noqa: ANN001
    c = post_comment(story, "vote me").comment
    here = f"/stories/{story.pk}/?sort=oldest&cursor=abc"
    r = client.post(f"/comments/{c.pk}/vote/", {"value": "1", "next": here})
    assert r["Location"] == f"{here}#comment-{c.pk}"


def test_next_never_redirects_to_another_site(client, story) -> None:  # noqa: ANN001
    c = post_comment(story, "vote me").comment
    r = client.post(f"/comments/{c.pk}/vote/", {"value": "1", "next": "https://evil.example/"})
    assert r["Location"] == f"/stories/{story.pk}/#comment-{c.pk}"
    r = client.post(
        "/accounts/signup/",
        {"username": "eve", "password": "a long passphrase 1", "next": "//evil.example/"},
    )
    assert r["Location"] == "/"


def test_edit_form_is_prefilled_and_shown_only_to_the_author(client, story) -> None:  # noqa: ANN001
    client.post(f"/stories/{story.pk}/comments/", {"body": "my *own* words", "author_name": "Ann"})
    other = post_comment(story, "someone else").comment
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert "my *own* words</textarea>" in page
    assert f'action="/comments/{other.pk}/edit/"' not in page


def test_edit_and_delete_disappear_when_the_edit_window_has_passed(client, story) -> None:  # noqa: ANN001
    from datetime import timedelta

    client.post(f"/stories/{story.pk}/comments/", {"body": "old words", "author_name": "Ann"})
    mine = Comment.objects.get(body="old words")
    Comment.objects.filter(pk=mine.pk).update(created_at=mine.created_at - timedelta(hours=1))
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert f'action="/comments/{mine.pk}/edit/"' not in page
    assert f'action="/comments/{mine.pk}/delete/"' not in page


def test_a_failed_edit_keeps_the_text_and_shows_the_error_next_to_it(client, story) -> None:  # noqa: ANN001
    client.post(f"/stories/{story.pk}/comments/", {"body": "first words", "author_name": "Ann"})
    mine = Comment.objects.get(body="first words")
    long = "x" * (story.site.max_body_length + 1)
    r = client.post(f"/comments/{mine.pk}/edit/", {"body": long})
    page = r.content.decode()
    assert r.status_code == 400 and "Your change was not saved" in page and long in page
    assert f'action="/comments/{mine.pk}/edit/"' in page
    assert Comment.objects.get(pk=mine.pk).body == "first words"


def test_think_twice_page_offers_post_anyway_and_keeps_the_text(client, story) -> None:  # noqa: ANN001
    text = "You are an idiot and a moron, shut up."
    r = client.post(f"/stories/{story.pk}/comments/", {"body": text, "author_name": "Ann"})
    page = r.content.decode()
    assert r.status_code == 409 and "Think twice" in page and "Post anyway" in page and text in page
    assert "Toxic" not in page  # no scores shown to the writer
    r = client.post(
        f"/stories/{story.pk}/comments/", {"body": text, "author_name": "Ann", "confirm": "1"}
    )
    assert r.status_code == 302 and Comment.objects.get(body=text).status == "pending"


def test_closed_story_has_no_forms_and_refuses_posts(client, story) -> None:  # noqa: ANN001
    c = post_comment(story, "before closing").comment
    story.is_open = False
    story.save()
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert "Comments on this story are closed" in page and 'class="comment-form"' not in page
    r = client.post(
        f"/stories/{story.pk}/comments/",
        {"body": "late", "author_name": "Ann", "parent_id": str(c.pk)},
    )
    assert r.status_code == 403 and "closed" in r.content.decode().lower()
    assert not Comment.objects.filter(body="late").exists()


def test_deleting_from_the_permalink_page_goes_back_to_the_story(client, story) -> None:  # noqa: ANN001
    client.post(f"/stories/{story.pk}/comments/", {"body": "gone soon", "author_name": "Ann"})
    mine = Comment.objects.get(body="gone soon")
    r = client.post(f"/comments/{mine.pk}/delete/", {"next": f"/comments/{mine.pk}/"})
    assert r["Location"] == f"/stories/{story.pk}/#comments"
    assert "Comment deleted" in client.get(f"/comments/{mine.pk}/").content.decode()


def test_sign_in_page_is_rate_limited(client, db, settings) -> None:  # noqa: ANN001
    settings.THREADLINE = {**settings.THREADLINE, "RATE_LIMIT_AUTH_IP": "2/60"}
    for _ in range(2):
        assert (
            client.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 200
        )
    r = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert r.status_code == 429 and r["Retry-After"]


def test_signup_error_keeps_the_user_name_and_marks_the_field(client, db) -> None:  # noqa: ANN001
    r = client.post("/accounts/signup/", {"username": "zoe", "password": "password"})
    page = r.content.decode()
    assert r.status_code == 400 and 'value="zoe"' in page and 'aria-invalid="true"' in page


def test_reading_a_story_creates_no_session(client, story) -> None:  # noqa: ANN001
    post_comment(story, "hello")
    r = client.get(f"/stories/{story.pk}/")
    assert r.status_code == 200 and "sessionid" not in r.cookies
