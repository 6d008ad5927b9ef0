"""Sign-in with an OpenID Connect provider in Chromium: from a story page to the sign-in
page, "Sign in with Test Provider", the provider's own form (a real provider in its own
process, tests/oidc_provider), and back to the story signed in, to comment under the name
the provider gave."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests import oidc_provider as provider_data
from tests.chromium import chromium, needs_chromium
from tests.factories import StoryFactory
from tests.oidc_provider.fixtures import LABEL, configure, provider_for
from tests.oidc_provider.runner import Provider

pytestmark = [*needs_chromium, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    yield from provider_for(live_server, tmp_path_factory)


@pytest.fixture
def oidc_on(provider: Provider, settings: Any) -> Iterator[Provider]:
    yield from configure(provider, settings)


def test_a_reader_signs_in_at_the_provider_and_comments_under_its_name(
    live_server: Any, oidc_on: Provider, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.contrib.auth.models import User

    story: Any = StoryFactory()
    story_url = f"{live_server.url}/stories/{story.pk}/"
    with chromium(monkeypatch) as page:
        page.goto(story_url)
        page.click("nav[aria-label=Account] a:text-is('Sign in')")
        page.wait_for_url("**/accounts/login/**")
        page.click(f"a.oidc-button:text-is('Sign in with {LABEL}')")

        # The provider's own page, on its own origin.
        page.wait_for_url(f"{oidc_on.url}/login/**")
        page.fill("#provider-username", provider_data.USERNAME)
        page.fill("#provider-password", provider_data.PASSWORD)
        page.click("#provider-submit")

        page.wait_for_url(story_url)
        assert page.inner_text(".who-am-i") == "Signed in as Amira Haddad"
        # Signed in: no name to type, the provider's name is the author's.
        assert page.locator("form.comment-form input[name=author_name]").count() == 0
        page.locator("form.comment-form textarea[name=body]").first.fill(
            "The eastern road reopened this morning; the checkpoint is gone."
        )
        page.locator("form.comment-form button[type=submit]").first.click()
        page.wait_for_selector("ol.thread > li.comment")
        assert page.locator("ol.thread > li.comment .author").first.inner_text() == "Amira Haddad"

    user = User.objects.get(username__startswith="oidc-")
    comment = story.comments.get()
    assert comment.user_id == user.pk and comment.author_name == "Amira Haddad"
    assert comment.commenter.key == f"user:{user.pk}"
