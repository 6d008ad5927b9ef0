"""The newsroom in a real browser (Chromium): approving a reported comment, the statement of
reasons preselected, the desk's Stories link, one story's page with its open/close switch,
and a bulk action that says what it did."""

from __future__ import annotations

from typing import Any

import pytest

from tests.chromium import chromium, needs_chromium, screenshot, sign_in
from tests.dashboard.world import build_world
from tests.factories import StoryFactory
from threadline.models import Flag, ModerationEvent, Story

pytestmark = needs_chromium


def test_a_reported_comment_is_approved_and_its_report_resolved(
    live_server: Any, fake_scorers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world()
    with chromium(monkeypatch) as page:
        sign_in(page, live_server.url, world.moderator, "/moderate/?queue=reported")
        card = page.locator(f"#c-{world.reported.pk}")
        # The report's reason is on the card itself, not behind the Scores disclosure.
        assert card.locator(".tl-reports").is_visible()
        assert "Reported: Spam" in card.locator(".tl-reports").inner_text()
        approve = card.locator('[data-action="approve"]')
        assert approve.is_enabled() and "clear reports" in approve.inner_text()
        screenshot(card, "desk-reported-card")

        page.keyboard.press("a")
        # The card comes back (htmx) still published, without its report.
        page.wait_for_selector(f"#c-{world.reported.pk} .tl-reports", state="detached")
        assert "status-published" in (card.get_attribute("class") or "")
        assert card.locator('[data-action="approve"]').is_disabled()
        page.wait_for_selector('#queues [data-queue="reported"]:text("0")')
    world.reported.refresh_from_db()
    assert world.reported.status == "published"
    assert not Flag.objects.filter(comment=world.reported, resolved=False).exists()
    event = ModerationEvent.objects.filter(comment=world.reported).latest("id")
    assert (event.action, event.actor_id) == ("approve", world.moderator.pk)


def test_the_reject_dialog_starts_from_what_the_pipeline_found(
    live_server: Any, fake_scorers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world()
    with chromium(monkeypatch) as page:
        sign_in(page, live_server.url, world.moderator)
        assert page.get_attribute(".tl-card.selected", "data-id") == str(world.pending.pk)
        page.keyboard.press("r")
        page.wait_for_selector("#reject-dialog[open]")
        checked = page.locator('#reject-dialog input[name="reason"]:checked')
        assert checked.get_attribute("value") == "harassment"  # the model's "Toxic 0.95"
        assert page.is_visible("#reject-suggested")
        screenshot(page.locator("#reject-dialog"), "desk-reject-reason")
        page.keyboard.press("Enter")
        page.wait_for_selector(f"#c-{world.pending.pk}.status-rejected")
    event = ModerationEvent.objects.filter(comment=world.pending, action="reject").get()
    assert event.reason_code == "harassment"


def test_the_stories_link_leads_to_a_storys_page_and_its_open_switch(
    live_server: Any, fake_scorers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_world()
    for title in ("Council delays the bridge vote", "Floods close the river road"):
        StoryFactory(site=world.site, title=title)
    with chromium(monkeypatch) as page:
        sign_in(page, live_server.url, world.moderator)
        page.click("header nav >> text=Stories")
        page.wait_for_url("**/moderate/stories/")
        assert page.locator("h1").inner_text() == "Stories"
        assert page.locator("text=Elsewhere").count() == 0  # another site's story
        assert page.locator(".tl-stories tbody tr").count() == 3
        screenshot(page.locator(".tl-single"), "desk-stories")

        page.click("text=Fighting near the river")
        page.wait_for_url(f"**/moderate/stories/{world.story.pk}/")
        for comment in (world.pending, world.published, world.reported, world.rejected):
            assert page.is_visible(f"#c-{comment.pk}")
        assert page.inner_text('#queues [data-queue="pending"]') == "1"
        switch = page.locator("#open-switch")
        assert switch.get_attribute("aria-checked") == "true"
        screenshot(page, "desk-story")

        switch.click()
        page.wait_for_selector('#open-switch[aria-checked="false"]')
        assert page.is_visible("text=Comments closed.")
        assert not Story.objects.get(pk=world.story.pk).is_open
        page.goto(f"{live_server.url}/stories/{world.story.pk}/")
        assert page.is_visible("text=Comments on this story are closed.")
        page.go_back()
        page.click("#open-switch")
        page.wait_for_selector('#open-switch[aria-checked="true"]')
        assert Story.objects.get(pk=world.story.pk).is_open

        # The stream filtered to what is held, then a bulk approval that says what it did.
        page.click('#queues a:has([data-queue="pending"])')
        page.wait_for_selector(f"#c-{world.pending.pk}")
        page.check("#select-all")
        page.click("text=Approve selected")
        page.wait_for_selector("text=1 comment approved.")
    world.pending.refresh_from_db()
    assert world.pending.status == "published"
