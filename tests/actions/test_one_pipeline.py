"""One moderation pipeline: posting, background re-scoring and the desk's backtest decide a
comment the same way when given the same scorers — the backtest shows what posting does.

A few hundred comments across civil, profane, linked, shouted, threatening, duplicated and
"model-toxic" text, on sites with different policies, by new and trusted commenters. Each
author posts once, so the commenter's history a replay sees is the one posting saw."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.conf import settings as django_settings

from tests.factories import SiteFactory, StoryFactory, post_comment
from threadline.actions.commenters import commenter_for
from threadline.actions.moderation_desk import (
    REPLAY_SKIP,
    _replay,
    backtest_scorers,
    comment_rescore_decision,
)
from threadline.domain.identity import Actor
from threadline.models import Commenter, Site
from threadline.scoring.base import Score, ScoringContext
from threadline.scoring.policy import MODEL_SCORERS

pytestmark = pytest.mark.django_db


class FakeSemantic:
    """A deterministic stand-in for the "semantic" transformer: a probability of toxicity."""

    name = "semantic"
    is_model = True

    def score(self, ctx: ScoringContext) -> Score:
        text = ctx.text.lower()
        for word, value in (("idiot", 0.99), ("moron", 0.8), ("silly", 0.6)):
            if word in text:
                return Score(scorer=self.name, value=value, explanation=(word,), version="sem@1")
        return Score(scorer=self.name, value=0.05, version="sem@1")


# The shipped inline chain without the posting-moment checks the backtest cannot replay,
# and with the fake model in place of the shipped one (outcomes independent of weights).
INLINE = [
    "threadline.scoring.rules.BannedWordsScorer",
    "threadline.scoring.rules.SuspectWordsScorer",
    "threadline.scoring.profanity.ProfanityScorer",
    "threadline.scoring.threats.ThreatScorer",
    "threadline.scoring.threats.InsultScorer",
    "threadline.scoring.threats.GroupHateScorer",
    "threadline.scoring.rules.LinksScorer",
    "threadline.scoring.rules.ShoutingScorer",
    "threadline.scoring.rules.TrustScorer",
    f"{__name__}.FakeSemantic",
]

CIVIL = [
    "A thoughtful piece, thank you for the reporting.",
    "I disagree with the council's decision, but the article explains it well.",
    "Does anyone know when the consultation closes?",
    "My grandmother lived on that street for forty years.",
    "The numbers in the third paragraph don't add up to me.",
]
PROFANE = ["This is utter shit and you know it.", "What the fuck is the council doing?"]
LINKS = [
    "Source here: https://example.org/report.pdf",
    "See https://a.example/1 and https://b.example/2 and https://c.example/3 for more.",
    "Cheap pills at http://pills.example.biz/buy now http://pills.example.biz/more",
]
SHOUTING = ["THIS IS AN OUTRAGE AND EVERYONE RESPONSIBLE SHOULD RESIGN TODAY"]
THREATS = ["I will find you and kill you.", "People like them should all be deported."]
MODEL = ["What a silly argument.", "Only a moron would write this.", "You absolute idiot."]
POOLS = [CIVIL, CIVIL, PROFANE, LINKS, SHOUTING, THREATS, MODEL]


def _texts(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for i in range(n):
        if texts and i % 9 == 0:
            texts.append(rng.choice(texts))  # a duplicate of an earlier comment
        else:
            text = rng.choice(rng.choice(POOLS))
            # Mixes, so that several scorers speak on one comment.
            texts.append(text + " " + rng.choice(rng.choice(POOLS)) if i % 5 == 0 else text)
    return texts


def _sites() -> list[Site]:
    # Nudge off: the "think twice" prompt is a posting-time conversation with the writer.
    return [
        SiteFactory(nudge_enabled=False),
        SiteFactory(nudge_enabled=False, hold_threshold=0.5, banned_words="pills\nresign"),
        SiteFactory(nudge_enabled=False, max_links=1, reject_threshold=0.9, trusted_after=3),
    ]


def _trusted(site: Site, name: str) -> None:
    """A commenter with a long clean history: the model scorers are skipped for them."""
    actor = Actor(guest_key=f"guest-{name}", ip="127.0.0.1")
    commenter = commenter_for(site=site, actor=actor, name=name, email="")
    Commenter.objects.filter(pk=commenter.pk).update(comments_total=40, comments_published=40)


@pytest.fixture
def inline_scorers(settings: Any) -> None:
    settings.THREADLINE = {**django_settings.THREADLINE, "SCORERS": INLINE}


def test_posting_rescoring_and_backtest_decide_alike(inline_scorers: None) -> None:
    sites = _sites()
    stories = [StoryFactory(site=site) for site in sites]
    posted = []
    for i, text in enumerate(_texts(300)):
        story = stories[i % len(stories)]
        name = f"author{i}"
        if i % 4 == 0:
            _trusted(story.site, name)
        result = post_comment(story, text, name=name)
        posted.append((result.comment, str(result.decision.action), result.decision.reasons))

    scorers = backtest_scorers()
    assert not {s.name for s in scorers} & REPLAY_SKIP and len(scorers) == len(INLINE)
    outcomes, model_skipped = set(), 0
    for comment, action, reasons in posted:
        comment.refresh_from_db()
        rescored = comment_rescore_decision(comment=comment, scorers=scorers)
        replayed = _replay(comment.site, comment, scorers)
        assert (str(rescored.action), rescored.reasons) == (action, reasons), comment.body
        assert replayed == (action, reasons), comment.body
        outcomes.add(action)
        model_skipped += all(s.scorer != "semantic" for s in rescored.scores)
    # The cases are varied enough to reach every outcome, and trusted commenters skip the model.
    assert outcomes == {"publish", "hold", "reject"}
    assert 0 < model_skipped < len(posted)


def test_model_scorers_include_the_semantic_transformer() -> None:
    assert {"toxicity", "minilm", "perspective", "semantic"} <= MODEL_SCORERS
