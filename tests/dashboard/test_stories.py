"""Stories in the desk: the list (search, newest first, pages, the moderator's sites only)
and one story's page (its comments in every state, its counts, its open/close switch and
its title), reached from the desk's "Stories" link."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dashboard.world import World
from tests.factories import StoryFactory, post_comment
from threadline.models import ModerationEvent, Story
from threadline.queries.desk import PAGE_SIZE


def _get(client: Any, world: World, url: str, **params: Any) -> str:
    client.force_login(world.moderator)
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_desks_stories_link_leads_to_the_desks_story_list(client: Any, world: World) -> None:
    html = _get(client, world, reverse("desk:queue"))
    assert '<a href="/moderate/stories/">Stories</a>' in html
    assert '<a href="/">Stories</a>' not in html


def test_story_list_shows_the_moderators_stories_only(client: Any, world: World) -> None:
    html = _get(client, world, reverse("desk:stories"))
    assert "Fighting near the river" in html
    assert reverse("desk:story", args=[world.story.pk]) in html
    assert "Elsewhere" not in html  # the other site's story


def test_story_list_counts_held_comments(client: Any, world: World) -> None:
    html = _get(client, world, reverse("desk:stories"))
    held = reverse("desk:story", args=[world.story.pk]) + "?queue=pending"
    assert f'<a href="{held}"><strong>1</strong></a>' in html


def test_story_list_searches_titles_and_urls(client: Any, world: World) -> None:
    StoryFactory(site=world.site, title="Budget vote", url="https://alpha.example/politics/b")
    by_title = _get(client, world, reverse("desk:stories"), q="budget")
    assert "Budget vote" in by_title and "Fighting near the river" not in by_title
    by_url = _get(client, world, reverse("desk:stories"), q="/politics/")
    assert "Budget vote" in by_url and "Fighting near the river" not in by_url
    assert "No stories match" in _get(client, world, reverse("desk:stories"), q="zebra")


def test_story_list_is_newest_first_in_pages(client: Any, world: World) -> None:
    for i in range(PAGE_SIZE + 1):
        StoryFactory(site=world.site, title=f"Numbered story {i:02d}")
    first = _get(client, world, reverse("desk:stories"))
    assert first.index("Numbered story 25") < first.index("Numbered story 24")
    assert "Numbered story 01" in first and "Numbered story 00" not in first
    assert 'rel="next"' in first
    second = _get(client, world, reverse("desk:stories"), page=2)
    assert "Numbered story 00" in second and "Fighting near the river" in second
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_story_list_for_another_sites_id_is_refused(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    assert client.get(reverse("desk:stories"), {"site": world.other_site.pk}).status_code == 403


def test_story_page_shows_every_state_with_the_usual_card_actions(
    client: Any, world: World
) -> None:
    html = _get(client, world, reverse("desk:story", args=[world.story.pk]))
    for comment in (world.pending, world.published, world.reported, world.rejected):
        assert f'id="c-{comment.pk}"' in html
    assert f'id="c-{world.other_pending.pk}"' not in html
    assert reverse("desk:approve", args=[world.pending.pk]) in html
    assert reverse("desk:reject", args=[world.published.pk]) in html
    assert 'id="reject-dialog"' in html and 'id="bulk"' in html


def test_story_page_counts_each_state_and_filters_by_it(client: Any, world: World) -> None:
    url = reverse("desk:story", args=[world.story.pk])
    html = _get(client, world, url)
    for queue, n in (("pending", 1), ("reported", 1), ("rejected", 1), ("approved", 2)):
        assert f'data-queue="{queue}">{n}<' in html
    held = _get(client, world, url, queue="pending")
    assert f'id="c-{world.pending.pk}"' in held and f'id="c-{world.published.pk}"' not in held
    client.force_login(world.moderator)
    assert client.get(url, {"queue": "nope"}).status_code == 400


def test_story_page_switch_closes_and_reopens_the_thread(client: Any, world: World) -> None:
    url = reverse("desk:story", args=[world.story.pk])
    html = _get(client, world, url)
    assert 'role="switch" aria-checked="true"' in html
    response = client.post(
        reverse("desk:story-open", args=[world.story.pk]), {"open": "0", "next": url}, follow=True
    )
    assert response.redirect_chain[-1][0] == url
    html = response.content.decode()
    assert "Comments closed." in html and 'role="switch" aria-checked="false"' in html
    world.story.refresh_from_db()
    assert not world.story.is_open
    assert ModerationEvent.objects.filter(action="close", actor=world.moderator).exists()
    client.post(reverse("desk:story-open", args=[world.story.pk]), {"open": "1", "next": url})
    world.story.refresh_from_db()
    assert world.story.is_open


def test_story_page_sets_the_title_and_the_old_title_url_still_works(
    client: Any, world: World
) -> None:
    html = _get(client, world, reverse("desk:story", args=[world.story.pk]))
    assert 'id="title"' in html and 'name="title"' in html
    assert reverse("desk:story-title", args=[world.story.pk]) in html
    old = _get(client, world, reverse("desk:story-title", args=[world.story.pk]))
    assert f'id="c-{world.pending.pk}"' in old  # the story's page itself
    response = client.post(reverse("desk:story-title", args=[world.story.pk]), {"title": "New"})
    assert response["Location"] == reverse("desk:story", args=[world.story.pk]) + "#title"
    assert Story.objects.get(pk=world.story.pk).title == "New"
    too_long = client.post(reverse("desk:story-title", args=[world.story.pk]), {"title": "x" * 301})
    assert too_long.status_code == 400 and "at most 300" in too_long.content.decode()


def test_cards_link_to_the_story_page(client: Any, world: World) -> None:
    html = _get(client, world, reverse("desk:queue"))
    assert f'href="{reverse("desk:story", args=[world.story.pk])}">all on this story' in html


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_story_page_and_list_cost_a_fixed_number_of_queries(client: Any, world: World) -> None:
    client.force_login(world.moderator)
    page = reverse("desk:story", args=[world.story.pk])
    listing = reverse("desk:stories")
    before = _queries(client, page), _queries(client, listing)
    for i in range(8):
        post_comment(world.story, f"Another thought on the convoy, number {i}.", name=f"R{i}")
        post_comment(StoryFactory(site=world.site), "A first comment here.", name=f"S{i}")
    assert (_queries(client, page), _queries(client, listing)) == before
