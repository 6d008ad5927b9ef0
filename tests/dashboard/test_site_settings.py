"""The per-site settings page: saving is audited; the backtest runs unsaved settings."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict
from django.urls import reverse

from tests.dashboard.world import World
from threadline.actions.sites import SETTINGS_FIELDS
from threadline.models import ModerationEvent


def _form_data(world: World, **changes: Any) -> dict[str, Any]:
    data = model_to_dict(world.site, fields=SETTINGS_FIELDS)
    data.update(changes)
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


def test_settings_page_shows_the_form(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    html = client.get(reverse("desk:site-settings", args=[world.site.pk])).content.decode()
    assert 'name="hold_threshold"' in html and 'name="suspect_words"' in html
    assert "Backtest these settings" in html


def test_saving_settings_is_audited(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    response = client.post(
        reverse("desk:site-settings", args=[world.site.pk]),
        _form_data(world, hold_threshold=0.5, banned_words="scum"),
    )
    assert response.status_code == 302
    world.site.refresh_from_db()
    assert world.site.hold_threshold == 0.5 and world.site.banned_words == "scum"
    event = ModerationEvent.objects.filter(action="settings").get()
    assert event.actor == world.moderator
    assert set(event.reasons) == {"banned_words", "hold_threshold"}


def test_invalid_settings_are_a_400_and_change_nothing(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    response = client.post(
        reverse("desk:site-settings", args=[world.site.pk]), _form_data(world, hold_threshold=3)
    )
    assert response.status_code == 400
    world.site.refresh_from_db()
    assert world.site.hold_threshold == 0.7


def test_backtest_of_a_stricter_threshold_shows_more_held(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    url = reverse("desk:backtest", args=[world.site.pk])
    current = client.post(url, _form_data(world), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-would-total="hold">1<' in current  # the "idiot" comment, as it happened
    stricter = client.post(
        url, _form_data(world, hold_threshold=0.01), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-would-total="hold">4<' in stricter  # every comment scores 0.05 or more
    assert "Comments whose outcome would change" in stricter
    world.site.refresh_from_db()
    assert world.site.hold_threshold == 0.7  # nothing saved
    assert not ModerationEvent.objects.filter(action="settings").exists()


def test_backtest_without_javascript_renders_the_settings_page(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    response = client.post(
        reverse("desk:backtest", args=[world.site.pk]), _form_data(world, suspect_words="ceasefire")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Moderation settings" in html and "Backtest:" in html
    assert "Suspect" in html  # the held ceasefire comment's reason among the examples


def test_community_guidelines_are_a_site_setting(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    url = reverse("desk:site-settings", args=[world.site.pk])
    html = client.get(url).content.decode()
    assert "Community guidelines" in html
    assert 'name="guidelines_url"' in html and 'name="guidelines_text"' in html
    rules = "Argue with ideas, not people.\r\n\r\nNo threats."
    response = client.post(
        url, _form_data(world, guidelines_url="alpha.example/rules", guidelines_text=rules)
    )
    assert response.status_code == 302
    world.site.refresh_from_db()
    assert world.site.guidelines_url == "https://alpha.example/rules"  # https assumed
    assert world.site.guidelines_text == rules.replace("\r\n", "\n")
    event = ModerationEvent.objects.filter(action="settings").get()
    assert set(event.reasons) == {"guidelines_text", "guidelines_url"}


def test_a_guidelines_link_must_be_a_web_address(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    url = reverse("desk:site-settings", args=[world.site.pk])
    for bad in ("javascript:alert(1)", "ftp://alpha.example/rules"):
        response = client.post(url, _form_data(world, guidelines_url=bad))
        assert response.status_code == 400, bad
    world.site.refresh_from_db()
    assert world.site.guidelines_url == ""
