"""Moderating in the stream: on the server-rendered article page a moderator of the site
sees approve / reject / feature / ban on each comment (plain POST forms with CSRF, to the
desk's own actions and checks) and what awaits review; nobody else sees any of it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboard.world import World, build_world, use_fake_scorers
from tests.factories import UserFactory, post_comment
from threadline.actions.votes import flag_create
from threadline.domain.identity import Actor
from threadline.models import Commenter, Flag, ModerationEvent


@pytest.fixture
def world(db: Any, settings: Any) -> World:
    use_fake_scorers(settings)
    return build_world()


def _page(client: Any, world: World, user: Any = None) -> str:
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("web:story-detail", args=[world.story.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _comment(html: str, comment_id: int) -> str:
    start = html.index(f'id="comment-{comment_id}"')
    return html[start : html.index("</article>", start)]


def test_readers_never_see_the_tools(client: Any, world: World) -> None:
    staff_not_moderator = UserFactory(username="staffer", is_staff=True)
    for user in (None, world.reader, world.other_moderator, staff_not_moderator):
        html = _page(client, world, user)
        assert "mod-tools" not in html and "Awaiting review" not in html, user
        assert "/moderate/comments/" not in html and "/moderate/commenters/" not in html
        assert world.pending.body not in html  # held: readers never see it
        client.logout()


def test_a_moderator_sees_the_four_actions_on_each_comment(client: Any, world: World) -> None:
    html = _page(client, world, world.moderator)
    own = _comment(html, world.published.pk)
    assert 'aria-label="Moderate comment #' in own
    for url in (
        reverse("desk:approve", args=[world.published.pk]),
        reverse("desk:reject", args=[world.published.pk]),
        reverse("desk:feature", args=[world.published.pk]),
        reverse("desk:ban", args=[world.published.commenter_id]),
    ):
        form = re.search(rf'<form method="post" action="{url}"[^>]*>(.*?)</form>', own, re.S)
        assert form, url
        assert 'name="csrfmiddlewaretoken"' in form.group(1), url
    approve = re.search(r'<button type="submit" data-mod="approve"[^>]*>', own)
    assert approve and "disabled" in approve.group(0)  # published, no reports


def test_a_reported_comment_shows_its_report_and_approve_clears_it(
    client: Any, world: World
) -> None:
    flag_create(
        comment=world.reported,
        actor=Actor(guest_key="second", ip="10.0.0.2"),
        reason="abuse",
        note="Insults the reporter",
    )
    own = _comment(_page(client, world, world.moderator), world.reported.pk)
    assert "Reported: <strong>Spam</strong>" in own and "Insults the reporter" in own
    assert "Approve, clear reports" in own
    assert '<option value="harassment" selected>' in own  # the most serious report
    page = reverse("web:story-detail", args=[world.story.pk])
    response = client.post(
        reverse("desk:approve", args=[world.reported.pk]),
        {"next": f"{page}#comment-{world.reported.pk}"},
        follow=True,
    )
    assert response.redirect_chain[0][0] == f"{page}#comment-{world.reported.pk}"
    html = response.content.decode()
    assert f"Comment #{world.reported.pk} approved." in html
    assert "Reported:" not in _comment(html, world.reported.pk)
    world.reported.refresh_from_db()
    assert world.reported.status == "published"
    assert not Flag.objects.filter(comment=world.reported, resolved=False).exists()


def test_held_comments_await_review_on_the_page_for_moderators(client: Any, world: World) -> None:
    html = _page(client, world, world.moderator)
    held = html[html.index('class="mod-held"') : html.index("</section>", html.index("mod-held"))]
    assert "Awaiting review on this story: 1" in held
    assert world.pending.body in held and "Toxic 0.95" in held
    assert reverse("desk:approve", args=[world.pending.pk]) in held
    assert '<option value="harassment" selected>' in held  # what the pipeline found
    client.post(
        reverse("desk:approve", args=[world.pending.pk]),
        {"next": reverse("web:story-detail", args=[world.story.pk])},
    )
    html = _page(client, world)
    assert "Awaiting review on this story: 0" in html and world.pending.body in html


def test_reject_feature_and_ban_from_the_page(client: Any, world: World) -> None:
    page = reverse("web:story-detail", args=[world.story.pk])
    client.force_login(world.moderator)
    client.post(reverse("desk:feature", args=[world.reported.pk]), {"on": "1", "next": page})
    assert "Unfeature" in _comment(_page(client, world), world.reported.pk)
    response = client.post(
        reverse("desk:reject", args=[world.published.pk]),
        {"reason": "off_topic", "next": page},
        follow=True,
    )
    assert f"Comment #{world.published.pk} rejected." in response.content.decode()
    event = ModerationEvent.objects.filter(comment=world.published).latest("id")
    assert (event.action, event.reason_code, event.actor) == (
        "reject",
        "off_topic",
        world.moderator,
    )
    response = client.post(
        reverse("desk:ban", args=[world.reported.commenter_id]),
        {"days": "7", "message": "Cool off", "next": page},
        follow=True,
    )
    assert "Banned for 7 days." in response.content.decode()
    commenter = Commenter.objects.get(pk=world.reported.commenter_id)
    assert commenter.banned_until is not None and commenter.ban_message == "Cool off"
    for c in (world.reported, world.published):
        c.refresh_from_db()
    assert world.reported.is_featured and world.published.status == "rejected"


def test_the_tools_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.moderator)
    response = client.post(reverse("desk:reject", args=[world.published.pk]), {"reason": "spam"})
    assert response.status_code == 403
    world.published.refresh_from_db()
    assert world.published.status == "published"


def test_a_moderator_of_another_site_cannot_use_them(client: Any, world: World) -> None:
    client.force_login(world.other_moderator)
    page = reverse("web:story-detail", args=[world.story.pk])
    response = client.post(reverse("desk:reject", args=[world.published.pk]), {"next": page})
    assert response.status_code == 403
    world.published.refresh_from_db()
    assert world.published.status == "published"


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_moderators_page_costs_a_fixed_number_of_queries(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    url = reverse("web:story-detail", args=[world.story.pk])
    before = _queries(client, url)
    for i in range(6):
        c = post_comment(
            world.story, f"One more view on the river crossing, {i}.", name=f"V{i}"
        ).comment
        post_comment(world.story, f"Replying to that, {i}.", name=f"W{i}", parent=c)
        flag_create(comment=c, actor=Actor(guest_key=f"f{i}", ip="10.0.1.1"), reason="spam")
        post_comment(world.story, f"You idiot number {i}", name=f"X{i}", confirm=True)
    assert _queries(client, url) == before
