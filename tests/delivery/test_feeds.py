"""The Atom feeds stay well-formed whatever text was stored: titles, names and bodies
from before input validation, imports or an edited row."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.factories import post_comment
from threadline.models import Comment, Site, Story

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def hostile(story):  # noqa: ANN001,ANN201
    """A story, site and comment carrying characters XML 1.0 cannot hold, written to
    the rows directly as an older version or a careless import could have."""
    comment = post_comment(story, "odd \ufffe body \U0001f600").comment
    Comment.objects.filter(pk=comment.pk).update(author_name="Bo\x07b")
    Story.objects.filter(pk=story.pk).update(title="Bad\x01 title\ufffe")
    Site.objects.filter(pk=story.site_id).update(title="Site\x0b\uffff")
    return story


@pytest.mark.parametrize("kind", ["story", "site"])
def test_feeds_drop_characters_xml_cannot_carry(client, hostile, kind):
    path = (
        f"/feeds/stories/{hostile.pk}.atom"
        if kind == "story"
        else f"/feeds/sites/{hostile.site.name}.atom"
    )
    r = client.get(path)
    assert r.status_code == 200
    feed = etree.fromstring(r.content)  # lxml refuses any ill-formed document
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Bob"
    assert entry.find(f"{ATOM}title").text == "Bob on Bad title"
    assert "odd  body \U0001f600" in entry.find(f"{ATOM}summary").text


def test_a_title_from_lookup_with_a_control_character_keeps_the_feed_valid(client, api, site):
    r = api.get("/stories/lookup", url=f"{site.allowed_origins[0]}/x", title="Ti\x01tle")
    story_id = r.json()["id"]
    post_comment(Story.objects.get(pk=story_id), "Hello")
    r = client.get(f"/feeds/stories/{story_id}.atom")
    assert r.status_code == 200
    assert etree.fromstring(r.content).find(f"{ATOM}title").text == "Comments on Title"
