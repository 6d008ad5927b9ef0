"""A moderator works the queue with the keyboard in a real browser (Chromium, Playwright)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.chromium import chromium, needs_chromium
from tests.dashboard.world import build_world
from threadline.models import ModerationEvent

pytestmark = needs_chromium


@pytest.fixture
def browser_page(monkeypatch: pytest.MonkeyPatch) -> Any:
    with chromium(monkeypatch) as page:
        yield page


def test_moderator_approves_and_rejects_with_the_keyboard(
    live_server: Any, fake_scorers: None, browser_page: Any
) -> None:
    world = build_world()
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/?next=/moderate/")
    page.fill("input[name=username]", world.moderator.username)
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url("**/moderate/")
    assert page.get_attribute(".tl-card.selected", "data-id") == str(world.pending.pk)

    page.keyboard.press("a")
    page.wait_for_selector(f"#c-{world.pending.pk}.status-published")
    world.pending.refresh_from_db()
    assert world.pending.status == "published"
    assert ModerationEvent.objects.filter(
        comment=world.pending, action="approve", actor=world.moderator
    ).exists()
    page.wait_for_selector('#queues [data-queue="pending"]:text("0")')  # live counts moved

    page.goto(f"{live_server.url}/moderate/?queue=reported")
    page.keyboard.press("r")
    page.wait_for_selector("#reject-dialog[open]")
    page.keyboard.press("4")  # Spam
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#c-{world.reported.pk}.status-rejected")
    event = ModerationEvent.objects.filter(comment=world.reported, action="reject").get()
    assert event.reason_code == "spam"

    page.keyboard.press("?")
    assert page.is_visible("#help")
    page.keyboard.press("Escape")
    assert not page.is_visible("#help")


def test_pages_and_desk_run_under_the_content_security_policy(
    live_server: Any, fake_scorers: None, browser_page: Any
) -> None:
    """The strict CSP breaks nothing: no violation on the reader's pages, the desk (with its
    htmx swaps); the fixture fails the test on any violation."""
    world = build_world()
    page = browser_page
    page.goto(f"{live_server.url}/stories/{world.story.pk}/")
    assert page.is_visible("form")
    page.goto(f"{live_server.url}/accounts/login/?next=/moderate/")
    page.fill("input[name=username]", world.moderator.username)
    page.fill("input[name=password]", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_url("**/moderate/")
    page.wait_for_selector(".tl-card.selected")
    # htmx without its inline indicator <style>: the indicator is hidden by desk.css alone.
    assert page.evaluate("document.querySelectorAll('head style').length") == 0
    page.keyboard.press("o")  # the drawer, swapped in by htmx
    page.wait_for_selector("#drawer:not([hidden])")
    page.goto(f"{live_server.url}/accounts/data/")
    page.goto(f"{live_server.url}/moderate/sites/{world.site.pk}/settings/")
    page.goto(f"{live_server.url}/moderate/audit/")
    page.wait_for_load_state("load")
