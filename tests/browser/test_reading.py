"""Permalinks and accounts in the embedded widget."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import api_call

pytestmark = pytest.mark.browser

IN_VIEW = (
    "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight }"
)


def _thread_of_chains(story: Any, tops: int) -> list[list[int]]:
    """``tops`` top-level comments, each with a reply and a reply to that reply."""
    from threadline.actions.comments import comment_insert_trusted

    chains = []
    for i in range(tops):
        chain: list[Any] = []
        for depth in range(3):
            chain.append(
                comment_insert_trusted(
                    story=story,
                    parent=chain[-1] if chain else None,
                    author_name=f"P{i}-{depth}",
                    body=f"Comment {i} at depth {depth} about the crossing.",
                    source="browser-test",
                )
            )
        chains.append([c.pk for c in chain])
    return chains


def test_permalink_to_a_comment_beyond_the_first_page_loads_its_ancestors(
    reader: Any, story: Any, live_server: Any
) -> None:
    chains = _thread_of_chains(story, 8)
    _, page = api_call(live_server.url, "GET", f"/stories/{story.id}/comments?limit=5")
    on_first = {c["id"] for c in page["comments"]}
    top, middle, target = next(c for c in chains if c[0] not in on_first)

    r = reader.open(hash=f"#comment-{target}", limit="5")
    el = r.comment(target)
    el.wait_for()
    r.page.wait_for_function(
        "([id]) => document.querySelector('#threadline').shadowRoot"
        ".querySelector(`[data-comment-id='${id}']`).classList.contains('tl-highlight')",
        arg=[target],
    )
    assert el.evaluate(IN_VIEW)
    # Shown in place: below its parent, below the top-level comment.
    assert r.comment(top).locator(f':scope>.tl-children>[data-comment-id="{middle}"]').count() == 1
    assert (
        r.comment(middle).locator(f':scope>.tl-children>[data-comment-id="{target}"]').count() == 1
    )
    assert (
        r.own(target, ".tl-context").text_content()
        == f"replying to @{r.own(middle, '.tl-meta .tl-author').text_content()}"
    )
    assert len([i for i in r.top_ids() if i == top]) == 1


def test_permalink_on_the_first_page_and_clicking_a_comment_time(reader: Any, story: Any) -> None:
    chains = _thread_of_chains(story, 3)
    r = reader.open(hash=f"#comment-{chains[2][1]}")
    r.page.wait_for_function(
        "() => document.querySelector('#threadline').shadowRoot.querySelector('.tl-highlight')"
    )
    assert r.comment(chains[2][1]).get_attribute("class").split().count("tl-highlight") == 1

    r.own(chains[0][2], ".tl-meta a.tl-time").click()
    r.page.wait_for_function("([id]) => location.hash === '#comment-' + id", arg=[chains[0][2]])
    assert "tl-highlight" in r.comment(chains[0][2]).get_attribute("class")
    assert "tl-highlight" not in r.comment(chains[2][1]).get_attribute("class")
    assert r.widget.locator(".tl-highlight").count() == 1


def test_reader_signs_up_in_the_widget_and_posts_with_a_member_badge(
    reader: Any, story: Any
) -> None:
    r = reader.open()
    r.widget.locator(".tl-signin-btn").click()
    r.widget.locator(".tl-auth-switch").click()
    form = r.widget.locator('form.tl-auth-form[data-mode="up"]')
    form.locator("input.tl-username").fill("nadia")
    form.locator("input.tl-password").fill("a-long-pass-phrase-42")
    form.locator("input.tl-display-name").fill("Nadia K.")
    form.locator(".tl-auth-submit").click()
    r.widget.locator(".tl-whoami").wait_for()
    assert r.widget.locator(".tl-whoami").text_content() == "Signed in as Nadia K."
    assert not r.main_form.locator("input.tl-name").is_visible()  # no guest name needed

    cid = r.post("Signed in and commenting.")
    assert r.own(cid, ".tl-meta .tl-author").text_content() == "Nadia K."
    assert r.own(cid, ".tl-meta .tl-member").text_content() == "Member"
    # The session lives in the widget's storage (no third-party cookie): a reload keeps it.
    r.open()
    assert r.widget.locator(".tl-whoami").text_content() == "Signed in as Nadia K."
    assert r.own(cid, ".tl-actions .tl-edit-btn").count() == 1
    assert r.context.cookies() == []

    r.widget.locator(".tl-signout-btn").click()
    r.widget.locator(".tl-signin-btn").wait_for()
    assert r.main_form.locator("input.tl-name").is_visible()
    assert r.errors == []


def test_count_script_fills_comment_counts_on_a_story_list(
    reader: Any, story: Any, host: Any, live_server: Any
) -> None:
    from threadline.actions.comments import comment_insert_trusted

    for i in range(3):
        comment_insert_trusted(story=story, parent=None, author_name=f"C{i}", body=f"Count {i}.")
    (host.root / "list.html").write_text(
        '<!doctype html><meta charset="utf-8"><title>Stories</title>'
        f'<a href="{host.story_url}"><span data-threadline-count="{host.story_url}">0</span></a>'
        f'<span id="other" data-threadline-count="{host.origin}/2017/09/ceasefire-talks"'
        ' data-threadline-count-one="1 comment" data-threadline-count-other="{n} comments"></span>'
        f'<script src="{live_server.url}/static/threadline/count.js" async></script>',
        encoding="utf-8",
    )
    page = reader.page
    page.goto(f"{host.origin}/list.html")
    page.wait_for_function("() => document.querySelector('#other').textContent !== ''")
    assert page.locator(f'[data-threadline-count="{host.story_url}"]').text_content() == "3"
    assert page.locator("#other").text_content() == "0 comments"
