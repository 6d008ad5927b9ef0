"""What readers see in the widget, on the publisher's origin: the statement of reasons for
their rejected comment, a ban's end, a shadow ban, muting another reader, the reply e-mail
box, @mentions, the unread badge, a moderator's in-stream tools, and live counts."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import HostSite
from tests.chromium import screenshot

pytestmark = pytest.mark.browser


def _user(name: str, **extra: Any) -> Any:
    from tests.factories import UserFactory

    return UserFactory(username=name.lower().replace(" ", "."), first_name=name, **extra)


def _signed_in(reader: Any, user: Any) -> Any:
    """The reader's browser holds ``user``'s session, as after signing in in the widget."""
    import json

    from threadline.actions.accounts import token_create

    auth = {
        "token": token_create(user=user),
        "user": {"id": user.pk, "username": user.username, "display_name": user.first_name},
    }
    reader.context.add_init_script(
        f"localStorage.setItem('threadline:auth', {json.dumps(json.dumps(auth))})"
    )
    return reader


def _by(user: Any, story: Any, body: str, parent: Any = None) -> Any:
    from tests.factories import post_comment
    from threadline.domain.identity import Actor

    return post_comment(story, body, parent=parent, actor=Actor(user=user, ip="127.0.0.1")).comment


def _trusted(story: Any, name: str, body: str, parent: Any = None) -> Any:
    from threadline.actions.comments import comment_insert_trusted

    return comment_insert_trusted(story=story, parent=parent, author_name=name, body=body)


def test_a_rejected_comment_shows_its_writer_the_statement_of_reasons(
    reader: Any, new_reader: Any, story: Any
) -> None:
    from django.core import mail

    from threadline.actions.moderation_desk import comment_reject
    from threadline.models import Comment

    story.site.premoderation = "all"
    story.site.save(update_fields=["premoderation"])
    r = reader.open()
    form = r.main_form
    form.locator("input.tl-email").fill("farah@example.org")
    cid = r.post("The ministry's figures do not add up.", name="Farah")
    assert r.own(cid, ".tl-meta .tl-held").text_content() == "Awaiting review"
    assert "Only you can see" in r.own(cid, ".tl-heldnote").text_content()

    r.open()  # still there after a reload, for its writer
    assert r.own(cid, ".tl-meta .tl-held").text_content() == "Awaiting review"

    comment_reject(
        comment=Comment.objects.get(pk=cid),
        actor=_user("Desk"),
        reason_code="harassment",
        note="A personal attack",
    )
    r.open()
    assert "tl-rejected" in r.comment(cid).get_attribute("class")
    assert r.own(cid, ".tl-meta .tl-not-published").text_content() == "Not published"
    assert r.own(cid, ".tl-statement").text_content() == (
        "A moderator did not publish this comment. Reason: Harassment — A personal attack."
    )
    assert r.own(cid, ".tl-body").is_visible()  # their own text, kept for them
    screenshot(r.comment(cid), "widget-statement-of-reasons")

    other = new_reader().open()
    assert other.comment(cid).count() == 0
    # And by e-mail, to the address the writer gave, with a one-click unsubscribe.
    sent = [m for m in mail.outbox if m.to == ["farah@example.org"]]
    assert len(sent) == 1 and "- Harassment\n- A personal attack" in sent[0].body
    assert "List-Unsubscribe" in sent[0].extra_headers


def test_a_banned_reader_is_told_when_the_ban_ends(reader: Any, story: Any) -> None:
    from threadline.actions.commenters import commenter_ban
    from threadline.models import Comment

    r = reader.open()
    first = r.post("A first, civil comment.", name="Mallory")
    commenter = Comment.objects.get(pk=first).commenter
    commenter_ban(commenter=commenter, actor=None, days=3, message="Cool off for a few days")
    form = r.main_form
    form.locator("textarea.tl-body").fill("Let me back in.")
    form.locator(".tl-submit").click()
    error = form.locator(".tl-error")
    error.wait_for()
    commenter.refresh_from_db()
    day = commenter.banned_until.strftime("%B %-d, %Y")
    assert error.text_content() == (
        "You are banned from commenting on this site. "
        f"Your ban ends on {day}. “Cool off for a few days”"
    )
    screenshot(r.widget.locator(".tl-main-form"), "widget-ban-notice")

    commenter_ban(commenter=commenter, actor=None)
    form.locator(".tl-submit").click()
    r.page.wait_for_function(
        "() => document.querySelector('#threadline').shadowRoot"
        ".querySelector('.tl-main-form .tl-error').textContent.includes('permanent')"
    )
    assert "This ban is permanent." in error.text_content()


def test_a_shadow_banned_reader_sees_their_comment_published_and_nobody_else_does(
    reader: Any, new_reader: Any, story: Any
) -> None:
    from threadline.actions.commenters import commenter_ban
    from threadline.models import Comment

    r = reader.open()
    first = r.post("Before the ban.", name="Mallory")
    commenter_ban(commenter=Comment.objects.get(pk=first).commenter, actor=None, shadow=True)
    shadowed = r.post("After the ban: who reads this?", name="Mallory")
    assert Comment.objects.get(pk=shadowed).status == "rejected"
    for _ in range(2):  # right after posting, and after a reload
        assert "tl-pending" not in r.comment(shadowed).get_attribute("class")
        assert r.own(shadowed, ".tl-meta .tl-held").count() == 0
        assert (
            r.own(shadowed, ".tl-body").text_content().strip() == "After the ban: who reads this?"
        )
        r.open()
    other = new_reader().open()
    assert other.comment(first).count() == 1 and other.comment(shadowed).count() == 0


def test_a_signed_in_reader_mutes_and_unmutes_another_reader(
    reader: Any, new_reader: Any, story: Any
) -> None:
    troll = _trusted(story, "Troll", "Everyone here is wrong.")
    again = _trusted(story, "Troll", "Still wrong, all of you.")
    calm = _trusted(story, "Nadia", "The bridge reopens on Monday.")
    guest = new_reader().open()
    assert not guest.own(troll.pk, ".tl-actions .tl-mute-btn").is_visible()  # guests: no Mute

    r = _signed_in(reader, _user("Samir")).open()
    r.own(troll.pk, ".tl-actions .tl-mute-btn").click()
    note = r.own(again.pk, ".tl-mnote")
    note.wait_for()
    assert note.text_content().startswith("Hidden: you muted Troll — ")
    assert not r.own(again.pk, ".tl-body").is_visible()
    assert r.own(calm.pk, ".tl-body").is_visible() and r.own(calm.pk, ".tl-mnote").count() == 0
    screenshot(r.widget.locator(".tl-list"), "widget-muted-reader")

    r.open()  # the mute is the server's: it holds after a reload
    r.own(troll.pk, ".tl-mnote .tl-unhide").click()  # "show": this one, this once
    assert r.own(troll.pk, ".tl-body").is_visible()
    assert not r.own(again.pk, ".tl-body").is_visible()
    assert guest.own(troll.pk, ".tl-body").is_visible()  # nobody else is affected

    r.own(troll.pk, ".tl-mnote .tl-unmute-btn").click()
    r.own(again.pk, ".tl-mnote").wait_for(state="detached")
    assert r.own(again.pk, ".tl-body").is_visible()


def test_notify_me_of_replies_asks_for_an_address_then_subscribes_it(
    reader: Any, story: Any
) -> None:
    from django.core import mail

    from threadline.models import Subscription

    r = reader.open()
    form = r.main_form
    form.locator("input.tl-name").fill("Omar")
    form.locator("textarea.tl-body").fill("Tell me when someone answers.")
    form.locator("input.tl-notify").check()
    form.locator(".tl-submit").click()
    assert form.locator(".tl-error").text_content() == "Enter your e-mail to be told of replies."
    assert form.locator("input.tl-email").get_attribute("aria-invalid") == "true"
    form.locator("input.tl-email").fill("omar@example.org")
    form.locator(".tl-submit").click()
    r.page.wait_for_function(
        "() => document.querySelector('#threadline').shadowRoot"
        ".querySelector('.tl-status').textContent.startsWith('Check your inbox')"
    )
    assert Subscription.objects.get().email == "omar@example.org"
    assert any("/notifications/confirm/" in m.body for m in mail.outbox)


def test_mentions_offer_the_participants_and_notify_the_one_named(
    reader: Any, new_reader: Any, story: Any
) -> None:
    from threadline.models import ReaderNotification

    farah = _user("Farah Khalil")
    _by(farah, story, "The ceasefire holds in the north.")
    _trusted(story, "Faisal", "Not in the east.")
    _trusted(story, "Omar", "Any news from the camps?")
    r = reader.open()
    ta = r.main_form.locator("textarea.tl-body")
    ta.click()
    ta.press_sequentially("Agreed with @fa")
    picker = r.main_form.locator("ul.tl-mentions")
    picker.wait_for()
    assert picker.get_attribute("role") == "listbox"
    assert picker.locator("[role=option]").all_text_contents() == ["Faisal", "Farah Khalil"]
    assert ta.get_attribute("aria-activedescendant") == picker.locator("li").first.get_attribute(
        "id"
    )
    screenshot(r.widget.locator(".tl-main-form"), "widget-mention-picker")
    for key in ("ArrowDown", "ArrowDown", "ArrowUp"):  # down, round to the top, up again
        ta.press(key)
    ta.press("Enter")
    assert ta.input_value() == "Agreed with @Farah Khalil "
    assert picker.count() == 0
    ta.press_sequentially("on the north.")
    r.main_form.locator("input.tl-name").fill("Lina")
    r.main_form.locator(".tl-submit").click()
    r.page.wait_for_function(
        "() => document.querySelector('#threadline').shadowRoot"
        ".querySelectorAll('.tl-list>.tl-comment').length === 4"
    )
    note = ReaderNotification.objects.get()
    assert (note.user_id, note.kind) == (farah.pk, "mention")


def test_the_unread_badge_counts_replies_and_clears_when_opened(
    reader: Any, story: Any, api_as: Any
) -> None:
    from threadline.models import ReaderNotification

    farah = _user("Farah")
    mine = _by(farah, story, "Is the bridge open yet?")
    _, reply = api_as("guest-jamal")(
        "POST",
        f"/stories/{story.id}/comments",
        {"body": "Yes, since this morning.", "author_name": "Jamal", "parent_id": mine.pk},
    )
    r = _signed_in(reader, farah).open()
    bell = r.widget.locator(".tl-head .tl-bell")
    assert bell.locator(".tl-unread").text_content() == "1"
    assert bell.get_attribute("aria-label") == "Notifications, 1 unread"
    screenshot(r.widget.locator(".tl-head"), "widget-unread-badge")
    bell.click()
    item = r.widget.locator(".tl-notes-panel a.tl-note")
    item.wait_for()
    assert item.text_content() == "Jamal replied to you"
    r.page.wait_for_function(
        "() => document.querySelector('#threadline').shadowRoot.querySelector('.tl-unread').hidden"
    )
    assert ReaderNotification.objects.get().read_at is not None
    item.click()  # to the reply, in this thread
    r.page.wait_for_function(f"() => location.hash === '#comment-{reply['id']}'")
    assert "tl-highlight" in r.comment(reply["id"]).get_attribute("class")


def test_a_moderator_approves_features_rejects_and_bans_in_the_stream(
    reader: Any, new_reader: Any, story: Any, api_as: Any
) -> None:
    from threadline.models import Comment, Commenter

    story.site.premoderation = "all"
    story.site.save(update_fields=["premoderation"])
    post = api_as("guest-rami")
    _, held = post(
        "POST", f"/stories/{story.id}/comments", {"body": "Held one.", "author_name": "Rami"}
    )
    _, spam = post(
        "POST", f"/stories/{story.id}/comments", {"body": "Buy pills.", "author_name": "Rami"}
    )
    story.site.premoderation = "off"
    story.site.save(update_fields=["premoderation"])
    shown = _trusted(story, "Nadia", "The bridge reopens on Monday.")
    moderator = _user("Desk Editor")
    story.site.moderators.add(moderator)

    plain = new_reader().open()
    assert plain.widget.locator(".tl-modbar").count() == 0
    assert plain.comment(held["id"]).count() == 0

    r = _signed_in(reader, moderator).open()
    bar = r.own(held["id"], ".tl-modbar")
    assert bar.get_attribute("aria-label") == "Moderate"
    assert bar.locator("button").all_text_contents() == ["Approve", "Reject", "Ban"]
    assert r.own(shown.pk, ".tl-modbar button").all_text_contents() == ["Reject", "Feature", "Ban"]
    screenshot(r.widget.locator(".tl-list"), "widget-instream-moderation")

    bar.locator(".tl-mod-approve").click()
    r.page.wait_for_function(
        f"() => !document.querySelector('#threadline').shadowRoot"
        f".querySelector('[data-comment-id=\"{held['id']}\"]').classList.contains('tl-pending')"
    )
    assert Comment.objects.get(pk=held["id"]).status == "published"

    r.own(shown.pk, ".tl-modbar .tl-mod-feature").click()
    r.own(shown.pk, ".tl-meta .tl-pin").wait_for()
    assert Comment.objects.get(pk=shown.pk).is_featured

    r.own(spam["id"], ".tl-modbar .tl-mod-reject").click()
    form = r.comment(spam["id"]).locator(":scope>.tl-slot form.tl-mod-form")
    form.locator("select.tl-mod-reason").select_option("spam")
    form.locator("input.tl-mod-note").fill("Advertising")
    form.locator(".tl-mod-send").click()
    r.comment(spam["id"]).wait_for(state="detached")
    rejected = Comment.objects.get(pk=spam["id"])
    assert rejected.status == "rejected" and rejected.events.first().reasons == [
        "Spam",
        "Advertising",
    ]

    r.own(held["id"], ".tl-modbar .tl-mod-ban").click()
    form = r.comment(held["id"]).locator(":scope>.tl-slot form.tl-mod-form")
    form.locator("input.tl-mod-days").fill("7")
    form.locator("input.tl-mod-shadow").check()
    form.locator(".tl-mod-send").click()
    form.wait_for(state="detached")
    rami = Commenter.objects.get(comments__pk=held["id"])
    assert rami.ban_shadow and rami.banned_until is not None


def test_count_script_updates_counts_live(
    browser: Any, host: HostSite, story: Any, api_as: Any
) -> None:
    html = (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>Front page</title>'
        f'<a href="{host.story_url}"><span data-threadline-count="{host.story_url}"'
        ' data-threadline-count-one="1 comment" data-threadline-count-other="{n} comments">'
        "…</span></a>"
        f'<script src="{host.api_url}/static/threadline/count.js" async'
        ' data-threadline-count-poll="2"></script>'
    )
    (host.root / "front.html").write_text(html, encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{host.origin}/front.html")
    count = page.locator("[data-threadline-count]")
    page.wait_for_function("() => document.querySelector('[data-threadline-count-value]')")
    assert count.text_content() == "0 comments"
    post = api_as("guest-live")
    post("POST", f"/stories/{story.id}/comments", {"body": "First!", "author_name": "Ola"})
    page.wait_for_function(
        "() => document.querySelector('[data-threadline-count]').textContent === '1 comment'",
        timeout=8000,
    )
    post("POST", f"/stories/{story.id}/comments", {"body": "Second.", "author_name": "Ola"})
    page.wait_for_function(
        "() => document.querySelector('[data-threadline-count]').textContent === '2 comments'",
        timeout=8000,
    )
    context.close()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_new_states_have_no_serious_accessibility_violations(
    new_reader: Any, story: Any, theme: str
) -> None:
    from pathlib import Path

    from threadline.actions.reader_notifications import reader_notifications_create
    from threadline.models import Mute

    editor = _user("Desk Editor")
    story.site.moderators.add(editor)
    mine = _by(editor, story, "Corrections go here.")
    reply = _trusted(story, "Farah", "One: the bridge is open.", parent=mine)
    from threadline.actions.comments import comment_insert_trusted

    comment_insert_trusted(
        story=story, parent=None, author_name="Held", body="Awaiting the desk.", status="pending"
    )
    reader_notifications_create(comment_id=reply.pk)
    troll = _trusted(story, "Troll", "Bait.")
    Mute.objects.create(user=editor, commenter=troll.commenter, name="Troll")
    r = _signed_in(new_reader(color_scheme=theme), editor).open()
    r.own(reply.pk, ".tl-modbar .tl-mod-reject").click()
    r.widget.locator(".tl-bell").click()
    r.widget.locator(".tl-notes-panel a.tl-note").wait_for()
    ta = r.main_form.locator("textarea.tl-body")
    ta.click()
    ta.press_sequentially("@far")
    r.main_form.locator("ul.tl-mentions").wait_for()
    # What axe looks at: a held comment's tools, a reject form, the muted note, the panel.
    assert r.widget.locator(".tl-mod-approve").count() == 1
    assert r.own(troll.pk, ".tl-mnote").is_visible()
    r.page.add_script_tag(path=str(Path(__file__).parent / "vendor" / "axe.min.js"))
    result = r.page.evaluate("""async () => {
        const res = await axe.run({include: [['#threadline']]}, {resultTypes: ['violations']});
        return res.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' > '))}));
    }""")
    assert [v for v in result if v["impact"] in ("serious", "critical")] == []
