"""The moderator API: bearer token, moderator rights per site, the one error shape."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.dashboard.world import World, build_world, use_fake_scorers
from threadline.actions.accounts import token_create
from threadline.models import Ban, ModerationEvent


@pytest.fixture
def world(db: Any, settings: Any) -> World:
    use_fake_scorers(settings)
    return build_world()


# (method, path template, body): every request aims at site "alpha".
ENDPOINTS = [
    ("get", "/moderation/queue?site={site}", None),
    ("get", "/moderation/comments/{pending}", None),
    ("post", "/moderation/comments/{pending}/approve", None),
    ("post", "/moderation/comments/{pending}/reject", {"reason": "spam"}),
    ("post", "/moderation/comments/{pending}/pin", {"on": True}),
    ("post", "/moderation/comments/{pending}/feature", {"on": True}),
    ("post", "/moderation/commenters/{commenter}/ban", {"days": 2}),
    ("post", "/moderation/commenters/{commenter}/unban", None),
    ("get", "/moderation/bans?site={site}", None),
    ("post", "/moderation/bans", {"site": "{site}", "kind": "ip", "value": "198.51.100.7"}),
    ("post", "/moderation/bans/{ban}/lift", None),
]


def _call(api: Api, world: World, method: str, path: str, body: Any) -> Any:
    ban, _ = Ban.objects.get_or_create(site=world.site, kind="email", value="x@example.org")
    ids = {
        "site": world.site.pk,
        "pending": world.pending.pk,
        "commenter": world.pending.commenter_id,
        "ban": ban.pk,
    }
    path = path.format(**ids)
    if body is not None:  # "{site}" in a body is the id itself
        body = {k: world.site.pk if v == "{site}" else v for k, v in body.items()}
    return api.get(path) if method == "get" else api.post(path, body)


def test_every_moderation_route_is_covered() -> None:
    from threadline.api.moderation import router

    operations = [op for view in router.path_operations.values() for op in view.operations]
    assert len(operations) == len(ENDPOINTS)


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
@pytest.mark.parametrize("who", ["anonymous", "reader", "other_moderator"])
def test_refused_to_anyone_but_the_sites_moderators(
    api: Api, world: World, who: str, method: str, path: str, body: Any
) -> None:
    if who != "anonymous":
        api.token = token_create(user=getattr(world, who))
    response = _call(api, world, method, path, body)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
def test_the_sites_moderator_gets_through(
    api: Api, world: World, method: str, path: str, body: Any
) -> None:
    api.token = token_create(user=world.moderator)
    assert _call(api, world, method, path, body).status_code == 200


def test_bad_token_is_a_401(api: Api, world: World) -> None:
    api.token = "nonsense"
    assert api.get("/moderation/queue").json()["error"]["code"] == "invalid_token"


@pytest.fixture
def mod_api(api: Api, world: World) -> Api:
    api.token = token_create(user=world.moderator)
    return api


def test_queue_lists_pending_with_markers_and_counts(mod_api: Api, world: World) -> None:
    data = mod_api.get("/moderation/queue").json()
    assert [c["id"] for c in data["comments"]] == [world.pending.pk]
    assert "Toxic 0.95" in data["comments"][0]["markers"]
    assert data["counts"]["pending"] == 1 and data["counts"]["reported"] == 1


def test_queue_search_and_other_queues(mod_api: Api, world: World) -> None:
    data = mod_api.get("/moderation/queue", queue="all", q="amira@example.org").json()
    assert [c["id"] for c in data["comments"]] == [world.published.pk]
    reported = mod_api.get("/moderation/queue", queue="reported").json()
    assert [c["id"] for c in reported["comments"]] == [world.reported.pk]


def test_queue_rejects_an_unknown_queue(mod_api: Api, world: World) -> None:
    response = mod_api.get("/moderation/queue", queue="nope")
    assert response.status_code == 400 and response.json()["error"]["field"] == "queue"


def test_comment_detail_has_scores_with_explanation_and_parent(mod_api: Api, world: World) -> None:
    data = mod_api.get(f"/moderation/comments/{world.pending.pk}").json()
    assert data["scores"]["toxicity"]["value"] == 0.95
    assert data["scores"]["toxicity"]["explanation"] == ["idiot"]
    assert data["parent"]["id"] == world.published.pk
    assert data["author"]["email"] == "troll@example.org"


def test_approve_publishes_and_is_audited(mod_api: Api, world: World) -> None:
    data = mod_api.post(f"/moderation/comments/{world.pending.pk}/approve").json()
    assert data["status"] == "published"
    assert ModerationEvent.objects.filter(
        comment=world.pending, action="approve", actor=world.moderator
    ).exists()


def test_reject_with_reason_and_note(mod_api: Api, world: World) -> None:
    data = mod_api.post(
        f"/moderation/comments/{world.pending.pk}/reject",
        {"reason": "illegal_hate_speech", "note": "slur"},
    ).json()
    assert data["status"] == "rejected"
    event = ModerationEvent.objects.filter(comment=world.pending, action="reject").get()
    assert event.reason_code == "illegal_hate_speech"


def test_reject_with_unknown_reason_is_a_400(mod_api: Api, world: World) -> None:
    response = mod_api.post(f"/moderation/comments/{world.pending.pk}/reject", {"reason": "x"})
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "reason"
    world.pending.refresh_from_db()
    assert world.pending.status == "pending"


def test_ban_for_good_and_then_posting_is_refused(mod_api: Api, world: World) -> None:
    data = mod_api.post(
        f"/moderation/commenters/{world.pending.commenter_id}/ban", {"message": "Hate speech"}
    ).json()
    assert data["banned"] and data["banned_until"] is None
    from tests.factories import post_comment
    from threadline import errors

    with pytest.raises(errors.BannedError):
        post_comment(world.story, "Another try", name="Troll", author_email="troll@example.org")


def test_ban_days_out_of_range_is_a_400(mod_api: Api, world: World) -> None:
    response = mod_api.post(f"/moderation/commenters/{world.pending.commenter_id}/ban", {"days": 0})
    assert response.status_code == 400 and response.json()["error"]["field"] == "days"


def test_unknown_comment_is_a_403_like_another_sites(mod_api: Api, world: World) -> None:
    assert mod_api.get("/moderation/comments/999999").status_code == 403


def test_huge_ids_are_a_400_or_403_never_a_500(mod_api: Api, world: World) -> None:
    huge = "9" * 25
    assert mod_api.get(f"/moderation/queue?story={huge}").status_code == 400
    assert mod_api.get(f"/moderation/queue?site={huge}").status_code == 400
    assert mod_api.get(f"/moderation/comments/{huge}").status_code == 403
    assert mod_api.post(f"/moderation/commenters/{huge}/unban").status_code == 403


def test_an_explicit_email_ban_refuses_whoever_types_the_address(
    mod_api: Api, world: World
) -> None:
    from tests.factories import post_comment
    from threadline import errors

    body = {"site": world.site.pk, "kind": "email", "value": "Troll@Example.org", "days": 3}
    created = mod_api.post("/moderation/bans", body).json()
    assert created["value"] == "troll@example.org" and created["until"] is not None
    for name in ("Troll", "Someone else"):
        with pytest.raises(errors.BannedError):
            post_comment(world.story, "Hi", name=name, author_email="troll@example.org")
    listed = mod_api.get(f"/moderation/bans?site={world.site.pk}").json()["bans"]
    assert [b["id"] for b in listed] == [created["id"]]
    assert mod_api.post(f"/moderation/bans/{created['id']}/lift").status_code == 200
    assert post_comment(world.story, "Hi", name="Troll", author_email="troll@example.org")


def test_an_ip_ban_and_a_commenter_ban_are_separate_choices(mod_api: Api, world: World) -> None:
    from tests.factories import post_comment
    from threadline import errors
    from threadline.domain.identity import Actor

    commenter = world.pending.commenter_id
    data = mod_api.post(f"/moderation/commenters/{commenter}/ban", {"days": 2}).json()
    assert data["banned"] and data["known_by"] == "browser"
    assert not Ban.objects.exists()  # no address or IP ban unless asked for
    mod_api.post(f"/moderation/commenters/{commenter}/ban", {"ip": "127.0.0.1", "days": 2})
    assert Ban.objects.get().value == "127.0.0.1"
    with pytest.raises(errors.BannedError):
        post_comment(world.story, "Hi", name="Amira", actor=Actor(guest_key="x", ip="127.0.0.1"))


def test_a_bad_ban_value_is_a_400_and_another_sites_ban_a_403(mod_api: Api, world: World) -> None:
    body = {"site": world.site.pk, "kind": "ip", "value": "10.0.0.0/8"}
    response = mod_api.post("/moderation/bans", body)
    assert response.status_code == 400 and response.json()["error"]["field"] == "value"
    body = {"site": world.other_site.pk, "kind": "ip", "value": "10.0.0.1"}
    assert mod_api.post("/moderation/bans", body).status_code == 403
    other = Ban.objects.create(site=world.other_site, kind="ip", value="10.0.0.1")
    assert mod_api.post(f"/moderation/bans/{other.pk}/lift").status_code == 403
    assert mod_api.get(f"/moderation/bans?site={world.other_site.pk}").status_code == 403
