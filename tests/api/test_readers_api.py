"""The reader's own layer of the API: ``POST /stories/{id}/me`` (own comments nobody else
sees, mutes, unread count, moderator rights), ``/mutes`` and ``/notifications``; a ban's
terms and a shadow ban as a writer meets them; bad input answered 4xx in the error shape."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.factories import UserFactory, post_comment
from threadline.actions.accounts import token_create
from threadline.actions.commenters import commenter_ban
from threadline.actions.moderation_desk import comment_reject
from threadline.actions.reader_notifications import reader_notifications_create
from threadline.domain.identity import Actor
from threadline.models import Commenter, PremoderationMode, Subscription

pytestmark = pytest.mark.django_db


def _signed_in(api: Api, user: Any) -> Api:
    api.token = token_create(user=user)
    return api


def _post(api: Api, story: Any, body: str, **extra: Any) -> Any:
    return api.post(f"/stories/{story.pk}/comments", {"body": body, "author_name": "Ann", **extra})


def test_a_guest_sees_their_held_and_rejected_comments_by_their_edit_tokens(
    api: Api, story: Any
) -> None:
    story.site.premoderation = PremoderationMode.ALL
    story.site.save(update_fields=["premoderation"])
    api.guest = "browser-1"
    held = _post(api, story, "Waiting for review.").json()
    gone = _post(api, story, "Turned down.").json()
    comment_reject(
        comment=Commenter.objects.get().comments.get(pk=gone["id"]),
        actor=UserFactory(),
        reason_code="off_topic",
        note="Not about the story",
    )
    own = [{"id": held["id"], "edit_token": held["edit_token"]}]
    own.append({"id": gone["id"], "edit_token": gone["edit_token"]})
    own.append({"id": gone["id"] + 99, "edit_token": "forged"})
    data = api.post(f"/stories/{story.pk}/me", {"own": own}).json()
    by_id = {c["id"]: c for c in data["own"]}
    assert set(by_id) == {held["id"], gone["id"]}
    assert by_id[held["id"]]["status"] == "pending" and by_id[held["id"]]["statement"] == []
    assert by_id[held["id"]]["body_html"].strip() == "<p>Waiting for review.</p>"
    assert by_id[gone["id"]]["status"] == "rejected"
    assert by_id[gone["id"]]["statement"] == ["Off-topic", "Not about the story"]
    assert data["moderator"] is False and data["held"] == [] and data["unread"] == 0
    # Someone else's browser with a wrong token learns nothing.
    wrong = [{"id": held["id"], "edit_token": gone["edit_token"]}]
    assert Api(api.client).post(f"/stories/{story.pk}/me", {"own": wrong}).json()["own"] == []


def test_a_shadow_banned_writer_is_answered_published_everywhere(api: Api, story: Any) -> None:
    api.guest = "browser-2"
    first = _post(api, story, "Before the ban.").json()
    commenter = Commenter.objects.get(comments__pk=first["id"])
    commenter_ban(commenter=commenter, actor=None, days=30, shadow=True)
    r = _post(api, story, "After the ban.")
    assert r.status_code == 201 and r.json()["status"] == "published", r.content
    posted = r.json()
    source = api.get(f"/comments/{posted['id']}/source", edit_token=posted["edit_token"]).json()
    assert source["status"] == "published"
    own = [{"id": posted["id"], "edit_token": posted["edit_token"]}]
    mine = api.post(f"/stories/{story.pk}/me", {"own": own}).json()["own"]
    assert [(c["id"], c["status"], c["statement"]) for c in mine] == [
        (posted["id"], "published", [])
    ]
    thread = Api(api.client).get(f"/stories/{story.pk}/comments").json()
    assert [c["id"] for c in thread["comments"]] == [first["id"]]
    hidden = Api(api.client).get(f"/comments/{posted['id']}").json()["comment"]
    assert hidden["status"] == "removed" and hidden["body_html"] == ""  # as any removed one


def test_a_banned_writer_gets_the_bans_end_in_the_error(api: Api, story: Any) -> None:
    api.guest = "browser-3"
    first = _post(api, story, "Before.").json()
    commenter = Commenter.objects.get(comments__pk=first["id"])
    commenter_ban(commenter=commenter, actor=None, days=2, message="Cool off")
    error = _post(api, story, "After.").json()["error"]
    assert error["code"] == "banned" and error["message"] == "Cool off"
    assert error["data"]["permanent"] is False and error["data"]["until"].startswith("20")
    commenter_ban(commenter=commenter, actor=None)
    assert _post(api, story, "Again.").json()["error"]["data"]["permanent"] is True


def test_a_moderator_sees_the_held_comments_with_a_suggested_reason(api: Api, story: Any) -> None:
    moderator = UserFactory()
    story.site.moderators.add(moderator)
    story.site.premoderation = PremoderationMode.ALL
    story.site.save(update_fields=["premoderation"])
    held = post_comment(story, "Held for the desk.").comment
    data = _signed_in(api, moderator).post(f"/stories/{story.pk}/me", {}).json()
    assert data["moderator"] is True
    assert [(h["id"], h["status"], h["body_html"].strip()) for h in data["held"]] == [
        (held.pk, "pending", "<p>Held for the desk.</p>")
    ]


def test_mute_hides_a_writer_for_the_muter_and_unmute_undoes_it(api: Api, story: Any) -> None:
    troll = post_comment(story, "Bait.", name="Troll").comment
    other = post_comment(story, "More bait.", name="Troll").comment
    calm = post_comment(story, "A calm view.", name="Calm").comment
    reader = UserFactory()
    r = _signed_in(api, reader).post("/mutes", {"comment_id": troll.pk})
    assert r.status_code == 201, r.content
    mute = r.json()
    assert mute["name"] == "Troll" and mute["comments"] == sorted([troll.pk, other.pk])
    state = api.post(f"/stories/{story.pk}/me", {}).json()
    assert state["mutes"] == [{"id": mute["id"], "name": "Troll"}]
    assert state["muted"] == {str(troll.pk): mute["id"], str(other.pk): mute["id"]}
    assert str(calm.pk) not in state["muted"]
    # Another reader's view is untouched, and cannot lift this mute.
    stranger = _signed_in(Api(api.client), UserFactory())
    assert stranger.post(f"/stories/{story.pk}/me", {}).json()["muted"] == {}
    r = stranger.delete(f"/mutes/{mute['id']}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "mute_not_found"
    assert api.delete(f"/mutes/{mute['id']}").json() == {"id": mute["id"], "name": "Troll"}
    assert api.post(f"/stories/{story.pk}/me", {}).json()["muted"] == {}


def test_muting_needs_an_account_and_someone_else(api: Api, story: Any) -> None:
    comment = post_comment(story, "Bait.", name="Troll").comment
    r = api.post("/mutes", {"comment_id": comment.pk})
    assert r.status_code == 401 and r.json()["error"]["code"] == "not_authenticated"
    reader = UserFactory()
    mine = post_comment(story, "Mine.", actor=Actor(user=reader, ip="127.0.0.1")).comment
    r = _signed_in(api, reader).post("/mutes", {"comment_id": mine.pk})
    assert r.status_code == 400 and r.json()["error"]["code"] == "cannot_mute_self"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("post", "/mutes", {"comment_id": "x"}, 400),
        ("post", "/mutes", {"comment_id": 0}, 400),
        ("post", "/mutes", {"comment_id": 2**60}, 400),
        ("post", "/mutes", {"comment_id": 123456}, 404),
        ("post", "/mutes", {}, 400),
        ("delete", "/mutes/0", None, 400),
        ("delete", "/mutes/99999999999999999999", None, 400),
        ("post", "/stories/{story}/me", {"own": "all"}, 400),
        ("post", "/stories/{story}/me", {"own": [{"id": "1"}] * 201}, 400),
        ("post", "/stories/{story}/me", {"own": [{"id": 1, "edit_token": "x" * 300}]}, 400),
        ("post", "/stories/{story}/me", {"mine": []}, 400),
        ("post", "/stories/987654/me", {}, 404),
        ("get", "/notifications?site=nope", None, 404),
        ("get", "/notifications", None, 400),
        ("post", "/notifications/read", {"site": ["a"]}, 400),
    ],
)
def test_bad_input_gets_a_4xx_with_a_stable_code(
    api: Api, story: Any, method: str, path: str, body: Any, status: int
) -> None:
    _signed_in(api, UserFactory())
    path = path.format(story=story.pk)
    r = api.get(path) if method == "get" else api.send(method, path, body)
    assert r.status_code == status, r.content
    assert set(r.json()["error"]) >= {"code", "message"}


def test_not_json_is_refused_with_415(api: Api, story: Any) -> None:
    r = api.client.post(f"/api/v1/stories/{story.pk}/me", "own=1", content_type="text/plain")
    assert r.status_code == 415 and r.json()["error"]["code"] == "unsupported_media_type"


def test_replies_and_mentions_fill_the_unread_badge_until_read(api: Api, story: Any) -> None:
    bo = UserFactory(first_name="Bo")
    mine = post_comment(story, "Bo's view.", actor=Actor(user=bo, ip="127.0.0.1")).comment
    reply = post_comment(story, "I disagree.", name="Cy", parent=mine).comment
    mention = post_comment(story, "As @Bo wrote.", name="Dee").comment
    for c in (reply, mention):
        reader_notifications_create(comment_id=c.pk)
    _signed_in(api, bo)
    data = api.get("/notifications", site=story.site.name).json()
    assert data["unread"] == 2
    assert [(n["kind"], n["comment_id"], n["author"]) for n in data["notifications"]] == [
        ("mention", mention.pk, "Dee"),
        ("reply", reply.pk, "Cy"),
    ]
    assert data["notifications"][0]["story"]["url"] == story.url
    assert api.post(f"/stories/{story.pk}/me", {}).json()["unread"] == 2
    assert api.post("/notifications/read", {"site": story.site.name}).json()["unread"] == 0
    assert api.get("/notifications", site=story.site.name).json()["unread"] == 0
    r = Api(api.client).get("/notifications", site=story.site.name)
    assert r.status_code == 401


def test_a_signed_in_reader_subscribes_with_their_accounts_address(
    api: Api, story: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    _signed_in(api, UserFactory(email="Reader@Example.org"))
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post("/subscriptions", {"site": story.site.name})
    assert r.status_code == 202, r.content
    assert Subscription.objects.get().email == "reader@example.org"
    assert mail.outbox[0].to == ["reader@example.org"]
    r = Api(api.client).post("/subscriptions", {"site": story.site.name})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_email"


def test_the_readers_layer_costs_a_fixed_number_of_queries(
    api: Api, story: Any, django_assert_max_num_queries: Any
) -> None:
    troll = post_comment(story, "Bait.", name="Troll").comment
    story.site.premoderation = PremoderationMode.ALL
    story.site.save(update_fields=["premoderation"])
    posted = [post_comment(story, f"Held, number {i}.") for i in range(12)]
    own = [{"id": p.comment.pk, "edit_token": p.edit_token} for p in posted]
    # story, own ids, own comments and their rejections
    with django_assert_max_num_queries(4):
        assert len(api.post(f"/stories/{story.pk}/me", {"own": own[:2]}).json()["own"]) == 2
    with django_assert_max_num_queries(4):
        assert len(api.post(f"/stories/{story.pk}/me", {"own": own}).json()["own"]) == 12
    reader = UserFactory()
    _signed_in(api, reader).post("/mutes", {"comment_id": troll.pk})
    # ... and the token, the moderator check, the mutes, what they hide, the unread count
    with django_assert_max_num_queries(10):
        data = api.post(f"/stories/{story.pk}/me", {"own": own}).json()
    assert len(data["own"]) == 12 and data["muted"] == {str(troll.pk): data["mutes"][0]["id"]}
