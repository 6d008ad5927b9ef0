"""A page of one site cannot read or write another site's threads from a browser: CORS
answers only the story's site's origins, and writes from any other page are refused —
on the Django path, the fast read path and the fast posting path alike."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import async_to_sync

from tests.asgi import asgi_call, http_scope
from tests.factories import SiteFactory, StoryFactory, post_comment
from threadline.models import Comment, Flag, Vote
from threadline.server import origins
from threadline.server.asgi import application
from threadline.server.middleware import forget_origins

pytestmark = pytest.mark.django_db

ACAO = "Access-Control-Allow-Origin"


@pytest.fixture
def two_sites(story: Any) -> tuple[Any, str, str]:
    """(a story of site A, A's origin, B's origin): both sites on this server."""
    other = SiteFactory()
    forget_origins()
    return story, story.site.allowed_origins[0], other.allowed_origins[0]


def _post(client: Any, path: str, data: dict, method: str = "post", **headers: str) -> Any:
    return getattr(client, method)(
        path, json.dumps(data), content_type="application/json", headers=headers
    )


# --- reads (CORS) ---------------------------------------------------------------------------


def test_another_sites_page_gets_no_cors_for_this_sites_thread(client, two_sites):
    story, mine, theirs = two_sites
    comment = post_comment(story, "hello").comment
    paths = [
        f"/api/v1/stories/{story.pk}",
        f"/api/v1/stories/{story.pk}/comments",
        f"/api/v1/comments/{comment.pk}",
        f"/api/v1/comments/{comment.pk}/replies",
    ]
    for path in paths:
        assert client.get(path, headers={"Origin": mine})[ACAO] == mine, path
        r = client.get(path, headers={"Origin": theirs})
        assert r.status_code == 200 and ACAO not in r, path
        assert "Origin" in r["Vary"]


def test_the_readme_snippet_on_another_site_cannot_load_this_sites_story(client, two_sites):
    story, mine, theirs = two_sites
    path = "/api/v1/stories/lookup"
    assert client.get(path, {"url": story.url}, headers={"Origin": mine})[ACAO] == mine
    assert ACAO not in client.get(path, {"url": story.url}, headers={"Origin": theirs})


def test_a_preflight_is_answered_only_for_the_stories_site(client, two_sites):
    story, mine, theirs = two_sites
    path = f"/api/v1/stories/{story.pk}/comments"
    ask = {"Access-Control-Request-Method": "POST"}
    r = client.options(path, headers={"Origin": mine, **ask})
    assert r.status_code == 204 and r[ACAO] == mine
    r = client.options(path, headers={"Origin": theirs, **ask})
    assert r.status_code == 403 and ACAO not in r


def test_calls_about_no_one_site_answer_every_sites_origins(client, two_sites):
    story, mine, theirs = two_sites
    for origin in (mine, theirs):
        assert (
            client.get("/api/v1/counts", {"url": story.url}, headers={"Origin": origin})[ACAO]
            == origin
        )
    assert ACAO not in client.get("/api/v1/counts", {"url": story.url}, headers={"Origin": "x"})


def test_the_site_of_a_story_is_asked_once_per_process(two_sites, django_assert_num_queries):
    story, mine, _ = two_sites
    assert mine in origins.for_story(story.pk)
    with django_assert_num_queries(0):
        assert mine in origins.for_story(story.pk)
    assert origins.for_story(10**15) == origins.allowed_origins()  # no such story: the view 404s


# --- writes -----------------------------------------------------------------------------------


def test_a_post_from_another_sites_page_is_refused(client, two_sites):
    story, mine, theirs = two_sites
    path = f"/api/v1/stories/{story.pk}/comments"
    body = {"body": "From elsewhere", "author_name": "Ed"}
    for headers in ({"Origin": theirs}, {"Referer": f"{theirs}/page"}, {"Origin": "null"}):
        r = _post(client, path, body, **headers)
        assert r.status_code == 403, headers
        assert r.json()["error"]["code"] == "foreign_origin" and ACAO not in r
    assert Comment.objects.count() == 0
    accepted = [
        {"Origin": mine},
        {"Referer": f"{mine}/2017/09/story"},
        {},  # a server or a script: no page named
        {"Referer": "android-app://com.example.news/"},  # not a web page
        {"Origin": "http://testserver"},  # Threadline's own pages (the API docs)
    ]
    for i, headers in enumerate(accepted):
        body = {"body": f"From home {i}", "author_name": f"Ann{i}"}
        assert _post(client, path, body, **headers).status_code == 201, headers


def test_every_write_on_a_comment_checks_the_comments_site(client, two_sites):
    story, mine, theirs = two_sites
    posted = post_comment(story, "target")
    comment, token = posted.comment, posted.edit_token
    guest = {"X-Threadline-Guest": "g-1"}
    cases = [
        ("post", f"/api/v1/comments/{comment.pk}/votes", {"value": 1}),
        ("post", f"/api/v1/comments/{comment.pk}/flags", {"reason": "spam"}),
        ("patch", f"/api/v1/comments/{comment.pk}", {"body": "changed", "edit_token": token}),
        ("delete", f"/api/v1/comments/{comment.pk}", {"edit_token": token}),
    ]
    for method, path, data in cases:
        r = _post(client, path, data, method, Origin=theirs, **guest)
        assert r.status_code == 403 and r.json()["error"]["code"] == "foreign_origin", path
    comment.refresh_from_db()
    assert comment.body == "target" and comment.status == "published"
    assert not Vote.objects.exists() and not Flag.objects.exists()
    for method, path, data in cases:
        r = _post(client, path, data, method, Origin=mine, **guest)
        assert r.status_code in (200, 201), (path, r.content)
        assert r[ACAO] == mine


def test_writes_about_no_one_site_accept_any_sites_page(client, two_sites):
    _, _, theirs = two_sites
    body = {"username": "reader1", "password": "a long passphrase 1"}
    r = _post(client, "/api/v1/auth/register", body, Origin=theirs)
    assert r.status_code == 201 and r[ACAO] == theirs
    r = _post(client, "/api/v1/auth/login", body, Origin="https://evil.example")
    assert r.status_code == 403 and r.json()["error"]["code"] == "foreign_origin"


# --- the fast read path agrees, header by header ----------------------------------------------


def _asgi(app: Any, path: str, origin: str) -> tuple[int, dict[bytes, bytes], bytes]:
    scope = http_scope("GET", path, b"", [(b"origin", origin.encode())])
    return async_to_sync(asgi_call)(app, scope)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("who", ["mine", "theirs", "unknown"])
def test_the_fast_path_answers_cors_as_the_view_does(who):
    from threadline.server.fastpath import cached_thread

    story = StoryFactory()
    theirs = SiteFactory().allowed_origins[0]
    forget_origins()
    origin = {"mine": story.site.allowed_origins[0], "theirs": theirs}.get(who, "https://x.example")
    post_comment(story, "hello")
    path = f"/api/v1/stories/{story.pk}/comments"
    django = _asgi(application.app, path, origin)  # Django's own handler; caches the page
    assert cached_thread(story.pk, "", "", origin) is not None  # so the fast path answers
    fast = _asgi(application, path, origin)
    assert fast[0] == django[0] == 200 and fast[2] == django[2]
    want = {k.lower(): v for k, v in django[1].items()}
    got = {k.lower(): v for k, v in fast[1].items()}
    assert got == want
    assert (b"access-control-allow-origin" in got) is (who == "mine")
