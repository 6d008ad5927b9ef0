"""The API's "think twice" answer carries the site's community guidelines link, absolute
(the widget runs on the publisher's origin), for posts and edits alike."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dashboard.world import use_fake_scorers

pytestmark = pytest.mark.django_db

SILLY = "What a silly idea this whole plan is."  # the fake model: 0.75, above the warning


@pytest.fixture
def nudging(settings: Any) -> None:
    use_fake_scorers(settings)


def _post(api: Any, story: Any, body: str = SILLY, **extra: Any) -> Any:
    api.guest = "guest-key-ann"
    return api.post(f"/stories/{story.pk}/comments", {"body": body, "author_name": "Ann", **extra})


def test_the_nudge_links_the_sites_own_guidelines_page(api: Any, story: Any, nudging: None) -> None:
    story.site.guidelines_url = "https://news.example/rules"
    story.site.save(update_fields=["guidelines_url"])
    response = _post(api, story)
    assert response.status_code == 409
    data = response.json()["error"]["data"]
    assert data["guidelines_url"] == "https://news.example/rules"
    assert data["reasons"]  # the nudge as before


def test_the_nudge_links_threadlines_page_of_the_sites_text(
    api: Any, story: Any, nudging: None
) -> None:
    story.site.guidelines_text = "Be kind."
    story.site.save(update_fields=["guidelines_text"])
    data = _post(api, story).json()["error"]["data"]
    assert data["guidelines_url"] == f"http://testserver/guidelines/{story.site.name}/"


def test_without_guidelines_the_nudge_has_no_link(api: Any, story: Any, nudging: None) -> None:
    data = _post(api, story).json()["error"]["data"]
    assert "guidelines_url" not in data


def test_an_edits_nudge_links_them_too(api: Any, story: Any, nudging: None) -> None:
    story.site.guidelines_url = "https://news.example/rules"
    story.site.save(update_fields=["guidelines_url"])
    posted = _post(api, story, body="A calm first version of my comment.").json()
    response = api.patch(
        f"/comments/{posted['id']}", {"body": SILLY, "edit_token": posted["edit_token"]}
    )
    assert response.status_code == 409
    assert response.json()["error"]["data"]["guidelines_url"] == "https://news.example/rules"
