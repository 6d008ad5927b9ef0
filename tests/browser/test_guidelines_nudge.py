"""The "think twice" nudge links the site's community guidelines: in the widget on the
publisher's origin, and on the server-rendered page; the link opens the guidelines page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.chromium import screenshot
from tests.dashboard.world import use_fake_scorers

pytestmark = pytest.mark.browser

SILLY = "What a silly idea this whole plan is."  # the fake model: 0.75, above the warning
RULES = "Argue with ideas, not people.\n\n- No insults\n- No threats"


@pytest.fixture
def guidelines(site: Any, settings: Any) -> Any:
    use_fake_scorers(settings)  # the live server runs in this process: it reads them too
    site.guidelines_text = RULES
    site.save(update_fields=["guidelines_text"])
    return site


def test_the_widgets_nudge_links_the_guidelines(
    reader: Any, story: Any, guidelines: Any, live_server: Any
) -> None:
    from threadline.models import Comment

    r = reader.open()
    form = r.main_form
    form.locator("input.tl-name").fill("Sam")
    form.locator("textarea.tl-body").fill(SILLY)
    form.locator(".tl-submit").click()
    dialog = form.locator(".tl-confirm-dialog")
    dialog.wait_for()
    link = dialog.locator("a.tl-guidelines")
    assert link.text_content() == "Read our community guidelines"
    href = link.get_attribute("href")
    assert href == f"{live_server.url}/guidelines/{guidelines.name}/"
    assert link.get_attribute("target") == "_blank"
    screenshot(r.widget.locator(".tl-main-form"), "widget-nudge")
    assert not Comment.objects.exists()

    with r.context.expect_page() as opened:
        link.click()
    rules = opened.value
    rules.wait_for_load_state()
    assert rules.locator("h1").text_content() == "Community guidelines"
    assert rules.locator("text=Argue with ideas, not people.").is_visible()
    assert not r.errors


def test_the_pages_nudge_links_the_guidelines(
    reader: Any, story: Any, guidelines: Any, live_server: Any
) -> None:
    page = reader.page
    page.goto(f"{live_server.url}/stories/{story.pk}/")
    page.fill('form.comment-form input[name="author_name"]', "Sam")
    page.fill('form.comment-form textarea[name="body"]', SILLY)
    page.click("form.comment-form button.primary")
    page.wait_for_selector("text=Think twice before posting?")
    link = page.locator("p.guidelines a")
    assert link.get_attribute("href") == f"/guidelines/{guidelines.name}/"
    page.goto(f"{live_server.url}{link.get_attribute('href')}")
    assert page.locator("li", has_text="No insults").is_visible()
    page.goto(f"{live_server.url}/stories/{story.pk}/")
    assert page.locator("a.guidelines").get_attribute("href") == f"/guidelines/{guidelines.name}/"
