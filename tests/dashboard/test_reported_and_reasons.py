"""The Reported queue's cards (Approve works, the report is on the card), the statement of
reasons preselected from what the pipeline found, and bulk actions that say what they did."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from tests.dashboard.world import World
from threadline.actions.votes import flag_create
from threadline.domain.identity import Actor
from threadline.models import Flag, ModerationEvent

HX = {"HTTP_HX_REQUEST": "true"}


def _card(html: str, comment_id: int) -> str:
    start = html.index(f'id="c-{comment_id}"')
    return html[start : html.index("</article>", start)]


def _reported(client: Any, world: World) -> str:
    client.force_login(world.moderator)
    return client.get(reverse("desk:queue"), {"queue": "reported"}).content.decode()


def test_a_reported_comment_can_be_approved_from_its_card(client: Any, world: World) -> None:
    card = _card(_reported(client, world), world.reported.pk)
    button = re.search(r'<button type="submit" data-action="approve"[^>]*>', card)
    assert button and "disabled" not in button.group(0)
    assert "Approve, clear reports" in card


def test_a_published_comment_without_reports_has_nothing_to_approve(
    client: Any, world: World
) -> None:
    client.force_login(world.moderator)
    html = client.get(reverse("desk:queue"), {"queue": "approved"}).content.decode()
    button = re.search(r'data-action="approve"[^>]*>', _card(html, world.published.pk))
    assert button and "disabled" in button.group(0)


def test_the_reports_reason_and_note_are_on_the_card_not_behind_a_disclosure(
    client: Any, world: World
) -> None:
    flag_create(
        comment=world.reported,
        actor=Actor(guest_key="second", ip="10.0.0.2"),
        reason="abuse",
        note="Calls a named aid worker a liar",
    )
    card = _card(_reported(client, world), world.reported.pk)
    details = card[card.index("<details") : card.index("</details>")]
    reports = card[card.index('class="tl-reports"') : card.index("</ul>", card.index("tl-reports"))]
    assert "Reported: Spam" in reports
    assert "Reported: Abuse or harassment" in reports
    assert "Calls a named aid worker a liar" in reports
    assert "Calls a named aid worker" not in details and "Spam" not in details


def test_approving_a_reported_comment_keeps_it_published_and_empties_the_queue(
    client: Any, world: World
) -> None:
    client.force_login(world.moderator)
    response = client.post(reverse("desk:approve", args=[world.reported.pk]), **HX)
    assert response.status_code == 200
    card = response.content.decode()
    assert 'class="tl-card status-published"' in card and "tl-reports" not in card
    assert "Flagged" not in card  # its reports are answered
    world.reported.refresh_from_db()
    assert world.reported.status == "published"
    assert not Flag.objects.filter(comment=world.reported, resolved=False).exists()
    event = ModerationEvent.objects.filter(comment=world.reported).latest("id")
    assert (event.action, event.actor, event.reasons) == (
        "approve",
        world.moderator,
        ["Reports resolved: Spam ×1"],
    )
    counts = client.get(reverse("desk:counts"), {"site": world.site.pk}).content.decode()
    assert 'data-queue="reported">0<' in counts
    assert f'id="c-{world.reported.pk}"' not in _reported(client, world)


def test_the_reject_reason_defaults_to_what_the_pipeline_found(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    html = client.get(reverse("desk:queue")).content.decode()
    card = _card(html, world.pending.pk)  # held by the model ("Toxic 0.95")
    assert 'data-suggested-reason="harassment"' in card
    assert '<option value="harassment" selected>' in card
    assert '<option value="other" selected>' not in card


def test_the_reject_reason_of_a_reported_comment_follows_its_reports(
    client: Any, world: World
) -> None:
    card = _card(_reported(client, world), world.reported.pk)
    assert 'data-suggested-reason="spam"' in card
    assert '<option value="spam" selected>' in card


def test_without_a_reason_found_the_default_stays_other(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    html = client.get(reverse("desk:queue"), {"queue": "approved"}).content.decode()
    card = _card(html, world.published.pk)
    assert "data-suggested-reason" not in card
    assert '<option value="other" selected>' in card


def test_bulk_approve_says_how_many(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    response = client.post(
        reverse("desk:bulk"),
        {"ids": [world.pending.pk, world.rejected.pk], "action": "approve", "next": "/moderate/"},
        follow=True,
    )
    assert "2 comments approved." in response.content.decode()


def test_bulk_reject_says_how_many_and_why(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    response = client.post(
        reverse("desk:bulk"),
        {"ids": [world.pending.pk], "action": "reject", "reason": "harassment"},
        follow=True,
    )
    assert "1 comment rejected (Harassment)." in response.content.decode()
