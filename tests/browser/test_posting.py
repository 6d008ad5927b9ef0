"""Posting, replying, voting, reporting, sorting, editing and deleting in the embedded widget."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_guest_posts_a_comment_from_a_page_on_another_origin(reader: Any, story: Any) -> None:
    r = reader.open()
    assert r.widget.locator(".tl-title").text_content() == "No comments yet"
    cid = r.post("First! The council vote was expected on Tuesday.", name="Amira")

    assert r.own(cid, ".tl-meta .tl-author").text_content() == "Amira"
    assert "council vote" in r.own(cid, ".tl-body").text_content()
    assert r.widget.locator(".tl-title").text_content() == "1 comment"
    assert r.main_form.locator("textarea.tl-body").input_value() == ""
    # Reloading shows it from the server, and nothing relied on cookies.
    r.open()
    assert r.own(cid, ".tl-meta .tl-author").text_content() == "Amira"
    assert r.context.cookies() == []
    assert r.errors == []


def _others_comment(story: Any, name: str, body: str, **kw: Any) -> int:
    from threadline.actions.comments import comment_insert_trusted

    return comment_insert_trusted(
        story=story, parent=None, author_name=name, body=body, source="browser-test", **kw
    ).pk


def test_reply_five_levels_deep_shows_whom_each_reply_answers(reader: Any, story: Any) -> None:
    r = reader.open()
    ids = [r.post("Where was the shelling reported first?", name="Level0")]
    for level in range(1, 6):
        ids.append(r.reply(ids[-1], f"Answer number {level} in this chain.", name=f"Level{level}"))

    depths = [int(r.comment(i).get_attribute("data-depth")) for i in ids]
    assert depths == [0, 1, 2, 3, 4, 5]
    for level, cid in enumerate(ids[1:], start=1):
        # Nested inside its parent, with the "replying to" line naming the parent's author.
        assert (
            r.comment(ids[level - 1])
            .locator(f':scope>.tl-children>[data-comment-id="{cid}"]')
            .count()
            == 1
        )
        assert r.own(cid, ".tl-context").text_content() == f"replying to @Level{level - 1}"
        assert r.own(cid, ".tl-meta .tl-held").count() == 0
    # On a phone the indentation flattens and the context line is what shows the nesting.
    r.page.set_viewport_size({"width": 390, "height": 844})
    assert r.own(ids[5], ".tl-context").is_visible()
    assert r.errors == []


def test_vote_up_then_down_then_withdraw(reader: Any, story: Any, api_as: Any) -> None:
    cid = _others_comment(story, "Basel", "The convoy reached the bridge at dawn.")
    r = reader.open()
    up, down = r.own(cid, ".tl-actions .tl-vote-up"), r.own(cid, ".tl-actions .tl-vote-down")
    score = r.own(cid, ".tl-actions .tl-score")

    def server_score() -> int:
        status, data = api_as("someone")("GET", f"/comments/{cid}")
        return data["comment"]["score"]

    up.click()
    score.filter(has_text=re.compile(r"^1$")).wait_for()
    assert (up.get_attribute("aria-pressed"), down.get_attribute("aria-pressed")) == (
        "true",
        "false",
    )
    assert server_score() == 1

    down.click()
    score.filter(has_text=re.compile(r"^-1$")).wait_for()
    assert (up.get_attribute("aria-pressed"), down.get_attribute("aria-pressed")) == (
        "false",
        "true",
    )
    assert server_score() == -1

    down.click()  # the same arrow again withdraws the vote
    score.filter(has_text=re.compile(r"^0$")).wait_for()
    assert (up.get_attribute("aria-pressed"), down.get_attribute("aria-pressed")) == (
        "false",
        "false",
    )
    assert server_score() == 0
    # The reader's vote survives a reload (pressed state from localStorage).
    up.click()
    score.filter(has_text=re.compile(r"^1$")).wait_for()
    r.open()
    assert r.own(cid, ".tl-actions .tl-vote-up").get_attribute("aria-pressed") == "true"


def test_report_a_comment_with_a_reason_and_note(reader: Any, story: Any) -> None:
    from threadline.models import Flag

    cid = _others_comment(story, "Spammer", "Buy cheap watches at my shop today.")
    r = reader.open()
    r.own(cid, ".tl-actions .tl-flag-btn").click()
    form = r.comment(cid).locator("form.tl-flag-form")
    form.locator("select.tl-flag-reason").select_option("spam")
    form.locator("input.tl-flag-note").fill("Advertising, third time today")
    form.locator(".tl-flag-send").click()
    r.comment(cid).locator(".tl-flag-done").wait_for()

    flag = Flag.objects.get(comment_id=cid)
    assert (flag.reason, flag.note) == ("spam", "Advertising, third time today")


def test_sort_changes_the_order_of_top_level_comments(reader: Any, story: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    old = _others_comment(story, "Oldest", "Posted first.", created_at=now - timedelta(hours=3))
    best = _others_comment(
        story,
        "Liked",
        "Posted second, liked a lot.",
        created_at=now - timedelta(hours=2),
        upvotes=25,
    )
    new = _others_comment(
        story, "Newest", "Posted last.", created_at=now - timedelta(hours=1), downvotes=2
    )
    r = reader.open()
    assert r.top_ids()[0] == best
    # The widget offers the five sorts the API and the server-rendered page offer.
    options = r.widget.locator("select.tl-sort option")
    assert [options.nth(i).get_attribute("value") for i in range(options.count())] == [
        "best",
        "top",
        "newest",
        "oldest",
        "controversial",
    ]

    for sort, expected in (
        ("newest", [new, best, old]),
        ("oldest", [old, best, new]),
        ("top", [best]),
        ("controversial", [new]),
        ("best", [best]),
    ):
        r.widget.locator("select.tl-sort").select_option(sort)
        r.page.wait_for_function(
            "([first]) => document.querySelector('#threadline').shadowRoot"
            ".querySelector('.tl-list>.tl-comment').dataset.commentId === String(first)",
            arg=[expected[0]],
        )
        assert r.top_ids()[: len(expected)] == expected


def test_edit_and_delete_own_comments_within_the_window(
    reader: Any, story: Any, api_as: Any
) -> None:
    r = reader.open()
    lone = r.post("A comment I will take back.", name="Dana")
    parent = r.post("A comment with a typo: teh convoy.", name="Dana")
    _, reply = api_as("other-guest")(
        "POST",
        f"/stories/{story.id}/comments",
        {"body": "I disagree with this.", "author_name": "Eli", "parent_id": parent},
    )
    r.open()  # the reply arrives; own comments keep Edit / Delete after a reload

    r.own(parent, ".tl-actions .tl-edit-btn").click()
    form = r.comment(parent).locator(":scope>.tl-slot form.tl-form")
    assert form.locator("textarea.tl-body").input_value() == "A comment with a typo: teh convoy."
    form.locator("textarea.tl-body").fill("A comment with a typo fixed: the convoy.")
    form.locator(".tl-submit").click()
    r.own(parent, ".tl-meta .tl-edited").wait_for()
    assert (
        r.own(parent, ".tl-body").text_content().strip()
        == "A comment with a typo fixed: the convoy."
    )
    _, data = api_as("x")("GET", f"/comments/{parent}")
    assert data["comment"]["edited_at"] is not None

    # Others' comments offer no Edit or Delete.
    assert r.own(reply["id"], ".tl-actions .tl-edit-btn").count() == 0

    # Deleting a comment with a reply leaves a tombstone and keeps the reply.
    r.own(parent, ".tl-actions .tl-delete-btn").click()
    r.comment(parent).locator(".tl-confirm-delete").click()
    r.own(parent, ".tl-tombstone").wait_for()
    assert r.own(parent, ".tl-tombstone").text_content() == "Comment deleted"
    assert r.comment(reply["id"]).is_visible()

    # Deleting one without replies removes it.
    r.own(lone, ".tl-actions .tl-delete-btn").click()
    r.comment(lone).locator(".tl-confirm-delete").click()
    r.comment(lone).wait_for(state="detached")

    r.open()
    assert r.own(parent, ".tl-tombstone").text_content() == "Comment deleted"
    assert r.comment(lone).count() == 0
    assert r.widget.locator(".tl-title").text_content() == "1 comment"
    assert r.errors == []
