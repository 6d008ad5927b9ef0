"""Accounts that work, in Chromium on the live server: a reader signs up with a display
name and an address, confirms the address from the mail, forgets the password and resets
it, changes the display name and finds their profile with their comments. Screenshots of
the reset page and the profile go to the docs (THREADLINE_UPDATE_SCREENSHOTS=1)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail

from tests.chromium import chromium, needs_chromium, screenshot
from tests.factories import StoryFactory, post_comment
from threadline.actions.account_email import account_email_confirmed
from threadline.domain.identity import Actor

pytestmark = [*needs_chromium, pytest.mark.django_db(transaction=True)]

FIRST_PASSWORD = "first long passphrase 1"
NEW_PASSWORD = "second long passphrase 2"


def _path_in_mail(pattern: str) -> str:
    """The path of the link in the latest mail (its host is THREADLINE_PUBLIC_URL's)."""
    found = re.search(r"https?://[^/\s]+(" + pattern + r"[^\s]*)", mail.outbox[-1].body)
    assert found, mail.outbox[-1].body
    return found.group(1)


def test_a_reader_signs_up_confirms_resets_renames_and_finds_their_profile(
    live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = StoryFactory(title="Flooding closes the river road")
    base = live_server.url
    with chromium(monkeypatch) as page:
        # Sign up with a display name apart from the user name, and an address.
        page.goto(f"{base}/accounts/signup/?next=/")
        page.fill("input[name=username]", "mara_v")
        page.fill("input[name=display_name]", "Mara Vidal")
        page.fill("input[name=email]", "mara@example.org")
        page.fill("input[name=password]", FIRST_PASSWORD)
        page.click("form.auth button[type=submit]")
        page.wait_for_url(f"{base}/")
        assert page.inner_text(".who-am-i") == "Signed in as Mara Vidal"
        assert "We sent a link to mara@example.org" in page.inner_text(".messages")

        # The link in the mail confirms the address.
        assert [m.to for m in mail.outbox] == [["mara@example.org"]]
        page.goto(base + _path_in_mail("/accounts/email/confirm/"))
        assert page.inner_text("h1") == "Your address is confirmed"
        user = User.objects.get(username="mara_v")
        assert account_email_confirmed(user=user) == "mara@example.org"
        for text in ("The river road was closed at six.", "The ferry runs every hour instead."):
            post_comment(story, text, actor=Actor(user=user, ip="127.0.0.1"))

        # Signed out, the password forgotten: the sign-in page leads to the reset.
        page.click(".site-header button:has-text('Sign out')")
        page.wait_for_selector(".site-header a:has-text('Sign in')")
        page.goto(f"{base}/accounts/login/")
        page.click("text=Forgot your password?")
        page.wait_for_url(f"{base}/accounts/password/reset/")
        page.fill("input[name=email]", "mara@example.org")
        screenshot(page, "page-password-reset")
        page.click("form.auth button[type=submit]")
        page.wait_for_url(f"{base}/accounts/password/reset/sent/")
        assert page.inner_text("h1") == "Check your e-mail"
        page.goto(base + _path_in_mail("/accounts/password/reset/"))
        page.fill("input[name=new_password1]", NEW_PASSWORD)
        page.fill("input[name=new_password2]", NEW_PASSWORD)
        page.click("form.auth button[type=submit]")
        page.wait_for_url(f"{base}/accounts/password/reset/done/")
        page.click("main a:has-text('Sign in')")
        page.fill("input[name=username]", "mara_v")
        page.fill("input[name=password]", NEW_PASSWORD)
        page.click("form.auth button[type=submit]")
        page.wait_for_url(f"{base}/")

        # A new display name, in the settings.
        page.click(".site-header a:has-text('Settings')")
        page.fill("input[name=display_name]", "Mara Vidal-Ruiz")
        page.click("form.auth button[type=submit]")
        assert "Your settings are saved." in page.inner_text(".messages")
        assert page.inner_text(".who-am-i") == "Signed in as Mara Vidal-Ruiz"
        assert "✓ mara@example.org is confirmed." in page.inner_text(".email-status")

        # The profile: the new name, the initials avatar, both comments, newest first.
        page.click(".site-header a:has-text('Profile')")
        assert page.inner_text("#profile-name") == "Mara Vidal-Ruiz"
        assert page.inner_text(".profile-head .avatar") == "MV"
        items = page.locator(".history-item .body").all_inner_texts()
        assert items == ["The ferry runs every hour instead.", "The river road was closed at six."]
        assert "Flooding closes the river road" in page.inner_text(".history")
        screenshot(page, "page-reader-profile")

        # From a comment on the story page to the same profile.
        page.goto(f"{base}/stories/{story.pk}/")
        page.locator("a.author", has_text="Mara Vidal").first.click()
        page.wait_for_url(f"{base}/readers/{user.pk}/")
