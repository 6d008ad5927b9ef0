"""A site's community guidelines: its public page, and the links to it from the comment
form and the "think twice" nudge, on the server-rendered pages and in the API's answer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.dashboard.world import use_fake_scorers
from threadline.models import Comment

pytestmark = pytest.mark.django_db

RULES = "Argue with ideas, not people.\n\n- No threats\n- No spam\n\n<script>alert(1)</script>"
SILLY = "What a silly idea this whole plan is."  # the fake model: 0.75, above the warning


def _guidelines(site: Any, *, text: str = RULES, url: str = "") -> None:
    site.guidelines_text, site.guidelines_url = text, url
    site.save(update_fields=["guidelines_text", "guidelines_url"])


def test_the_guidelines_page_shows_the_sites_text_as_safe_html(client: Any, site: Any) -> None:
    _guidelines(site)
    response = client.get(f"/guidelines/{site.name}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Community guidelines</h1>" in html
    assert "<li>No threats</li>" in html and "Argue with ideas" in html
    assert "<script>alert(1)</script>" not in html


def test_the_guidelines_page_links_the_publishers_own_page(client: Any, site: Any) -> None:
    _guidelines(site, url="https://news.example/rules")
    html = client.get(f"/guidelines/{site.name}/").content.decode()
    assert 'href="https://news.example/rules"' in html


def test_with_only_a_page_of_its_own_the_site_sends_readers_there(client: Any, site: Any) -> None:
    _guidelines(site, text="", url="https://news.example/rules")
    response = client.get(f"/guidelines/{site.name}/")
    assert response.status_code == 302 and response["Location"] == "https://news.example/rules"


def test_no_guidelines_and_no_site_are_a_404(client: Any, site: Any) -> None:
    assert client.get(f"/guidelines/{site.name}/").status_code == 404
    assert client.get("/guidelines/no-such-site/").status_code == 404


def test_the_comment_form_links_the_guidelines(client: Any, story: Any) -> None:
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert 'class="guidelines"' not in page  # none yet
    _guidelines(story.site)
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert f'href="/guidelines/{story.site.name}/" class="guidelines"' in page


def test_the_pages_nudge_links_the_guidelines(client: Any, story: Any, settings: Any) -> None:
    use_fake_scorers(settings)
    _guidelines(story.site, url="https://news.example/rules")
    response = client.post(f"/stories/{story.pk}/comments/", {"body": SILLY, "author_name": "Ann"})
    html = response.content.decode()
    assert response.status_code == 409 and "Think twice" in html
    assert 'href="https://news.example/rules"' in html
    assert not Comment.objects.exists()
