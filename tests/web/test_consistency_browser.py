"""The story page in Chromium: the reader switches the sort, votes and withdraws the vote
with a second click, and the page loads without a 404 (the favicon included)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.chromium import chromium, needs_chromium, screenshot, sign_in
from tests.factories import StoryFactory, UserFactory, post_comment
from threadline.models import Comment

pytestmark = [*needs_chromium, pytest.mark.django_db(transaction=True)]


def test_sort_vote_and_withdraw_on_the_story_page(
    live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = StoryFactory()
    older = post_comment(story, "The older comment.", name="Ann").comment
    newer = post_comment(story, "The newer comment.", name="Bob").comment
    reader = UserFactory()
    url = f"/stories/{story.pk}/"
    with chromium(monkeypatch) as page:
        missing: list[str] = []
        page.on("response", lambda r: missing.append(r.url) if r.status >= 400 else None)
        page.on("console", lambda m: missing.append(m.text) if m.type == "error" else None)
        sign_in(page, live_server.url, reader, url)

        page.click('nav.sorts a:text("Newest")')
        page.wait_for_url("**?sort=newest#comments")
        assert page.locator("nav.sorts [aria-current=page]").inner_text() == "Newest"
        ids = page.locator("ol.thread > li.comment").evaluate_all("els => els.map(e => e.id)")
        assert ids == [f"comment-{newer.pk}", f"comment-{older.pk}"]
        assert page.inner_text(f"#comment-{newer.pk} time") == "just now"
        assert page.get_attribute(f"#comment-{newer.pk} time", "title")

        up = f"#comment-{older.pk} > article .votes button[aria-label^='Vote up']"
        page.click(up)
        page.wait_for_selector(f"{up}[aria-pressed=true]")
        assert page.inner_text(up) == "▲ 1"
        assert "sort=newest" in page.url  # back on the same sort
        screenshot(page.locator(f"#comment-{older.pk}"), "page-own-vote")

        page.click(up)  # the second click withdraws it
        page.wait_for_selector(f"{up}[aria-pressed=false]")
        assert page.inner_text(up) == "▲ 0"
        assert missing == []
    assert Comment.objects.get(pk=older.pk).upvotes == 0
