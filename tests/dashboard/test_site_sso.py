"""The desk's site settings: the SSO secret (shown, rotated, turned off) and the reserved
names."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict
from django.urls import reverse

from tests.dashboard.world import World
from threadline.actions.sites import SETTINGS_FIELDS
from threadline.models import ModerationEvent


def _settings(client: Any, world: World) -> str:
    return client.get(reverse("desk:site-settings", args=[world.site.pk])).content.decode()


def test_a_moderator_creates_rotates_and_turns_off_the_secret(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    url = reverse("desk:site-sso", args=[world.site.pk])
    assert "Create a secret" in _settings(client, world)

    r = client.post(url, {"action": "rotate"})
    assert r.status_code == 302 and r["Location"].endswith("#sso")
    world.site.refresh_from_db()
    first = world.site.sso_secret
    assert first and f'value="{first}"' in _settings(client, world)

    client.post(url, {"action": "rotate"})
    world.site.refresh_from_db()
    assert world.site.sso_secret not in ("", first)

    client.post(url, {"action": "off"})
    world.site.refresh_from_db()
    assert world.site.sso_secret == "" and "Create a secret" in _settings(client, world)
    events = ModerationEvent.objects.filter(site=world.site, reasons=["sso_secret"])
    assert [e.scores["sso_secret"] for e in events.order_by("id")] == ["rotated", "rotated", "off"]
    assert all(e.actor == world.moderator for e in events)


def test_another_sites_moderator_cannot_see_or_change_the_secret(client: Any, world: World) -> None:
    client.force_login(world.other_moderator)
    r = client.post(reverse("desk:site-sso", args=[world.site.pk]), {"action": "rotate"})
    assert r.status_code == 403
    world.site.refresh_from_db()
    assert world.site.sso_secret == ""
    assert client.get(reverse("desk:site-sso", args=[world.site.pk])).status_code == 405


def test_reserved_names_are_a_setting_guests_then_cannot_use(
    client: Any, api: Any, world: World
) -> None:
    client.force_login(world.moderator)
    data = model_to_dict(world.site, fields=SETTINGS_FIELDS)
    data["reserved_names"] = "The Editors\r\nNewsroom"
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    r = client.post(reverse("desk:site-settings", args=[world.site.pk]), data)
    assert r.status_code == 302, r.content
    world.site.refresh_from_db()
    assert world.site.reserved_names == "The Editors\nNewsroom"
    assert 'name="reserved_names"' in _settings(client, world)

    api.guest = "some-browser"
    r = api.post(f"/stories/{world.story.pk}/comments", {"body": "Hi.", "author_name": "newsroom"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "name_reserved"
