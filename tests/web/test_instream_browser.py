"""In-stream moderation on the server-rendered article page, in Chromium: a moderator of the
site approves what is held, features, rejects and bans from the page itself; a reader on
the same page sees none of it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.chromium import chromium, needs_chromium, screenshot, sign_in
from tests.dashboard.world import build_world, use_fake_scorers
from threadline.models import Commenter, ModerationEvent

pytestmark = needs_chromium


def test_a_moderator_moderates_from_the_article_page(
    live_server: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    use_fake_scorers(settings)  # the live server runs in this process: it reads them too
    world = build_world()
    story_page = f"/stories/{world.story.pk}/"
    with chromium(monkeypatch) as page:
        page.goto(live_server.url + story_page)  # a reader first
        assert page.locator(".mod-tools").count() == 0
        assert page.locator(".mod-held").count() == 0

        sign_in(page, live_server.url, world.moderator, story_page)
        held = page.locator(".mod-held")
        assert "Awaiting review on this story: 1" in held.inner_text()
        assert page.locator(f"#comment-{world.reported.pk} .mod-reports").is_visible()
        screenshot(page.locator("#comments"), "page-instream-moderation")

        # Approve the held reply: it joins the thread, under its parent.
        held.locator(f'#held-{world.pending.pk} [data-mod="approve"]').click()
        page.wait_for_selector(f"text=Comment #{world.pending.pk} approved.")
        assert "Awaiting review on this story: 0" in page.inner_text(".mod-held")
        reply = page.locator(f"#comment-{world.published.pk} .replies #comment-{world.pending.pk}")
        assert reply.is_visible()

        # Feature, then reject with a reason, then ban the author for a week.
        own = page.locator(f"#comment-{world.published.pk} > article .mod-tools")
        own.locator('[data-mod="feature"]').click()
        page.wait_for_selector(f"text=Comment #{world.published.pk} featured.")
        assert own.locator('[data-mod="feature"]').inner_text() == "Unfeature"

        tools = page.locator(f"#comment-{world.reported.pk} .mod-tools")
        tools.locator("details.mod-ban summary").click()
        tools.locator('input[name="days"]').fill("7")
        tools.locator('[data-mod="ban"]').click()
        page.wait_for_selector("text=Banned for 7 days.")

        tools = page.locator(f"#comment-{world.reported.pk} .mod-tools")
        tools.locator('select[name="reason"]').select_option("off_topic")
        tools.locator('[data-mod="reject"]').click()
        page.wait_for_selector(f"text=Comment #{world.reported.pk} rejected.")
        assert page.locator(f"#comment-{world.reported.pk}").count() == 0

    world.published.refresh_from_db()
    assert world.published.is_featured
    reject = ModerationEvent.objects.filter(comment=world.reported, action="reject").get()
    assert (reject.reason_code, reject.actor_id) == ("off_topic", world.moderator.pk)
    commenter = Commenter.objects.get(pk=world.reported.commenter_id)
    assert commenter.banned_until is not None
