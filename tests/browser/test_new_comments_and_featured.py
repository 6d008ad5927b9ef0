"""New comments wait behind a "N new comments — show" bar instead of moving the thread
under the reader; the Featured tab and the page's Featured section show editor's picks."""

from __future__ import annotations

from typing import Any

import pytest

from tests.chromium import screenshot

pytestmark = pytest.mark.browser


def _top(reader: Any, cid: int) -> float:
    return reader.comment(cid).evaluate("el => el.getBoundingClientRect().top")


def test_a_second_readers_comment_waits_behind_the_bar_until_shown(
    reader: Any, new_reader: Any, story: Any
) -> None:
    from threadline.actions.comments import comment_insert_trusted

    first = comment_insert_trusted(story=story, parent=None, author_name="Lina", body="First.")
    r = reader.open(poll="1", sort="newest")
    before = _top(r, first.pk)

    other = new_reader().open()
    theirs = other.post("Posted by a second reader.", name="Omar")

    bar = r.widget.locator(".tl-show-new")
    bar.wait_for(timeout=6000)
    assert bar.text_content() == "1 new comment — show"
    assert r.widget.locator(".tl-newbar").get_attribute("aria-live") == "polite"
    assert bar.evaluate("b => b.tagName") == "BUTTON"
    # Nothing moved: the new comment is not in the thread and the first one kept its place.
    assert r.comment(theirs).count() == 0
    assert _top(r, first.pk) == before
    screenshot(r.widget, "widget-new-comments-bar")

    bar.click()
    r.comment(theirs).wait_for()
    assert r.top_ids() == [theirs, first.pk]
    assert not bar.is_visible()


def test_the_readers_own_comment_appears_at_once(reader: Any, story: Any) -> None:
    r = reader.open(poll="1")
    mine = r.post("My own thought.", name="Rana")
    assert r.comment(mine).is_visible()
    r.page.wait_for_timeout(2500)  # two polls: the own comment never lands behind the bar
    assert not r.widget.locator(".tl-show-new").is_visible()
    assert r.top_ids() == [mine]


def test_the_featured_tab_lists_the_editors_picks(reader: Any, story: Any) -> None:
    from threadline.actions.comments import comment_insert_trusted
    from threadline.actions.moderation_desk import comment_feature

    top = comment_insert_trusted(story=story, parent=None, author_name="Nour", body="Ordinary.")
    pick = comment_insert_trusted(
        story=story, parent=top, author_name="Sami", body="A reply the editors picked."
    )
    comment_feature(comment=pick, actor=None)
    r = reader.open()
    tab = r.widget.locator(".tl-tab-featured")
    assert tab.get_attribute("role") == "tab" and tab.get_attribute("aria-selected") == "false"
    tab.click()
    # The "All" list also has one top-level comment: wait for the pick itself.
    r.page.wait_for_function(
        "(id) => { const l = document.querySelector('#threadline').shadowRoot"
        ".querySelectorAll('.tl-list>.tl-comment');"
        " return l.length === 1 && l[0].dataset.commentId === String(id); }",
        arg=pick.pk,
    )
    assert r.top_ids() == [pick.pk]
    assert tab.get_attribute("aria-selected") == "true"
    assert "Featured" in r.own(pick.pk, ".tl-meta").text_content()
    assert not r.main_form.is_visible()
    screenshot(r.widget, "widget-featured-tab")

    r.widget.locator(".tl-tab-all").click()
    r.comment(top.pk).wait_for()
    assert r.main_form.is_visible()


def test_the_story_page_shows_featured_comments_above_the_thread(
    browser: Any, live_server: Any, story: Any
) -> None:
    from threadline.actions.comments import comment_insert_trusted
    from threadline.actions.moderation_desk import comment_feature

    plain = comment_insert_trusted(story=story, parent=None, author_name="Ali", body="Plain one.")
    pick = comment_insert_trusted(story=story, parent=None, author_name="Dana", body="Picked one.")
    comment_feature(comment=pick, actor=None)
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{live_server.url}/stories/{story.pk}/")
        section = page.locator("section.featured")
        assert section.locator("h3").text_content() == "Featured"
        assert section.locator(".featured-comment").count() == 1
        assert "Picked one." in section.text_content()
        assert "Plain one." not in section.text_content()
        # Above the thread, where both comments still appear.
        assert page.locator("section.featured + .live-bar + nav.sorts").count() == 1
        assert page.locator(f"#comment-{plain.pk}").count() == 1
        assert not [e for e in errors if "Content Security Policy" in e]
    finally:
        context.close()
