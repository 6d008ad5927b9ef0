from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from tests.scoring.conftest import add_comment, make_ctx
from threadline.models import Commenter, Site, Story
from threadline.scoring.base import Verdict
from threadline.scoring.rules import (
    BannedWordsScorer,
    DuplicateScorer,
    LinksScorer,
    ShoutingScorer,
    SuspectWordsScorer,
    TrustScorer,
    VelocityScorer,
    similarity,
)
from threadline.scoring.wordlists import DEFAULT_SUSPECT_WORDS


@pytest.mark.parametrize(
    ("text", "verdict", "reasons"),
    [
        ("What a load of sh1t", Verdict.REJECT, ("Banned word: 'shit'",)),
        ("F.U.C.K this", Verdict.REJECT, ("Banned word: 'fuck'",)),
        ("Scunthorpe had a classic match", Verdict.PASS, ()),
        ("Nothing to see here", Verdict.PASS, ()),
    ],
)
def test_banned_words(text: str, verdict: Verdict, reasons: tuple[str, ...]) -> None:
    site = Site(banned_words="# profanity\nshit\nfuck\ncunt\n")
    score = BannedWordsScorer().score(make_ctx(site, text))
    assert (score.verdict, score.reasons) == (verdict, reasons)


@pytest.mark.parametrize(
    ("text", "verdict", "reasons"),
    [
        ("Z.O.G runs the banks", Verdict.HOLD, ("Suspect phrase: 'zog'",)),
        ("(((them))) again", Verdict.HOLD, ("Suspect phrase: '((('",)),
        (
            "the great replacement is coming",
            Verdict.HOLD,
            ("Suspect phrase: 'the great replacement'",),
        ),
        ("They are v3rmin", Verdict.HOLD, ("Suspect phrase: 'vermin'",)),
        ("Proud to say 14/88", Verdict.HOLD, ("Suspect phrase: '14 88'",)),
        ("1488 forever", Verdict.HOLD, ("Suspect phrase: '1488'",)),
        ("6 million wasn't enough", Verdict.HOLD, ("Suspect phrase: '6 million wasn't enough'",)),
        ("A great replacement for the old bridge", Verdict.PASS, ()),
        ("88 people died when the dam broke", Verdict.PASS, ()),
        ("Russian invaders shelled the port again", Verdict.PASS, ()),
        ("The zoning board met on Tuesday", Verdict.PASS, ()),
        ("I hope you enjoy the match", Verdict.PASS, ()),
    ],
)
def test_suspect_words(text: str, verdict: Verdict, reasons: tuple[str, ...]) -> None:
    score = SuspectWordsScorer().score(make_ctx(Site(suspect_words=DEFAULT_SUSPECT_WORDS), text))
    assert (score.verdict, score.reasons) == (verdict, reasons)


def test_empty_word_list_passes() -> None:
    assert (
        SuspectWordsScorer().score(make_ctx(Site(suspect_words=""), "zog")).verdict is Verdict.PASS
    )


def _site(**kw: Any) -> Site:
    return Site(**{"max_links": 2, "hold_first_link": False, **kw})


@pytest.mark.parametrize(
    ("body", "site_kw", "published", "reasons"),
    [
        ("No links at all", {}, 5, ()),
        ("See https://bbc.co.uk/news/1", {}, 5, ()),
        ("a http://a.org b http://b.org c http://c.org", {}, 5, ("Too many links (3 > 2)",)),
        (
            "[spam](https://shop.spam.example/x)",
            {"denied_domains": "spam.example"},
            5,
            ("Denied domain: 'shop.spam.example'",),
        ),
        (
            "www.spam.example/buy",
            {"denied_domains": "# shops\nspam.example"},
            5,
            ("Denied domain: 'spam.example'",),
        ),
        ("https://notspam.example", {"denied_domains": "spam.example"}, 5, ()),
        # A first comment citing a trusted news site passes; an unknown domain is held.
        ("Source: https://apnews.com/x", {"hold_first_link": True}, 0, ()),
        (
            "Source: https://news.example.biz/x",
            {"hold_first_link": True},
            0,
            ("Link to an untrusted domain in a first comment: 'news.example.biz'",),
        ),
        ("Source: https://news.example.biz/x", {"hold_first_link": True}, 3, ()),
    ],
)
def test_links(
    body: str, site_kw: dict[str, Any], published: int, reasons: tuple[str, ...]
) -> None:
    ctx = make_ctx(_site(**site_kw), body, commenter=Commenter(comments_published=published))
    score = LinksScorer().score(ctx)
    assert score.reasons == reasons
    assert score.verdict is (Verdict.HOLD if reasons else Verdict.PASS)


@pytest.mark.parametrize(
    ("text", "verdict"),
    [
        ("OK", Verdict.PASS),
        ("NATO and the EU met in Brussels today to talk about the USA.", Verdict.PASS),
        ("THIS IS AN OUTRAGE AND EVERYONE SHOULD KNOW IT", Verdict.HOLD),
        ("WHY WON'T ANYONE LISTEN TO ME!!! https://example.org/lowercase-path-here", Verdict.HOLD),
        ("SHORT SHOUT", Verdict.PASS),
        ("Normal sentence with a FEW capital WORDS in it, nothing more.", Verdict.PASS),
    ],
)
def test_shouting(text: str, verdict: Verdict) -> None:
    assert ShoutingScorer().score(make_ctx(Site(), text)).verdict is verdict


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("buy cheap watches at my shop today", "buy cheap watches at my shop today!", True),
        ("buy cheap watches at my shop today", "Buy CHEAP watches at my shop, today", True),
        ("the mayor should resign over this", "the council did well on housing", False),
    ],
)
def test_similarity(a: str, b: str, near: bool) -> None:
    from threadline.scoring.normalize import normalize

    assert (similarity(normalize(a), normalize(b)) >= DuplicateScorer.threshold) is near


SPAM = "Earn $5000 a week from home, visit my profile for details now"


@pytest.mark.parametrize(
    ("earlier", "text", "minutes_ago", "verdict"),
    [
        (SPAM, SPAM, 5, Verdict.HOLD),
        (SPAM, SPAM.upper() + "!!", 5, Verdict.HOLD),
        (SPAM, SPAM, 60 * 25, Verdict.PASS),  # outside the 24-hour window
        (SPAM, "The ceasefire will not hold, and the article explains why well.", 5, Verdict.PASS),
        ("thanks", "thanks", 5, Verdict.PASS),  # short texts are exempt
    ],
)
def test_duplicate(
    story: Story, earlier: str, text: str, minutes_ago: int, verdict: Verdict
) -> None:
    add_comment(story, earlier, minutes_ago=minutes_ago)
    score = DuplicateScorer().score(make_ctx(story.site, text, story=story))
    assert score.verdict is verdict


def test_duplicate_compares_markdown_sources_alike(story: Story) -> None:
    # Stored comments are compared by their Markdown source, so the new one is too: the
    # same link dropped again with other link text is the same source but another text.
    link = "(https://shop.example/deal?id=991&ref=a1)"
    first = f"Big savings on my site, see [here]{link} right now"
    again = f"Big savings on my site, see [this]{link} right now"
    add_comment(story, first, minutes_ago=5)
    ctx = make_ctx(
        story.site, "Big savings on my site, see this right now", body=again, story=story
    )
    assert DuplicateScorer().score(ctx).verdict is Verdict.HOLD


def test_duplicate_ignores_the_comment_being_edited(story: Story) -> None:
    own = add_comment(story, SPAM)
    ctx = make_ctx(story.site, SPAM, story=story, comment_id=own.pk, is_edit=True)
    assert DuplicateScorer().score(ctx).verdict is Verdict.PASS


def test_duplicate_queries_at_most_three_indexed(
    story: Story, commenter: Commenter, django_assert_max_num_queries: Any
) -> None:
    add_comment(story, "something else entirely, long enough to compare")
    with django_assert_max_num_queries(3):
        DuplicateScorer().score(
            make_ctx(story.site, SPAM, story=story, commenter=commenter, ip="10.0.0.1")
        )


@pytest.mark.parametrize(
    ("recent", "same_ip", "verdict"),
    [
        (0, False, Verdict.PASS),
        (4, False, Verdict.PASS),
        (5, False, Verdict.HOLD),
        (5, True, Verdict.PASS),  # a shared address gets the higher address limit
        (30, True, Verdict.HOLD),
    ],
)
def test_velocity(
    story: Story, commenter: Commenter, recent: int, same_ip: bool, verdict: Verdict
) -> None:
    for _ in range(recent):
        add_comment(
            story,
            "hi",
            commenter=None if same_ip else commenter,
            ip="10.0.0.9" if same_ip else None,
            minutes_ago=0.2,
        )
    add_comment(story, "old", commenter=commenter, minutes_ago=5)
    ctx = make_ctx(story.site, "hello", story=story, commenter=commenter, ip="10.0.0.9")
    with override_settings(THREADLINE={**settings.THREADLINE, "VELOCITY_PER_MINUTE": 5}):
        assert VelocityScorer().score(ctx).verdict is verdict


@pytest.mark.parametrize(
    ("mine", "from_ip", "reason"),
    [
        (5, 0, "Posting too fast (6 comments in a minute)"),
        (7, 0, "Posting too fast (8 comments in a minute)"),
        (0, 31, "Posting too fast (more than 30 comments in a minute)"),
        (0, 45, "Posting too fast (more than 30 comments in a minute)"),
    ],
)
def test_velocity_names_the_count_up_to_the_larger_limit(
    story: Story, commenter: Commenter, mine: int, from_ip: int, reason: str
) -> None:
    # The count stops at the larger of the two limits: a flood from one address costs a
    # bounded query, and the moderator still reads that the limit was passed.
    for _ in range(mine):
        add_comment(story, "hi", commenter=commenter, minutes_ago=0.2)
    for _ in range(from_ip):
        add_comment(story, "hi", commenter=None, ip="10.0.0.9", minutes_ago=0.2)
    ctx = make_ctx(story.site, "hello", story=story, commenter=commenter, ip="10.0.0.9")
    limits = {"VELOCITY_PER_MINUTE": 5, "VELOCITY_IP_PER_MINUTE": 30}
    with override_settings(THREADLINE={**settings.THREADLINE, **limits}):
        score = VelocityScorer().score(ctx)
    assert (score.verdict, score.reasons) == (Verdict.HOLD, (reason,))


def test_honeypot_rejects_without_touching_the_database() -> None:
    # No db fixture: any query would raise.
    score = VelocityScorer().score(make_ctx(Site(), "hello", honeypot="http://spam.example"))
    assert (score.verdict, score.reasons) == (Verdict.REJECT, ("Honeypot field filled",))


@pytest.mark.parametrize(
    ("site_kw", "counters", "history", "verdict", "reasons", "skip"),
    [
        ({"new_commenter_threshold": 0}, {}, [], Verdict.PASS, (), False),
        (
            {"new_commenter_threshold": 2},
            {"comments_total": 1},
            [],
            Verdict.HOLD,
            ("New commenter",),
            False,
        ),
        ({"new_commenter_threshold": 2}, {"comments_total": 2}, [], Verdict.PASS, (), False),
        (
            {"trusted_after": 3},
            {"comments_total": 3, "comments_published": 3},
            [],
            Verdict.PASS,
            (),
            True,
        ),
        (
            {"trusted_after": 0},
            {"comments_total": 50, "comments_published": 50},
            [],
            Verdict.PASS,
            (),
            False,
        ),
        (
            {"trusted_after": 3},
            {"comments_total": 5, "comments_published": 4, "comments_rejected": 1},
            ["published"] * 4 + ["rejected"],
            Verdict.PASS,
            (),
            False,
        ),
        (
            {"max_rejection_rate": 0.5},
            {"comments_total": 3, "comments_published": 1, "comments_rejected": 2},
            ["published", "rejected", "rejected"],
            Verdict.HOLD,
            ("High rejection rate (2 of 3 recent)",),
            False,
        ),
        (
            {"max_rejection_rate": 0.5},
            {"comments_total": 2, "comments_rejected": 2},
            ["rejected", "rejected", "pending"],
            Verdict.PASS,
            (),
            False,
        ),  # fewer than 3 decided
    ],
)
def test_trust(
    story: Story,
    commenter: Commenter,
    site_kw: dict[str, Any],
    counters: dict[str, int],
    history: list[str],
    verdict: Verdict,
    reasons: tuple[str, ...],
    skip: bool,
    django_assert_max_num_queries: Any,
) -> None:
    Site.objects.filter(pk=story.site.pk).update(**site_kw)
    Commenter.objects.filter(pk=commenter.pk).update(**counters)
    for status in history:
        add_comment(story, "x", commenter=commenter, status=status)
    site, commenter = Site.objects.get(pk=story.site.pk), Commenter.objects.get(pk=commenter.pk)
    with django_assert_max_num_queries(1):
        score = TrustScorer().score(make_ctx(site, "hello", story=story, commenter=commenter))
    assert (score.verdict, score.reasons, score.skip_model) == (verdict, reasons, skip)


@pytest.mark.parametrize(
    "scorer",
    [
        BannedWordsScorer(),
        SuspectWordsScorer(),
        LinksScorer(),
        ShoutingScorer(),
        DuplicateScorer(),
        VelocityScorer(),
        TrustScorer(),
    ],
)
def test_every_scorer_has_a_name_and_a_contract(scorer: Any) -> None:
    assert scorer.name and scorer.__doc__ and not getattr(scorer, "is_model", False)
