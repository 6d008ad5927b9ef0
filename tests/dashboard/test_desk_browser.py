"""A moderator works the queue with the keyboard in a real browser (Chromium, Playwright)."""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

from tests.dashboard.world import build_world
from threadline.models import ModerationEvent

CHROMIUM = os.environ.get("THREADLINE_CHROMIUM", "/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]


@pytest.fixture
def browser_page(monkeypatch: pytest.MonkeyPatch) -> Any:
    playwright = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop; Django must allow the ORM next to it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        # A Content-Security-Policy violation is logged to the console, not thrown.
        page.on(
            "console",
            lambda m: (
                errors.append(m.text)
                if m.type == "error" and "Content Security Policy" in m.text
                else None
            ),
        )
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('Content Security Policy violation: ' + e.violatedDirective "
            "+ ' ' + e.blockedURI));"
        )
        yield page
        browser.close()
        assert not errors, errors


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
