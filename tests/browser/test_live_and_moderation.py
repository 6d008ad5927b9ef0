"""Think twice, held comments, and live updates against the real server and scorers."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

ABUSE = "You are a fucking idiot and a worthless piece of shit."


def test_think_twice_prompt_then_post_anyway_holds_the_comment(
    reader: Any, story: Any, new_reader: Any
) -> None:
    from threadline.models import Comment

    story.site.warn_threshold = 0.3
    story.site.save(update_fields=["warn_threshold"])
    r = reader.open()
    form = r.main_form
    form.locator("input.tl-name").fill("Angry")
    form.locator("textarea.tl-body").fill(ABUSE)
    form.locator(".tl-submit").click()

    dialog = form.locator(".tl-confirm-dialog")
    dialog.wait_for()
    assert dialog.get_attribute("role") == "alertdialog"
    assert dialog.locator("h3").text_content() == "Think twice before posting"
    reasons = dialog.locator("li").all_text_contents()
    assert any(r.startswith("Insult") for r in reasons), reasons  # what it objects to
    assert not any(c.isdigit() for r in reasons for c in r)  # no score shown
    # The phrases that gave pause, as whole words of the comment.
    flagged = dialog.locator(".tl-flagged-words q").all_text_contents()
    assert flagged and all(phrase.lower() in ABUSE.lower() for phrase in flagged)
    assert r.shadow_eval("root => root.activeElement.className").endswith(
        "tl-confirm-send tl-primary"
    )
    assert Comment.objects.count() == 0  # nothing stored yet

    dialog.locator(".tl-confirm-edit").click()  # back to the text, still there
    assert form.locator(".tl-confirm-dialog").count() == 0
    assert form.locator("textarea.tl-body").input_value() == ABUSE

    form.locator(".tl-submit").click()
    form.locator(".tl-confirm-send").click()
    held = r.widget.locator(".tl-comment.tl-pending")
    held.wait_for()
    cid = int(held.get_attribute("data-comment-id"))
    assert r.own(cid, ".tl-meta .tl-held").text_content() == "Awaiting review"
    assert Comment.objects.get(pk=cid).status == "pending"

    # Visible to its author after a reload, to nobody else.
    r.open()
    assert r.own(cid, ".tl-meta .tl-held").count() == 1
    other = new_reader().open()
    assert other.comment(cid).count() == 0
    assert other.widget.locator(".tl-title").text_content() == "No comments yet"


def test_comment_posted_by_someone_else_appears_without_reload(
    reader: Any, story: Any, api_as: Any
) -> None:
    r = reader.open(poll="1")
    mine = r.post("Does anyone know when the bridge reopens?", name="Farah")
    draft = r.own(mine, ".tl-actions .tl-reply-btn")
    draft.click()
    r.comment(mine).locator(":scope>.tl-slot textarea").fill("an unsent draft")

    post = api_as("someone-else")
    _, reply = post(
        "POST",
        f"/stories/{story.id}/comments",
        {
            "body": "It reopens on Monday, said the governor.",
            "author_name": "Ghassan",
            "parent_id": mine,
        },
    )
    _, top = post(
        "POST",
        f"/stories/{story.id}/comments",
        {"body": "Thanks for covering this story.", "author_name": "Hiba"},
    )
    # Both wait behind the bar (nothing moves under the reader) until it is clicked.
    r.page.wait_for_function(
        "() => document.querySelector('#threadline').shadowRoot"
        ".querySelector('.tl-show-new').textContent.startsWith('2 new comments')",
        timeout=6000,
    )
    r.widget.locator(".tl-show-new").click()
    r.comment(reply["id"]).wait_for(timeout=6000)
    r.comment(top["id"]).wait_for(timeout=6000)
    assert (
        r.comment(mine).locator(f':scope>.tl-children>[data-comment-id="{reply["id"]}"]').count()
        == 1
    )
    assert "tl-new" in r.comment(top["id"]).get_attribute("class")
    # The merge left the open form and its text alone.
    assert r.comment(mine).locator(":scope>.tl-slot textarea").input_value() == "an unsent draft"
    assert r.widget.locator(".tl-title").text_content() == "3 comments"


def test_comment_removed_by_a_moderator_disappears_without_reload(reader: Any, story: Any) -> None:
    from threadline.actions.comments import comment_insert_trusted
    from threadline.actions.moderation_desk import comment_reject

    lone = comment_insert_trusted(story=story, parent=None, author_name="Troll", body="Spam spam.")
    parent = comment_insert_trusted(
        story=story, parent=None, author_name="Ibrahim", body="A reasonable point, then an insult."
    )
    reply = comment_insert_trusted(story=story, parent=parent, author_name="Jana", body="Agreed.")
    r = reader.open(poll="1")
    assert r.comment(lone.pk).count() == 1

    comment_reject(comment=lone, actor=None, reason_code="harassment")
    comment_reject(comment=parent, actor=None, reason_code="harassment")
    r.comment(lone.pk).wait_for(state="detached", timeout=6000)
    r.own(parent.pk, ".tl-tombstone").wait_for(timeout=6000)
    assert r.own(parent.pk, ".tl-tombstone").text_content() == "Comment removed by a moderator"
    assert r.comment(reply.pk).is_visible()


@pytest.mark.parametrize("sort", ["best", "oldest"])
def test_new_top_level_comment_beyond_the_first_page_appears_live(
    reader: Any, story: Any, api_as: Any, sort: str
) -> None:
    from threadline.actions.comments import comment_insert_trusted

    for i in range(6):
        comment_insert_trusted(
            story=story, parent=None, author_name=f"Early{i}", body=f"Early comment {i}.", upvotes=3
        )
    r = reader.open(poll="1", limit="3", sort=sort)
    assert r.widget.locator(".tl-load-more").is_visible()
    _, top = api_as("late-guest")(
        "POST",
        f"/stories/{story.id}/comments",
        {"body": "A late thought on the ceasefire.", "author_name": "Karim"},
    )
    r.widget.locator(".tl-show-new").click(timeout=6000)
    r.comment(top["id"]).wait_for(timeout=6000)
    assert r.top_ids()[0] == top["id"]  # at the top, marked new
    assert len(r.top_ids()) == 4  # older comments on later pages were not pulled in
