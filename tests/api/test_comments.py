"""The public comment API, through HTTP, against the documented contract."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import post_comment
from threadline.models import Comment, CommentRevision, CommentStatus, Story

pytestmark = pytest.mark.django_db


def _post(api, story, **data):  # noqa: ANN001,ANN003,ANN202
    data.setdefault("author_name", "Ann")
    return api.post(f"/stories/{story.pk}/comments", data)


def test_guest_posts_a_published_comment_with_an_edit_token(api, story):
    r = _post(api, story, body="Thanks for the *report*.", author_email="ann@example.org")
    assert r.status_code == 201, r.content
    out = r.json()
    assert out["status"] == "published"
    assert out["edit_token"]
    assert out["body_html"] == "<p>Thanks for the <em>report</em>.</p>\n"
    assert "ann@example.org" not in r.content.decode()
    story.refresh_from_db()
    assert story.comment_count == 1


def test_a_post_answers_with_exactly_the_documented_fields(api, story):
    import json

    from ninja.responses import NinjaJSONEncoder

    from threadline.api.schemas import PostedOut

    published = _post(api, story, body="Good point.")
    site = story.site
    site.premoderation = "all"
    site.save()
    held = _post(api, story, body="Another point.")
    for r, status in ((published, 201), (held, 202)):
        assert r.status_code == status and r["Content-Type"] == "application/json; charset=utf-8"
        out = r.json()
        assert set(out) == set(PostedOut.model_fields)
        # What Django Ninja itself would send for this schema: validated, then encoded.
        rendered = json.dumps(PostedOut.model_validate(out).model_dump(), cls=NinjaJSONEncoder)
        assert json.loads(rendered) == out
    assert held.json()["reasons"] == ["Pre-moderation: all comments"]
    assert published.json()["created_at"].endswith("Z")


def test_reply_chain_five_levels_deep_is_nested_in_the_thread(api, story):
    parent_id = None
    for level in range(6):
        r = _post(
            api, story, body=f"level {level}", parent_id=parent_id, author_name=f"Reader {level}"
        )
        assert r.status_code == 201, r.content
        parent_id = r.json()["id"]
    thread = api.get(f"/stories/{story.pk}/comments", sort="oldest").json()
    node, depth = thread["comments"][0], 0
    while node["replies"]:
        node, depth = node["replies"][0], depth + 1
    assert depth == 5
    assert node["depth"] == 5
    assert thread["comments"][0]["reply_count"] == 5


def test_depth_limit_cuts_the_tree_with_a_more_replies_count(api, story):
    top = post_comment(story, "top").comment
    child = post_comment(story, "child", parent=top).comment
    post_comment(story, "grandchild", parent=child)
    thread = api.get(f"/stories/{story.pk}/comments", depth=1).json()
    cut = thread["comments"][0]["replies"][0]
    assert cut["replies"] == [] and cut["more_replies"] == 1
    more = api.get(f"/comments/{cut['id']}/replies").json()
    assert [r["body_html"] for r in more["replies"]] == ["<p>grandchild</p>\n"]


@pytest.mark.parametrize(
    ("data", "status", "code", "field"),
    [
        ({"body": ""}, 400, "empty_body", "body"),
        ({"body": "   \n\t "}, 400, "empty_body", "body"),
        ({"body": "x" * 10_001}, 400, "body_too_long", "body"),
        ({"body": "hi\x00there"}, 400, "control_characters", "body"),
        ({"body": "hi", "author_name": ""}, 400, "name_required", "author_name"),
        ({"body": "hi", "author_email": "not-an-address"}, 400, "invalid_email", "author_email"),
        ({"body": "hi", "parent_id": 999999}, 400, "invalid_parent", "parent_id"),
        ({"body": 5}, 400, "invalid", "body"),
        ({"body": "hi", "unknown": 1}, 400, "invalid", "unknown"),
        ({}, 400, "invalid", "body"),
    ],
)
def test_bad_input_gets_a_stable_error_and_stores_nothing(api, story, data, status, code, field):
    data = {"author_name": "Ann", **data}
    r = api.post(f"/stories/{story.pk}/comments", data)
    assert r.status_code == status, r.content
    error = r.json()["error"]
    assert error["code"] == code
    assert error.get("field") == field
    assert error["message"]
    assert Comment.objects.count() == 0
    assert Story.objects.get(pk=story.pk).comment_count == 0


UNICODE = ("invalid_unicode", 400)


@pytest.mark.parametrize(
    ("body", "content_type", "code", "status"),
    [
        (b"{not json", "application/json", "invalid_json", 400),
        (b"[1, 2]", "application/json", "invalid_json", 400),
        (b'{"body": "hi"}', "text/plain", "unsupported_media_type", 415),
        (b"body=hi", "application/x-www-form-urlencoded", "unsupported_media_type", 415),
        (b'{"body": "\\ud800", "author_name": "A"}', "application/json", "invalid_unicode", 400),
        (
            b'{"body": "ok", "author_name": "A", "\\udfff": 1}',
            "application/json",
            "invalid_unicode",
            400,
        ),
        (
            b'{"body": "caf\\u00e9 \\udc00", "author_name": "A"}',
            "application/json",
            "invalid_unicode",
            400,
        ),
        (b'{"body": "\xff\xfe", "author_name": "A"}', "application/json", "invalid_unicode", 400),
    ],
)
def test_malformed_requests_are_refused(client, story, body, content_type, code, status):
    r = client.post(f"/api/v1/stories/{story.pk}/comments", body, content_type=content_type)
    assert r.status_code == status
    assert r.json()["error"]["code"] == code
    assert Comment.objects.count() == 0


def test_foreign_parent_from_another_story_is_refused(api, story):
    from tests.factories import StoryFactory

    other = StoryFactory(site=story.site)
    foreign = post_comment(other, "elsewhere").comment
    r = _post(api, story, body="reply", parent_id=foreign.pk)
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_parent"


def test_reply_to_deleted_comment_is_refused(api, story):
    parent = post_comment(story, "soon gone").comment
    Comment.objects.filter(pk=parent.pk).update(status=CommentStatus.DELETED)
    r = _post(api, story, body="reply", parent_id=parent.pk)
    assert r.status_code == 409 and r.json()["error"]["code"] == "parent_not_open"


def test_reply_to_held_comment_is_refused(api, story):
    parent = post_comment(story, "held").comment
    Comment.objects.filter(pk=parent.pk).update(status=CommentStatus.PENDING)
    r = _post(api, story, body="reply", parent_id=parent.pk)
    assert r.status_code == 409 and r.json()["error"]["code"] == "parent_not_open"


def test_closed_story_refuses_comments(api, story):
    Story.objects.filter(pk=story.pk).update(is_open=False)
    r = _post(api, story, body="hello")
    assert r.status_code == 403 and r.json()["error"]["code"] == "story_closed"


def test_guest_posting_can_be_turned_off(api, story):
    story.site.guest_posting = False
    story.site.save()
    r = _post(api, story, body="hello")
    assert r.status_code == 401 and r.json()["error"]["code"] == "login_required"


def test_body_limit_is_per_site(api, story):
    story.site.max_body_length = 20
    story.site.save()
    assert _post(api, story, body="x" * 20).status_code == 201
    r = _post(api, story, body="x" * 21)
    assert r.json()["error"]["code"] == "body_too_long"


def test_author_edits_within_the_window_and_the_old_text_is_kept(api, story):
    posted = _post(api, story, body="first version").json()
    r = api.patch(
        f"/comments/{posted['id']}", {"body": "second version", "edit_token": posted["edit_token"]}
    )
    assert r.status_code == 200, r.content
    assert r.json()["body"] == "second version"
    assert list(CommentRevision.objects.values_list("body", flat=True)) == ["first version"]
    thread = api.get(f"/stories/{story.pk}/comments").json()
    assert thread["comments"][0]["body_html"] == "<p>second version</p>\n"
    assert thread["comments"][0]["edited_at"] is not None


def test_edit_with_wrong_token_or_none_is_refused(api, story):
    posted = _post(api, story, body="mine").json()
    r = api.patch(f"/comments/{posted['id']}", {"body": "hijack", "edit_token": "wrong"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_token"
    r = api.patch(f"/comments/{posted['id']}", {"body": "hijack"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_your_comment"
    assert Comment.objects.get(pk=posted["id"]).body == "mine"


def test_edit_after_the_window_is_refused(api, story):
    posted = _post(api, story, body="old").json()
    Comment.objects.filter(pk=posted["id"]).update(
        created_at=timezone.now() - timedelta(minutes=16)
    )
    r = api.patch(f"/comments/{posted['id']}", {"body": "new", "edit_token": posted["edit_token"]})
    assert r.status_code == 403 and r.json()["error"]["code"] == "edit_window_closed"


def test_delete_with_replies_leaves_a_tombstone(api, story):
    posted = _post(api, story, body="parent").json()
    post_comment(story, "a reply", parent=Comment.objects.get(pk=posted["id"]))
    r = api.delete(f"/comments/{posted['id']}", {"edit_token": posted["edit_token"]})
    assert r.status_code == 200 and r.json()["status"] == "deleted"
    thread = api.get(f"/stories/{story.pk}/comments").json()
    tomb = thread["comments"][0]
    assert tomb["status"] == "deleted" and tomb["body_html"] == "" and tomb["author"]["name"] == ""
    assert tomb["replies"][0]["body_html"] == "<p>a reply</p>\n"
    assert thread["total"] == 1


def test_delete_without_replies_disappears(api, story):
    posted = _post(api, story, body="alone").json()
    api.delete(f"/comments/{posted['id']}", {"edit_token": posted["edit_token"]})
    thread = api.get(f"/stories/{story.pk}/comments").json()
    assert thread["comments"] == [] and thread["total"] == 0


def test_permalink_returns_ancestors(api, story):
    a = post_comment(story, "a").comment
    b = post_comment(story, "b", parent=a).comment
    c = post_comment(story, "c", parent=b).comment
    out = api.get(f"/comments/{c.pk}").json()
    assert [x["id"] for x in out["ancestors"]] == [a.pk, b.pk]
    assert out["comment"]["id"] == c.pk


def test_held_comment_is_not_readable_by_others(api, story):
    held = post_comment(story, "held").comment
    Comment.objects.filter(pk=held.pk).update(status=CommentStatus.PENDING)
    assert api.get(f"/comments/{held.pk}").status_code == 404
    assert api.get(f"/stories/{story.pk}/comments").json()["comments"] == []


def test_rate_limit_per_ip_answers_429_with_retry_after(api, story, settings):
    settings.THREADLINE = {**settings.THREADLINE, "RATE_LIMIT_POST_IP": "2/60"}
    assert _post(api, story, body="one").status_code == 201
    assert _post(api, story, body="two").status_code == 201
    r = _post(api, story, body="three")
    assert r.status_code == 429
    assert r.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(r["Retry-After"]) <= 60
    assert Comment.objects.count() == 2


def test_unknown_api_path_and_method_answer_json(api, story):
    r = api.get("/nowhere")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = api.send("put", f"/stories/{story.pk}/comments", {"body": "x"})
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"


def test_openapi_schema_describes_the_fixed_paths(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in [
        "/api/v1/stories/lookup",
        "/api/v1/stories/{story_id}/comments",
        "/api/v1/comments/{comment_id}",
        "/api/v1/comments/{comment_id}/votes",
        "/api/v1/comments/{comment_id}/flags",
        "/api/v1/counts",
        "/api/v1/auth/register",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/auth/me",
    ]:
        assert path in schema["paths"], path
    assert client.get("/api/v1/docs").status_code == 200


def test_api_docs_live_at_api_docs(client):
    r = client.get("/api/docs")
    assert r.status_code == 302 and r["Location"] == "/api/v1/docs"
