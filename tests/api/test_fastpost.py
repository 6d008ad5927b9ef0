"""Posting through threadline.api.fastpost answers exactly as Django Ninja does.

Each case is sent twice, once with the fast path in the middleware and once without it,
from the same starting state; status, headers and body must match (ids, times and tokens
aside), and the fast path must really have answered the plain posts."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings

from tests.factories import SiteFactory, StoryFactory, post_comment
from threadline.api import fastpost
from threadline.middleware import forget_origins
from threadline.models import Comment, Story

pytestmark = pytest.mark.django_db

FAST = "threadline.api.fastpost.FastPostMiddleware"
VOLATILE = {"id", "created_at", "edit_token"}


def _answer(response: Any) -> tuple[int, dict[str, str], Any]:
    headers = {k: v for k, v in response.items() if k != "Content-Length"}
    try:
        body = json.loads(response.content)
    except ValueError:
        body = response.content
    if isinstance(body, dict):
        body = {k: ("<set>" if k in VOLATILE and v else v) for k, v in body.items()}
    return response.status_code, headers, body


def _both(path: str, body: bytes, content_type: str = "application/json", **headers: str):
    """(fast answer, Ninja answer, whether the fast path answered), each from the same state."""
    answers = []
    calls = []
    for middleware in (
        django_settings.MIDDLEWARE,
        [m for m in django_settings.MIDDLEWARE if m != FAST],
    ):
        sid = transaction.savepoint()
        cache.clear()
        with (
            override_settings(MIDDLEWARE=middleware),
            mock.patch.object(fastpost, "posted_response", wraps=fastpost.posted_response) as spy,
        ):
            r = Client().post(path, body, content_type=content_type, headers=headers)
        answers.append(_answer(r))
        calls.append(spy.call_count)
        transaction.savepoint_rollback(sid)
    assert calls[1] == 0
    return answers[0], answers[1], calls[0] == 1


def _url(story: Story, query: str = "") -> str:
    return f"/api/v1/stories/{story.pk}/comments{query}"


def _json(**data: Any) -> bytes:
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("data", "headers"),
    [
        ({"body": "Thanks for the *report*.", "author_name": "Ann"}, {}),
        ({"body": "Same here", "author_name": "Bo", "author_email": "bo@example.org"}, {}),
        ({"body": "Guest with a key", "author_name": "Cy"}, {"X-Threadline-Guest": "g-123"}),
        ({"body": "From the widget", "author_name": "Di"}, {"Origin": "ORIGIN"}),
        ({"body": "You idiot, go die", "author_name": "Fa"}, {}),  # held, with reasons
        ({"body": "I am a bot", "author_name": "Gi", "website": "http://spam.example"}, {}),
        ({"body": "   ", "author_name": "Ha"}, {}),  # the action refuses it
        ({"body": "no name"}, {}),
        ({"body": "reply", "author_name": "Io", "parent_id": 10**12}, {}),
        ({"body": "x" * 20_000, "author_name": "Jo"}, {}),
    ],
)
def test_plain_posts_answer_as_ninja_does(story, data, headers):
    if headers.get("Origin") == "ORIGIN":
        headers = {"Origin": story.site.allowed_origins[0]}
    fast, ninja, took_fast_path = _both(_url(story), _json(**data), **headers)
    assert fast == ninja
    assert took_fast_path


@pytest.mark.parametrize("origin", ["https://evil.example", "OTHER SITE", "null"])
def test_a_post_from_another_sites_page_is_refused_on_both_paths(story, origin):
    # Refused before either path runs (threadline.origins), so both answer alike.
    if origin == "OTHER SITE":
        origin = SiteFactory().allowed_origins[0]
        forget_origins()
    body = _json(body="From elsewhere", author_name="Ed")
    fast, ninja, _ = _both(_url(story), body, Origin=origin)
    assert fast == ninja and fast[0] == 403 and fast[2]["error"]["code"] == "foreign_origin"
    assert "Access-Control-Allow-Origin" not in fast[1]
    assert Comment.objects.count() == 0


def test_replies_answer_as_ninja_does(story):
    parent = post_comment(story, "The parent").comment
    fast, ninja, took_fast_path = _both(
        _url(story), _json(body="A reply", author_name="Ann", parent_id=parent.pk)
    )
    assert fast == ninja and fast[0] == 201 and fast[2]["parent_id"] == parent.pk
    assert took_fast_path


def test_errors_from_the_action_answer_as_ninja_does(story):
    other = StoryFactory(site=story.site)
    foreign = post_comment(other, "elsewhere").comment
    Story.objects.filter(pk=other.pk).update(is_open=False)
    cases = [
        (_url(other), _json(body="closed story", author_name="A")),
        (_url(story), _json(body="foreign parent", author_name="A", parent_id=foreign.pk)),
        ("/api/v1/stories/999999999/comments", _json(body="no story", author_name="A")),
    ]
    for path, body in cases:
        fast, ninja, _ = _both(path, body)
        assert fast == ninja and 400 <= fast[0] < 500 and fast[2]["error"]["code"]


def test_a_bad_bearer_token_answers_as_ninja_does(story):
    fast, ninja, _ = _both(
        _url(story), _json(body="hi", author_name="A"), Authorization="Bearer nope"
    )
    assert fast == ninja and fast[0] == 401


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b"[1]", "application/json"),
        (b'{"body": "hi", "author_name": "A", "extra": 1}', "application/json"),
        (b'{"body": 5, "author_name": "A"}', "application/json"),
        (b'{"body": "hi", "author_name": "A", "parent_id": "x"}', "application/json"),
        (b'{"body": "\\ud800", "author_name": "A"}', "application/json"),
        (b'{"body": "hi", "author_name": "A"}', "text/plain"),
    ],
)
def test_bad_requests_are_left_to_ninja(story, body, content_type):
    fast, ninja, took_fast_path = _both(_url(story), body, content_type)
    assert fast == ninja and 400 <= fast[0] < 500
    assert not took_fast_path
    assert Comment.objects.count() == 0


def test_a_post_with_a_query_string_is_left_to_ninja(story):
    fast, ninja, took_fast_path = _both(_url(story, "?x=1"), _json(body="hi", author_name="A"))
    assert fast == ninja and fast[0] == 201
    assert not took_fast_path


def test_rate_limits_answer_as_ninja_does(story, settings):
    settings.THREADLINE = {**settings.THREADLINE, "RATE_LIMIT_POST_IP": "1/60"}
    answers = []
    for middleware in (
        django_settings.MIDDLEWARE,
        [m for m in django_settings.MIDDLEWARE if m != FAST],
    ):
        cache.clear()
        with override_settings(MIDDLEWARE=middleware):
            client = Client()
            for text in ("first", "second"):
                r = client.post(
                    _url(story), _json(body=text, author_name="A"), content_type="application/json"
                )
        answers.append(_answer(r))
    assert answers[0] == answers[1] and answers[0][0] == 429
    assert answers[0][1]["Retry-After"]


def test_fast_posts_are_counted_under_their_route(story):
    from threadline.ops import REQUESTS

    labels = {"method": "POST", "route": "api/v1/stories/<story_id>/comments", "status": "201"}
    before = REQUESTS.labels(**labels)._value.get()
    _, _, took_fast_path = _both(_url(story), _json(body="Counted", author_name="A"))
    assert took_fast_path
    assert REQUESTS.labels(**labels)._value.get() == before + 2  # fast, then Ninja


def test_the_request_carries_the_match_django_would_resolve(story):
    from django.urls import resolve

    seen = []
    real = fastpost.posted_response

    def spy(request, story_id, payload):  # noqa: ANN001,ANN202
        seen.append(request.resolver_match)
        return real(request, story_id, payload)

    with mock.patch.object(fastpost, "posted_response", spy):
        for n in range(2):  # the second comes from the remembered match
            r = Client().post(
                _url(story),
                _json(body=f"Match {n}", author_name="A"),
                content_type="application/json",
            )
            assert r.status_code == 201
    expected = resolve(_url(story))
    for match in seen:
        assert (match.func, match.kwargs, match.route, match.url_name, match.namespaces) == (
            expected.func,
            expected.kwargs,
            expected.route,
            expected.url_name,
            expected.namespaces,
        )
    assert len(seen) == 2
