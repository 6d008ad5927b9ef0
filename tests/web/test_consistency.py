"""The story page offers what the widget offers: the five sorts, the same badges, relative
times with the exact time on hover, the reader's own vote (a second click withdraws it);
its HTML is gzipped and it has a favicon. Query counts stay fixed."""

from __future__ import annotations

import gzip
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import UserFactory, post_comment
from threadline.domain.identity import Actor
from threadline.models import Comment, Vote
from threadline.queries import SORTS
from threadline.templatetags.threadline_tags import ago

pytestmark = pytest.mark.django_db

WIDGET_SORTS = ["best", "top", "newest", "oldest", "controversial"]


def _page(client: Any, story: Any, query: str = "") -> str:
    return client.get(f"/stories/{story.pk}/{query}").content.decode()


def _queries(client: Any, url: str) -> int:
    client.get(url)  # warm the per-process caches (site, counts) first
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_page_offers_the_five_sorts_of_the_api(client, story):
    post_comment(story, "one")
    assert list(SORTS) == WIDGET_SORTS
    for sort in WIDGET_SORTS:
        page = _page(client, story, f"?sort={sort}")
        for other in WIDGET_SORTS:
            assert f'href="?sort={other}#comments"' in page
        assert f'href="?sort={sort}#comments" aria-current="page"' in page


def test_every_sort_costs_the_same_queries(client, story):
    for i in range(6):
        post_comment(story, f"comment {i}")
    counts = {s: _queries(client, f"/stories/{story.pk}/?sort={s}") for s in WIDGET_SORTS}
    assert len(set(counts.values())) == 1, counts


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (10, "just now"),
        (60, "1 minute ago"),
        (3 * 3600, "3 hours ago"),
        (86400, "1 day ago"),
        (3 * 604800, "3 weeks ago"),
        (400 * 86400, "1 year ago"),
    ],
)
def test_relative_times_read_as_the_widget_says_them(seconds: int, said: str) -> None:
    assert ago(timezone.now() - timedelta(seconds=seconds)) == said


def test_times_are_relative_with_the_exact_time_on_hover(client, story):
    c = post_comment(story, "old news").comment
    then = timezone.now() - timedelta(hours=3, minutes=5)
    Comment.objects.filter(pk=c.pk).update(created_at=then)
    page = _page(client, story)
    exact = timezone.localtime(then).strftime("%-d %b %Y, %H:%M UTC")
    assert f'title="{exact}">3 hours ago</time>' in page
    assert f'<time datetime="{then.isoformat()}"' in page


def test_badges_match_the_widget(client, story):
    user = UserFactory()
    c = post_comment(story, "by a member", actor=Actor(user=user, ip="127.0.0.1")).comment
    Comment.objects.filter(pk=c.pk).update(is_featured=True, is_pinned=True)
    page = _page(client, story)
    assert ">Member</span>" in page and ">Pinned</span>" in page and ">Featured</span>" in page


def _vote_buttons(page: str, comment_id: int) -> str:
    start = page.index(f'action="/comments/{comment_id}/vote/"')
    return page[start : page.index("</form>", start)]


def test_a_signed_in_reader_sees_their_vote_and_withdraws_it_with_a_second_click(client, story):
    c = post_comment(story, "vote on me").comment
    client.force_login(UserFactory())
    buttons = _vote_buttons(_page(client, story), c.pk)
    assert 'value="1" aria-pressed="false"' in buttons

    client.post(f"/comments/{c.pk}/vote/", {"value": "1"})
    buttons = _vote_buttons(_page(client, story), c.pk)
    # The up arrow is pressed and now sends 0; the down arrow still sends -1.
    assert 'value="0" aria-pressed="true" aria-label="Vote up (1)"' in buttons
    assert 'value="-1" aria-pressed="false"' in buttons

    client.post(f"/comments/{c.pk}/vote/", {"value": "0"})
    c.refresh_from_db()
    assert (c.upvotes, c.downvotes, Vote.objects.count()) == (0, 0, 0)
    assert 'value="1" aria-pressed="false"' in _vote_buttons(_page(client, story), c.pk)


def test_a_guest_sees_their_down_vote_on_the_page_and_on_the_permalink(client, story):
    c = post_comment(story, "guest votes").comment
    client.post(f"/comments/{c.pk}/vote/", {"value": "-1"})
    assert 'value="0" aria-pressed="true" aria-label="Vote down (1)"' in _vote_buttons(
        _page(client, story), c.pk
    )
    permalink = client.get(f"/comments/{c.pk}/").content.decode()
    assert 'aria-pressed="true"' in _vote_buttons(permalink, c.pk)


def test_another_reader_does_not_see_my_vote(client, story):
    c = post_comment(story, "mine").comment
    client.force_login(UserFactory())
    client.post(f"/comments/{c.pk}/vote/", {"value": "1"})
    client.force_login(UserFactory())
    assert 'aria-pressed="true"' not in _page(client, story)


def test_vote_state_costs_one_query_whatever_the_page_size(client, story):
    user = UserFactory()
    client.force_login(user)
    first = post_comment(story, "first").comment
    small = _queries(client, f"/stories/{story.pk}/")
    # session, user, moderator check, editable, own unseen, the muted, ..., the votes
    assert small == 12
    for i in range(12):
        c = post_comment(story, f"more {i}", parent=first if i % 2 else None).comment
        client.post(f"/comments/{c.pk}/vote/", {"value": "1" if i % 3 else "-1"})
    assert Vote.objects.count() == 12
    assert _queries(client, f"/stories/{story.pk}/") == small


def test_a_first_time_reader_gets_no_session_from_reading(client, story):
    post_comment(story, "hello")
    response = client.get(f"/stories/{story.pk}/")
    assert "sessionid" not in response.cookies
    assert _queries(client, f"/stories/{story.pk}/") == 4  # no vote query without a reader


def _big_story(story: Any) -> None:
    """300 comments: 50 on the first page, each with five replies."""
    words = [
        "the",
        "council",
        "voted",
        "late",
        "on",
        "tuesday",
        "to",
        "close",
        "the",
        "library",
        "branch",
        "on",
        "elm",
        "street",
    ]
    for i in range(50):
        text = " ".join(words[i % 7 :] + words[: i % 7])
        top = post_comment(story, f"Comment {i}: {text}, {i * 7} said.", name=f"Reader {i}")
        assert top.comment.status == "published", top.comment.status
        for j in range(5):
            reply = f"Reply {i}.{j}: I disagree about {words[j + 3]} and {words[(i + j) % 14]}."
            post_comment(story, reply, parent=top.comment, name=f"Neighbour {j}")


def test_html_pages_are_gzipped_and_much_smaller(client, story, capsys):
    _big_story(story)
    url = f"/stories/{story.pk}/"
    plain = client.get(url)
    zipped = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain and zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    shown = Comment.objects.filter(story=story, status="published").count()
    assert shown >= 295  # the odd reply may be held by the posting rules
    assert gzip.decompress(zipped.content).decode().count('class="comment ') == shown
    with capsys.disabled():
        print(f"\n300-comment page: {len(plain.content)} B plain, {len(zipped.content)} B gzip")
    assert len(zipped.content) < len(plain.content) / 5


def test_gzip_pads_each_response_against_breach(client, story):
    post_comment(story, "a comment long enough to be worth compressing")
    url = f"/stories/{story.pk}/"
    sizes = {len(client.get(url, HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)}
    assert len(sizes) > 1  # Django's random gzip file name: lengths do not leak secrets


def test_api_responses_are_not_gzipped_by_the_page_middleware(client, story):
    post_comment(story, "api")
    for path in (f"/api/v1/stories/{story.pk}", "/healthz"):
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert "Content-Encoding" not in response, path


def test_favicon_is_linked_and_served(client, story):
    page = _page(client, story)
    assert 'rel="icon" href="/static/threadline/favicon.svg"' in page
    # The test client serves no static files; the browser test loads it for real.
    assert finders.find("threadline/favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith("favicon.svg")
