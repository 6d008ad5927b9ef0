"""Every desk URL answers anonymous readers with the login page, and signed-in readers and
moderators of other sites with 403; the site's own moderator gets through."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, reverse

from tests.dashboard.world import World
from threadline.dashboard.urls import urlpatterns
from threadline.models import Ban


def _ban(world: World) -> int:
    return Ban.objects.get_or_create(site=world.site, kind="ip", value="198.51.100.7")[0].pk


# name -> (method, url kwargs from the world, data): every request aims at site "alpha".
CASES: dict[str, tuple[str, Any, dict]] = {
    "queue": ("get", lambda w: {}, {"site": "{site}"}),
    "counts": ("get", lambda w: {}, {"site": "{site}"}),
    "audit": ("get", lambda w: {}, {"site": "{site}"}),
    "bulk": ("post", lambda w: {}, {"ids": "{pending}", "action": "approve"}),
    "comment": ("get", lambda w: {"comment_id": w.pending.pk}, {}),
    "approve": ("post", lambda w: {"comment_id": w.pending.pk}, {}),
    "reject": ("post", lambda w: {"comment_id": w.pending.pk}, {"reason": "spam"}),
    "feature": ("post", lambda w: {"comment_id": w.published.pk}, {}),
    "pin": ("post", lambda w: {"comment_id": w.published.pk}, {}),
    "stories": ("get", lambda w: {}, {"site": "{site}"}),
    "story": ("get", lambda w: {"story_id": w.story.pk}, {}),
    "story-open": ("post", lambda w: {"story_id": w.story.pk}, {"open": "0"}),
    "story-title": ("post", lambda w: {"story_id": w.story.pk}, {"title": "Desk title"}),
    "commenter": ("get", lambda w: {"commenter_id": w.pending.commenter_id}, {}),
    "ban": ("post", lambda w: {"commenter_id": w.pending.commenter_id}, {"days": "3"}),
    "unban": ("post", lambda w: {"commenter_id": w.pending.commenter_id}, {}),
    "ban-lift": ("post", lambda w: {"commenter_id": w.pending.commenter_id, "ban_id": _ban(w)}, {}),
    "commenter-update": (
        "post",
        lambda w: {"commenter_id": w.pending.commenter_id},
        {"notes": "x"},
    ),
    "site-settings": ("get", lambda w: {"site_id": w.site.pk}, {}),
    "backtest": ("post", lambda w: {"site_id": w.site.pk}, {}),
    "site-sso": ("post", lambda w: {"site_id": w.site.pk}, {"action": "rotate"}),
}
NAMES = [p.name for p in urlpatterns if isinstance(p, URLPattern)]


def test_every_desk_url_has_a_permission_case() -> None:
    assert set(NAMES) == set(CASES)


def _request(client: Any, world: World, name: str) -> Any:
    method, kwargs, data = CASES[name]
    values = {"site": world.site.pk, "pending": world.pending.pk}
    data = {k: v.format(**values) for k, v in data.items()}
    return getattr(client, method)(reverse(f"desk:{name}", kwargs=kwargs(world)), data)


@pytest.mark.parametrize("name", NAMES)
def test_anonymous_reader_is_sent_to_login(client: Any, world: World, name: str) -> None:
    response = _request(client, world, name)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", NAMES)
def test_signed_in_reader_is_refused(client: Any, world: World, name: str) -> None:
    client.force_login(world.reader)
    assert _request(client, world, name).status_code == 403


@pytest.mark.parametrize("name", NAMES)
def test_moderator_of_another_site_is_refused(client: Any, world: World, name: str) -> None:
    client.force_login(world.other_moderator)
    assert _request(client, world, name).status_code == 403


@pytest.mark.parametrize("name", NAMES)
def test_moderator_of_the_site_gets_through(client: Any, world: World, name: str) -> None:
    client.force_login(world.moderator)
    assert _request(client, world, name).status_code in (200, 302)


def test_refusal_changes_nothing(client: Any, world: World) -> None:
    client.force_login(world.other_moderator)
    client.post(reverse("desk:approve", args=[world.pending.pk]))
    world.pending.refresh_from_db()
    assert world.pending.status == "pending"
