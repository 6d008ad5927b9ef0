"""Who may create stories and title them: lookups are rate-limited per address and per site,
a site can limit which page URLs become stories, and a title is the publisher's — a page's
title is only a suggestion, which never replaces one, and the desk sets it."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.factories import SiteFactory, StoryFactory, UserFactory
from threadline.actions.sites import site_add_moderator, site_update_settings
from threadline.actions.stories import story_create, story_title_set
from threadline.models import ModerationEvent, Story, TitleSource

pytestmark = pytest.mark.django_db


def _limits(settings: Any, **limits: str) -> None:
    settings.THREADLINE = {**django_settings.THREADLINE, **limits}


# --- creation rate ------------------------------------------------------------------------


def test_a_loop_of_lookups_creates_no_more_stories_than_the_address_limit(api, site):
    # The attack as reported: 300 new pages from one client, each a new story.
    base = site.allowed_origins[0]
    answers = [api.get("/stories/lookup", url=f"{base}/p/{i}", title="x") for i in range(300)]
    codes = [r.status_code for r in answers]
    assert codes.count(200) == 30 and codes.count(429) == 270  # RATE_LIMIT_STORY_IP 30/3600
    assert Story.objects.count() == 30
    refused = answers[-1]
    assert refused.json()["error"]["code"] == "rate_limited" and int(refused["Retry-After"]) > 0


def test_the_site_limit_holds_whatever_the_address(client, settings, site):
    _limits(settings, RATE_LIMIT_STORY_IP="", RATE_LIMIT_STORY_SITE="5/3600")
    base = site.allowed_origins[0]
    codes = [
        client.get(
            "/api/v1/stories/lookup", {"url": f"{base}/p/{i}"}, REMOTE_ADDR=f"198.51.100.{i}"
        ).status_code
        for i in range(8)
    ]
    assert codes == [200] * 5 + [429] * 3
    other = SiteFactory()  # counted per site: another site still creates
    r = client.get("/api/v1/stories/lookup", {"url": f"{other.allowed_origins[0]}/a"})
    assert r.status_code == 200


def test_finding_a_story_counts_against_no_limit(api, settings, story):
    _limits(settings, RATE_LIMIT_STORY_IP="1/3600", RATE_LIMIT_STORY_SITE="1/3600")
    for _ in range(5):
        assert api.get("/stories/lookup", url=story.url).json()["id"] == story.pk
    base = story.site.allowed_origins[0]
    assert api.get("/stories/lookup", url=f"{base}/new").status_code == 200
    assert api.get("/stories/lookup", url=f"{base}/newer").status_code == 429


# --- story paths ----------------------------------------------------------------------------


def test_only_pages_on_the_sites_story_paths_become_stories(api, site):
    site_update_settings(site=site, actor=None, changes={"story_paths": "/news/\n/20*/*"})
    base = site.allowed_origins[0]
    old = StoryFactory(site=site, url=f"{base}/about")  # made before the rule: still served
    expected = {
        "/news/a": 200,
        "/news/a?page=2": 200,  # a prefix lets any query through
        "/2024/05/a": 200,
        "/2024/05/a?utm=1": 403,  # a pattern's * never crosses "?"
        "/": 403,
        "/about/x": 403,
        "/newsroom": 403,
    }
    for path, status in expected.items():
        r = api.get("/stories/lookup", url=base + path, title="T")
        assert r.status_code == status, path
        if status == 403:
            assert r.json()["error"]["code"] == "story_path_not_allowed"
    assert api.get("/stories/lookup", url=old.url).json()["id"] == old.pk
    assert Story.objects.count() == 4


def test_refused_paths_do_not_use_up_the_rate_limit(api, settings, site):
    _limits(settings, RATE_LIMIT_STORY_IP="1/3600")
    site_update_settings(site=site, actor=None, changes={"story_paths": "/news/"})
    base = site.allowed_origins[0]
    for i in range(3):
        assert api.get("/stories/lookup", url=f"{base}/x/{i}").status_code == 403
    assert api.get("/stories/lookup", url=f"{base}/news/1").status_code == 200


@pytest.mark.parametrize("text", ["https://news.example/news/", "/news /sport/"])
def test_story_paths_that_are_not_paths_are_refused(site, text):
    from threadline import errors

    with pytest.raises(errors.ValidationError):
        site_update_settings(site=site, actor=None, changes={"story_paths": text})


# --- titles ---------------------------------------------------------------------------------


def test_later_callers_never_change_a_title(api, site):
    url = f"{site.allowed_origins[0]}/"
    first = api.get("/stories/lookup", url=url, title="Front page")
    for i in range(95):
        api.get("/stories/lookup", url=url, title=f"Spoofed {i}")
    story = Story.objects.get()
    assert first.json()["title"] == story.title == "Front page"
    assert story.title_source == TitleSource.SUGGESTED


def test_the_desk_sets_a_title_that_lookups_never_change(client, api, story):
    moderator = UserFactory()
    site_add_moderator(site=story.site, user=moderator)
    client.force_login(moderator)
    page = reverse("desk:story-title", args=[story.pk])
    html = client.get(page).content.decode()
    assert "not confirmed" in html and story.title in html
    r = client.post(page, {"title": "  The  real headline "})
    assert r.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.title_source) == ("The real headline", TitleSource.PUBLISHER)
    assert api.get("/stories/lookup", url=story.url, title="Spoof").json()["title"] == (
        "The real headline"
    )
    event = ModerationEvent.objects.get(action="retitle")
    assert event.actor == moderator and event.scores["to"] == "The real headline"
    assert "Set by the publisher" in client.get(page).content.decode()


def test_a_moderator_of_another_site_cannot_retitle(client, story):
    outsider = UserFactory()
    site_add_moderator(site=SiteFactory(), user=outsider)
    client.force_login(outsider)
    r = client.post(reverse("desk:story-title", args=[story.pk]), {"title": "Mine"})
    assert r.status_code == 403
    assert Story.objects.get(pk=story.pk).title == story.title


def test_a_title_cleared_in_the_desk_is_filled_by_the_next_page(api, story):
    story_title_set(story=story, title="", actor=None)
    assert Story.objects.get(pk=story.pk).title == ""
    assert api.get("/stories/lookup", url=story.url).json()["title"] == ""  # nothing sent
    r = api.get("/stories/lookup", url=story.url, title="From the page")
    assert r.json()["title"] == "From the page"
    api.get("/stories/lookup", url=story.url, title="Second page")
    assert Story.objects.get(pk=story.pk).title == "From the page"


def test_a_publishers_empty_title_is_not_filled(api, site):
    story = story_create(site=site, url=f"{site.allowed_origins[0]}/a", title="Set")
    assert story.title_source == TitleSource.PUBLISHER
    Story.objects.filter(pk=story.pk).update(title="")  # e.g. an operator's script
    assert api.get("/stories/lookup", url=story.url, title="Spoof").json()["title"] == ""


def test_a_site_can_refuse_suggested_titles(api, site):
    site_update_settings(site=site, actor=None, changes={"accept_suggested_titles": False})
    url = f"{site.allowed_origins[0]}/a"
    assert api.get("/stories/lookup", url=url, title="Suggested").json()["title"] == ""
    assert api.get("/stories/lookup", url=url, title="Again").json()["title"] == ""


def test_the_desk_edits_story_paths_and_title_suggestions(client, site):
    from django.forms.models import model_to_dict

    from threadline.actions.sites import SETTINGS_FIELDS

    moderator = UserFactory()
    site_add_moderator(site=site, user=moderator)
    client.force_login(moderator)
    url = reverse("desk:site-settings", args=[site.pk])
    assert 'name="story_paths"' in client.get(url).content.decode()
    data = {k: ("on" if v is True else v) for k, v in model_to_dict(site).items() if v is not False}
    data = {k: v for k, v in data.items() if k in SETTINGS_FIELDS}
    data.pop("accept_suggested_titles")  # unticked
    bad = client.post(url, {**data, "story_paths": "https://news.example/news/"})
    assert bad.status_code == 400 and "not a whole URL" in bad.content.decode()
    assert client.post(url, {**data, "story_paths": "/news/\r\n/sport/"}).status_code == 302
    site.refresh_from_db()
    assert site.story_paths == "/news/\n/sport/" and site.accept_suggested_titles is False
