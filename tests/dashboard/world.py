"""A small world for desk and moderator-API tests: two sites, their moderators, a reader,
and comments in every queue. Scoring uses a fake toxicity scorer so that outcomes do not
depend on the shipped model's weights."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings

from tests.factories import SiteFactory, StoryFactory, UserFactory, post_comment
from threadline.actions.moderation_desk import comment_reject
from threadline.actions.sites import site_add_moderator
from threadline.actions.votes import flag_create
from threadline.domain.identity import Actor
from threadline.models import Comment, Site, Story
from threadline.scoring.base import Score, ScoringContext

RULES = [
    "threadline.scoring.rules.BannedWordsScorer",
    "threadline.scoring.rules.SuspectWordsScorer",
    "threadline.scoring.rules.LinksScorer",
    "threadline.scoring.rules.TrustScorer",
]


class FakeToxicity:
    """Scores 0.95 for "idiot", 0.75 for "silly", 0.05 otherwise; explains with the word."""

    name = "toxicity"
    is_model = True

    def score(self, ctx: ScoringContext) -> Score:
        text = ctx.text.lower()
        for word, value in (("idiot", 0.95), ("silly", 0.75)):
            if word in text:
                return Score(scorer=self.name, value=value, explanation=(word,), version="fake-1")
        return Score(scorer=self.name, value=0.05, version="fake-1")


def use_fake_scorers(settings: Any) -> None:
    """Score with the rule scorers and FakeToxicity (``settings`` is pytest-django's fixture)."""
    settings.THREADLINE = {
        **settings.THREADLINE,
        "SCORERS": [*RULES, "tests.dashboard.world.FakeToxicity"],
    }


@pytest.fixture
def fake_scorers(settings: Any) -> None:
    use_fake_scorers(settings)


@dataclass
class World:
    site: Site
    other_site: Site
    story: Story
    other_story: Story
    moderator: Any
    other_moderator: Any
    reader: Any
    pending: Comment  # held by the model: "Toxic 0.95"
    published: Comment
    reported: Comment  # published, with an open flag
    rejected: Comment
    other_pending: Comment  # on the other site


def build_world() -> World:
    site, other_site = SiteFactory(name="alpha"), SiteFactory(name="beta")
    story = StoryFactory(site=site, title="Fighting near the river")
    other_story = StoryFactory(site=other_site, title="Elsewhere")
    moderator, other_moderator = UserFactory(username="mod-a"), UserFactory(username="mod-b")
    reader = UserFactory(username="plain-reader")
    site_add_moderator(site=site, user=moderator)
    site_add_moderator(site=other_site, user=other_moderator)
    published = post_comment(
        story,
        "The ceasefire will not hold without monitors.",
        name="Amira",
        author_email="amira@example.org",
    ).comment
    pending = post_comment(
        story,
        "You are an idiot and so is everyone who agrees.",
        name="Troll",
        author_email="troll@example.org",
        parent=published,
        confirm=True,
    ).comment
    reported = post_comment(
        story, "Aid convoys need guaranteed corridors to reach the city.", name="Jonas"
    ).comment
    flag_create(comment=reported, actor=Actor(guest_key="flagger", ip="10.0.0.9"), reason="spam")
    rejected = post_comment(
        story, "Buy cheap watches at my shop, best prices in town today.", name="Spammer"
    ).comment
    rejected = comment_reject(comment=rejected, actor=moderator, reason_code="spam")
    other_pending = post_comment(
        other_story, "Another idiot comment on the other site.", name="Far", confirm=True
    ).comment
    for c in (published, pending, reported):
        c.refresh_from_db()
    return World(
        site,
        other_site,
        story,
        other_story,
        moderator,
        other_moderator,
        reader,
        pending,
        published,
        reported,
        rejected,
        other_pending,
    )


@pytest.fixture
def world(db: Any, fake_scorers: None) -> World:
    assert "tests.dashboard.world.FakeToxicity" in settings.THREADLINE["SCORERS"]
    return build_world()
