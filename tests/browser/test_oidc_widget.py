"""Sign-in with the operator's OpenID Connect provider in the widget, on the publisher's own
origin: "Sign in with Test Provider" opens a window that signs in at the provider (a real one
in its own process, tests/oidc_provider), the widget claims its token with the verifier it
kept, and the reader comments under the provider's name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests import oidc_provider as provider_data
from tests.chromium import screenshot
from tests.oidc_provider.fixtures import LABEL, configure, provider_for
from tests.oidc_provider.runner import Provider

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    yield from provider_for(live_server, tmp_path_factory)


@pytest.fixture
def oidc_on(provider: Provider, site: Any, settings: Any) -> Iterator[Provider]:
    yield from configure(provider, settings)


def test_a_reader_signs_in_with_the_provider_in_the_widget_and_comments_under_its_name(
    reader: Any, oidc_on: Provider, story: Any
) -> None:
    from django.contrib.auth.models import User

    r = reader.open()
    button = r.widget.locator(".tl-auth .tl-oidc-btn")
    assert button.text_content() == f"Sign in with {LABEL}"
    with r.page.expect_popup() as opened:
        button.click()
    popup = opened.value
    assert "Finish signing in" in r.widget.locator(".tl-oidc-note").text_content()

    # The provider's own page, on its own origin, in the window.
    popup.wait_for_url(f"{oidc_on.url}/login/**")
    popup.fill("#provider-username", provider_data.USERNAME)
    popup.fill("#provider-password", provider_data.PASSWORD)
    popup.click("#provider-submit")
    popup.wait_for_selector("h1.handoff-done")
    assert "Amira Haddad" in popup.inner_text("main")
    popup.wait_for_event("close", timeout=10_000)  # it closes itself

    whoami = r.widget.locator(".tl-whoami")
    whoami.wait_for(timeout=10_000)
    assert whoami.text_content() == "Signed in as Amira Haddad"
    assert r.widget.locator(".tl-oidc-note").count() == 0
    assert not r.main_form.locator("input.tl-name").is_visible()
    cid = r.post("The eastern road reopened this morning; the checkpoint is gone.")
    assert r.own(cid, ".tl-meta .tl-author").text_content() == "Amira Haddad"

    user = User.objects.get(username__startswith="oidc-")
    comment = story.comments.get(pk=cid)
    assert comment.user_id == user.pk and comment.author_name == "Amira Haddad"
    # The publisher's page holds the bearer token (every port of 127.0.0.1 shares cookies,
    # so the window's session cookie cannot tell anything here).
    assert r.page.evaluate("() => !!JSON.parse(localStorage.getItem('threadline:auth')).token")
    assert r.errors == []

    r.page.set_viewport_size({"width": 900, "height": 900})
    shot = screenshot(r.widget, "widget-oidc-sign-in")
    assert shot.stat().st_size > 10_000


def test_without_a_provider_the_widget_offers_none(reader: Any, story: Any) -> None:
    r = reader.open()
    assert r.widget.locator(".tl-auth .tl-signin-btn").is_visible()
    assert r.widget.locator(".tl-oidc-btn").count() == 0
