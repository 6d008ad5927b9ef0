"""What a moderator does through the desk: each action changes the comment and leaves an
audit row; htmx requests get the card back, plain posts are redirected."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from tests.dashboard.world import World
from threadline.models import ModerationAction, ModerationEvent

HX = {"HTTP_HX_REQUEST": "true"}


def _last_event(world: World) -> ModerationEvent:
    return ModerationEvent.objects.filter(site=world.site).order_by("-id").first()


def test_approve_by_htmx_returns_the_updated_card(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    response = client.post(reverse("desk:approve", args=[world.pending.pk]), **HX)
    assert response.status_code == 200
    assert response["HX-Trigger"] == "desk-changed"
    assert 'class="tl-card status-published"' in response.content.decode()
    world.pending.refresh_from_db()
    assert world.pending.status == "published"
    event = _last_event(world)
    assert (event.action, event.actor, event.comment_id) == (
        "approve",
        world.moderator,
        world.pending.pk,
    )


def test_plain_post_redirects_back(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    response = client.post(
        reverse("desk:approve", args=[world.pending.pk]), {"next": "/moderate/?queue=pending"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/moderate/?queue=pending"


def test_next_to_another_host_is_ignored(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    response = client.post(
        reverse("desk:approve", args=[world.pending.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/moderate/"


def test_reject_with_a_dsa_reason(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    client.post(
        reverse("desk:reject", args=[world.pending.pk]),
        {"reason": "harassment", "note": "personal attack"},
        **HX,
    )
    world.pending.refresh_from_db()
    assert world.pending.status == "rejected"
    event = _last_event(world)
    assert event.reason_code == "harassment"
    assert event.reasons == ["Harassment", "personal attack"]


def test_reject_with_unknown_reason_is_a_400_and_changes_nothing(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    response = client.post(reverse("desk:reject", args=[world.pending.pk]), {"reason": "meh"})
    assert response.status_code == 400
    world.pending.refresh_from_db()
    assert world.pending.status == "pending"


def test_bulk_approve(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    response = client.post(
        reverse("desk:bulk"), {"ids": [world.pending.pk, world.rejected.pk], "action": "approve"}
    )
    assert response.status_code == 302
    for c in (world.pending, world.rejected):
        c.refresh_from_db()
        assert c.status == "published"
    assert ModerationEvent.objects.filter(action="approve", actor=world.moderator).count() == 2


def test_bulk_with_another_sites_comment_changes_nothing(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    response = client.post(
        reverse("desk:bulk"),
        {"ids": [world.pending.pk, world.other_pending.pk], "action": "approve"},
    )
    assert response.status_code == 403
    world.pending.refresh_from_db()
    assert world.pending.status == "pending"


def test_pin_and_feature_bump_the_story_version(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    version = world.story.version
    client.post(reverse("desk:pin", args=[world.published.pk]), {"on": "1"}, **HX)
    client.post(reverse("desk:feature", args=[world.published.pk]), {"on": "1"}, **HX)
    world.published.refresh_from_db()
    world.story.refresh_from_db()
    assert world.published.is_pinned and world.published.is_featured
    assert world.story.version > version
    actions = set(
        ModerationEvent.objects.filter(comment=world.published).values_list("action", flat=True)
    )
    assert {ModerationAction.PIN, ModerationAction.FEATURE} <= actions


def test_close_thread_from_a_card(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    response = client.post(
        reverse("desk:story-open", args=[world.story.pk]),
        {"open": "0", "comment": world.pending.pk},
        **HX,
    )
    assert "Reopen thread" in response.content.decode()
    world.story.refresh_from_db()
    assert not world.story.is_open


def test_commenter_drawer_shows_history(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    html = client.get(
        reverse("desk:commenter", args=[world.pending.commenter_id]), **HX
    ).content.decode()
    assert "Troll" in html and "Latest comments" in html and "Ban Troll" in html


def test_ban_for_days_with_a_message_then_unban(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    url = reverse("desk:ban", args=[world.pending.commenter_id])
    html = client.post(url, {"days": "7", "message": "Cool off"}, **HX).content.decode()
    assert "Banned for 7 days." in html and "Cool off" in html
    commenter = world.pending.commenter
    commenter.refresh_from_db()
    assert commenter.banned_until is not None and not commenter.banned_forever
    assert _last_event(world).action == "ban"
    client.post(reverse("desk:unban", args=[commenter.pk]), **HX)
    commenter.refresh_from_db()
    assert commenter.banned_until is None


def test_ban_for_too_long_is_a_400(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    url = reverse("desk:ban", args=[world.pending.commenter_id])
    assert client.post(url, {"days": "999999999"}).status_code == 400


def test_notes_and_always_premoderate(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    client.post(
        reverse("desk:commenter-update", args=[world.pending.commenter_id]),
        {"notes": "Known troll", "always_premoderate": "on"},
        **HX,
    )
    commenter = world.pending.commenter
    commenter.refresh_from_db()
    assert commenter.notes == "Known troll" and commenter.always_premoderate


def test_audit_log_lists_human_and_automatic_decisions(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    html = client.get(reverse("desk:audit"), {"site": world.site.pk}).content.decode()
    assert "mod-a" in html  # the rejection of the spam comment
    assert "pipeline" in html and "Toxic 0.95" in html
    assert f"comment #{world.other_pending.pk}" not in html
    spam_only = client.get(reverse("desk:audit"), {"action": "reject"}).content.decode()
    assert "Toxic 0.95" not in spam_only


def test_drawer_says_how_the_commenter_is_known_and_bans_addresses_only_when_ticked(
    client: Any, world: World
) -> None:
    from threadline.models import Ban

    client.force_login(world.moderator)
    drawer = reverse("desk:commenter", args=[world.pending.commenter_id])
    html = client.get(drawer, **HX).content.decode()
    assert "Known by one browser only" in html and "(typed, unconfirmed)" in html
    assert 'name="ban_email" value="troll@example.org"' in html
    url = reverse("desk:ban", args=[world.pending.commenter_id])
    client.post(url, {"days": "7"}, **HX)
    assert not Ban.objects.exists()
    client.post(reverse("desk:unban", args=[world.pending.commenter_id]), **HX)
    client.post(url, {"days": "7", "ban_email": "troll@example.org"}, **HX)
    ban = Ban.objects.get()
    assert ban.kind == "email" and ban.value == "troll@example.org"
    html = client.get(drawer, **HX).content.decode()
    assert "E-mail address troll@example.org" in html
    lift = reverse("desk:ban-lift", args=[world.pending.commenter_id, ban.pk])
    assert "lifted" in client.post(lift, **HX).content.decode()
    assert not Ban.objects.exists()
