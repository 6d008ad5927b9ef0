"""Sign-in with the publisher's accounts in the widget, on the publisher's own origin: its
page carries a token signed by a test publisher (tests/publisher.py); staff badges,
avatars and initials, and the names guests cannot take."""

from __future__ import annotations

from typing import Any

import pytest

from tests.chromium import screenshot
from tests.publisher import sso_token

pytestmark = pytest.mark.browser

AVATAR = "https://cdn.publisher.example/avatars/jane.svg"
# What the publisher's image server would send (the test reaches no network).
AVATAR_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">'
    '<rect width="64" height="64" fill="#d8e6f3"/><circle cx="32" cy="25" r="12" fill="#35597a"/>'
    '<path d="M10 62c2-14 12-21 22-21s20 7 22 21z" fill="#35597a"/></svg>'
)


@pytest.fixture
def sso_site(site: Any) -> Any:
    from threadline.actions.sso import site_sso_secret_rotate

    site_sso_secret_rotate(site=site, actor=None)
    return site


def _serve_avatar(reader: Any) -> None:
    reader.context.route(
        "https://cdn.publisher.example/**",
        lambda route: route.fulfill(status=200, content_type="image/svg+xml", body=AVATAR_SVG),
    )


def _jane(site: Any) -> str:
    return sso_token(site, sub="staff-17", name="Jane Doe", role="staff", avatar=AVATAR)


def test_a_staff_member_signed_in_by_the_publisher_posts_with_badge_and_avatar(
    reader: Any, new_reader: Any, sso_site: Any, story: Any
) -> None:
    from threadline.actions.comments import comment_insert_trusted
    from threadline.models import ApiToken, Commenter

    question = comment_insert_trusted(
        story=story,
        parent=None,
        author_name="Omar",
        body="Is the road to the eastern districts open again? The map shows a checkpoint.",
    )
    _serve_avatar(reader)
    r = reader.open(sso=_jane(sso_site))

    # Signed in by the publisher's token: no sign-in form, no name to type.
    assert r.widget.locator(".tl-whoami").text_content() == "Signed in as Jane Doe"
    assert r.widget.locator(".tl-auth .tl-staff").text_content() == "Staff"
    assert not r.main_form.locator("input.tl-name").is_visible()
    reply = r.reply(question.pk, "Yes: it reopened this morning. We have updated the map.")
    assert r.own(reply, ".tl-meta .tl-author").text_content() == "Jane Doe"
    assert r.own(reply, ".tl-meta .tl-staff").text_content() == "Staff"
    assert r.own(reply, ".tl-meta .tl-member").count() == 0
    img = r.own(reply, ".tl-meta .tl-avatar img")
    assert img.get_attribute("src") == AVATAR
    r.page.wait_for_function(
        "() => [...document.querySelector('#threadline').shadowRoot"
        ".querySelectorAll('.tl-avatar img')].every(i => i.complete && i.naturalWidth > 0)"
    )
    # A reload with the same token keeps the session: no second one is made.
    r.open(sso=_jane(sso_site))
    assert r.widget.locator(".tl-whoami").text_content() == "Signed in as Jane Doe"
    assert ApiToken.objects.count() == 1
    commenter = Commenter.objects.get(site=sso_site, sso_id="staff-17")
    assert commenter.badge == "staff" and commenter.comments_total == 1
    assert r.context.cookies() == [] and r.errors == []

    r.page.set_viewport_size({"width": 900, "height": 900})
    shot = screenshot(r.widget, "widget-sso-staff")
    assert shot.stat().st_size > 10_000

    # Another reader, a guest, sees the badge and cannot take the name.
    guest = new_reader()
    _serve_avatar(guest)
    guest.open()
    assert guest.own(reply, ".tl-meta .tl-staff").text_content() == "Staff"
    form = guest.main_form
    form.locator("input.tl-name").fill("jane  DOE")
    form.locator("textarea.tl-body").fill("I speak for the newsroom.")
    form.locator(".tl-submit").click()
    error = form.locator(".tl-error")
    error.wait_for()
    assert "reserved" in error.text_content()
    assert form.locator("input.tl-name").get_attribute("aria-invalid") == "true"
    assert guest.errors == []


def test_a_reader_without_a_picture_gets_initials_and_a_bad_token_leaves_a_guest(
    reader: Any, new_reader: Any, sso_site: Any, story: Any
) -> None:
    r = reader.open(sso=sso_token(sso_site, sub="r-1", name="Nadia Karimi"))
    cid = r.post("Thanks for the update on the checkpoint.")
    avatar = r.own(cid, ".tl-meta .tl-avatar")
    assert avatar.text_content() == "NK" and avatar.locator("img").count() == 0
    assert r.own(cid, ".tl-meta .tl-member").text_content() == "Member"
    assert r.own(cid, ".tl-meta .tl-staff").count() == 0

    late = new_reader()
    late.open(sso=sso_token(sso_site, sub="r-2", exp_in=-600))
    assert "expired" in late.widget.locator(".tl-sso-error").text_content()
    assert late.widget.locator(".tl-signin-btn").is_visible()
    assert late.main_form.locator("input.tl-name").is_visible()

    # Signed out on the publisher's site (an empty token): signed out here too.
    r.open(sso="")
    assert r.widget.locator(".tl-signin-btn").is_visible()
    assert r.errors == [] and late.errors == []
