"""The spam scorer: friendly, on-topic comments that sell something are held, whatever
their length; civil comments about money, aid and messaging apps are not."""

from __future__ import annotations

import pytest

from tests.factories import post_comment
from tests.scoring.conftest import make_ctx
from threadline.models import Site, Story
from threadline.scoring.base import Verdict
from threadline.scoring.spam import SpamScorer

SPAM = [
    (
        "Tired of bad news?? I make $500 a day working from home with just my phone!!",
        "Spam (money promise): 'i make $500 a day'",
    ),
    (
        "Great article! If anyone needs extra cash, my aunt makes $7,000/month online.",
        "Spam (money promise): 'my aunt makes $7,000/month'",
    ),
    (
        "AI trading bot with 300% monthly returns, ask me",
        "Spam (money promise): '300% monthly returns'",
    ),
    (
        "Guaranteed work permit in 7 days, no interview!",
        "Spam (money promise): 'guaranteed work permit'",
    ),
    (
        "Need a visa? WhatsApp +44 7700 900123 today",
        "Spam (private contact): 'whatsapp +44 7700 900123'",
    ),
    (
        "Donate to the victims, message telegram @kharkiv_help_fund",
        "Spam (private contact): 'telegram @kharkiv_help_fund'",
    ),
    ("Real news here: t.me/truth_channel_now", "Spam (private contact): 't.me/truth_channel_now'"),
    (
        "Send USDT to the wallet in my profile for the families",
        "Spam (crypto wallet): 'usdt to the wallet'",
    ),
    ("Details at cashflow-daily.site, thank me later", "Spam (spam domain): 'cashflow-daily.site'"),
    (
        "FREE iPhone for the first 100: http://win-iphone-now.click/x",
        "Spam (spam domain): 'win-iphone-now.click'",
    ),
]

CIVIL = [
    "He made over $32 million in twelve seasons, and still complains.",
    "The war costs Russia $300 million a day, the institute estimates.",
    "Aid workers earn less than $20 a day in some of these camps, which is a scandal.",
    "My family in Kharkiv talks to me on WhatsApp every night.",
    "Telegram channels spread most of the rumours about the strike.",
    "The ministry publishes the figures at www.gov.uk/government/statistics.",
    "The site.com domain was sold for a fortune in the nineties.",
    "Passive voice hides who fired the missile: 'a strike occurred'.",
]


@pytest.mark.parametrize(("text", "reason"), SPAM)
def test_spam_is_held_with_what_gave_it_away(text: str, reason: str) -> None:
    score = SpamScorer().score(make_ctx(Site(), text))
    assert score.verdict is Verdict.HOLD
    assert reason in score.reasons


@pytest.mark.parametrize("text", CIVIL)
def test_civil_talk_of_money_aid_and_apps_passes(text: str) -> None:
    score = SpamScorer().score(make_ctx(Site(), text))
    assert score.verdict is Verdict.PASS, score.reasons


@pytest.mark.django_db
def test_long_friendly_spam_with_a_link_is_held_though_it_cites_in_own_words(story: Story) -> None:
    # Fifteen words of its own would make it a citation for the link rule; the spam rule
    # holds it anyway, and says why.
    body = (
        "Interesting article. If anyone needs extra income while following the news, my aunt "
        "makes $7,000/month online, details at https://cashflow-daily.site/join"
    )
    result = post_comment(story, body)
    assert result.comment.status == "pending"
    assert any(r.startswith("Spam (") for r in result.decision.reasons)
