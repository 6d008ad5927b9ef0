"""A first-time commenter's links: citations of trusted news and reference sites publish,
links to unknown domains are held; denied domains and too many links hold for everyone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import post_comment
from tests.scoring.conftest import make_ctx
from threadline.models import Commenter, Site, Story
from threadline.scoring.base import Verdict
from threadline.scoring.links import DEFAULT_TRUSTED_DOMAINS, link_host, matching_domain
from threadline.scoring.rules import LinksScorer

UNTRUSTED = "Link to an untrusted domain in a first comment"


def _site(**kw: Any) -> Site:
    return Site(**{"max_links": 3, "hold_first_link": True, **kw})


def _reasons(body: str, *, published: int = 0, **site_kw: Any) -> tuple[str, ...]:
    ctx = make_ctx(_site(**site_kw), body, commenter=Commenter(comments_published=published))
    score = LinksScorer().score(ctx)
    assert score.verdict is (Verdict.HOLD if score.reasons else Verdict.PASS)
    return score.reasons


@pytest.mark.parametrize(
    ("body", "site_kw", "reasons"),
    [
        ("See https://en.wikipedia.org/wiki/Odesa and www.reuters.com/world/", {}, ()),
        ("[UN](https://www.un.org/en/x) and https://data.who.int/a", {}, ()),
        ("https://www.nasa.gov/news and https://www.cdc.gov/flu", {}, ()),
        # War news cites ministries, treaty bodies, universities and conflict research.
        ("The statement: https://mfa.gov.ua/en/news/x", {}, ()),
        ("UN figures: https://www.ohchr.org/en/news and https://www.msf.org/ukraine", {}, ()),
        ("https://www.osce.org/smm and https://www.coe.int/en/web/portal", {}, ()),
        ("Map: https://www.understandingwar.org/backgrounder/x", {}, ()),
        ("https://history.stanford.edu/a and https://www.kcl.ac.uk/b", {}, ()),
        # ... but a suffix is a whole label: these are not treaty bodies or universities.
        ("https://evil.int.example.com/x", {}, (f"{UNTRUSTED}: 'evil.int.example.com'",)),
        ("https://edu-discounts.shop/deal", {}, (f"{UNTRUSTED}: 'edu-discounts.shop'",)),
        # User-content hosts stay untrusted: anyone can publish there.
        ("https://t.me/s/channel", {}, (f"{UNTRUSTED}: 't.me'",)),
        ("Cheap pills: https://pills.example.biz/buy", {}, (f"{UNTRUSTED}: 'pills.example.biz'",)),
        (
            "https://en.wikipedia.org/wiki/X then http://cheap.biz",
            {},
            (f"{UNTRUSTED}: 'cheap.biz'",),
        ),
        # Look-alikes of trusted domains are not trusted.
        ("https://wikipedia.org.evil.biz/x", {}, (f"{UNTRUSTED}: 'wikipedia.org.evil.biz'",)),
        ("https://notreuters.com/x", {}, (f"{UNTRUSTED}: 'notreuters.com'",)),
        ("https://evil.biz\\@en.wikipedia.org/x", {}, (f"{UNTRUSTED}: 'evil.biz'",)),
        # A site's own list adds to the seed list, subdomains included.
        ("https://www.localpaper.example/story", {"trusted_domains": "localpaper.example"}, ()),
        (
            "https://news.localpaper.example/a",
            {"trusted_domains": "# ours\nlocalpaper.example"},
            (),
        ),
        (
            "https://www.reuters.com/world/",
            {"use_default_trusted_domains": False},
            (f"{UNTRUSTED}: 'reuters.com'",),
        ),
        (
            "https://www.reuters.com/world/",
            {"use_default_trusted_domains": False, "trusted_domains": "reuters.com"},
            (),
        ),
        # The site's own stories.
        (
            "Earlier: https://www.kyiv-daily.example/news/1",
            {"allowed_origins": ["https://kyiv-daily.example"]},
            (),
        ),
        # Denied wins over trusted, for everyone; only one reason per domain.
        (
            "https://spam.reuters.com/x",
            {"denied_domains": "spam.reuters.com", "trusted_domains": "spam.reuters.com"},
            ("Denied domain: 'spam.reuters.com'",),
        ),
        (
            "https://shop.spam.example",
            {"denied_domains": "spam.example"},
            ("Denied domain: 'shop.spam.example'",),
        ),
        (
            "https://a.bbc.com https://b.bbc.com https://c.bbc.com https://d.bbc.com",
            {},
            ("Too many links (4 > 3)",),
        ),
        # hold_first_link off: unknown domains pass.
        ("https://pills.example.biz/buy", {"hold_first_link": False}, ()),
    ],
)
def test_first_comment_links(body: str, site_kw: dict[str, Any], reasons: tuple[str, ...]) -> None:
    assert _reasons(body, **site_kw) == reasons


def test_a_returning_commenters_unknown_link_passes() -> None:
    assert _reasons("https://pills.example.biz/buy", published=1) == ()


def test_denied_holds_a_returning_commenter_too() -> None:
    reasons = _reasons("https://reuters.com/x", published=9, denied_domains="reuters.com")
    assert reasons == ("Denied domain: 'reuters.com'",)


def test_a_guest_without_a_commenter_row_counts_as_new() -> None:
    ctx = make_ctx(_site(), "https://pills.example.biz/buy", commenter=None)
    assert LinksScorer().score(ctx).reasons == (f"{UNTRUSTED}: 'pills.example.biz'",)


@pytest.mark.parametrize(
    ("domain", "match"),
    [
        ("en.wikipedia.org", "wikipedia.org"),
        ("wikipedia.org", "wikipedia.org"),
        ("www.epa.gov", "gov"),
        ("abcnews.go.com", "abcnews.go.com"),
        ("espn.go.com", None),
        ("org", None),
        ("", None),
    ],
)
def test_seed_list_matches_subdomains_only(domain: str, match: str | None) -> None:
    assert matching_domain(domain, DEFAULT_TRUSTED_DOMAINS) == match


def test_link_host_reads_the_host_a_browser_opens() -> None:
    assert link_host("https://WWW.Reuters.com./world") == "reuters.com"
    assert link_host("www.bbc.co.uk/news") == "bbc.co.uk"
    assert link_host("https://evil.biz\\@wikipedia.org/") == "evil.biz"


@pytest.mark.django_db
def test_first_comment_citing_wikipedia_and_reuters_publishes(story: Story) -> None:
    body = (
        "Background: https://en.wikipedia.org/wiki/Black_Sea_Fleet and the latest "
        "https://www.reuters.com/world/europe/"
    )
    result = post_comment(story, body, name="Newcomer")
    assert result.comment.status == "published", result.decision.reasons


@pytest.mark.django_db
def test_first_comment_linking_an_unknown_domain_is_held(story: Story) -> None:
    result = post_comment(story, "Great deals at https://bargains.example.biz/x", name="Newcomer")
    assert result.comment.status == "pending"
    assert f"{UNTRUSTED}: 'bargains.example.biz'" in result.decision.reasons


@pytest.mark.django_db
def test_site_added_trusted_domain_publishes(story: Story) -> None:
    story.site.trusted_domains = "regional-news.example\n"
    story.site.save(update_fields=["trusted_domains"])
    result = post_comment(story, "Covered here: https://www.regional-news.example/a", name="New")
    assert result.comment.status == "published", result.decision.reasons


@pytest.mark.django_db
def test_without_the_seed_list_reuters_is_held(story: Story) -> None:
    story.site.use_default_trusted_domains = False
    story.site.save(update_fields=["use_default_trusted_domains"])
    result = post_comment(story, "Source: https://www.reuters.com/world/", name="New")
    assert result.comment.status == "pending"
    assert f"{UNTRUSTED}: 'reuters.com'" in result.decision.reasons


@pytest.mark.django_db
def test_a_returning_commenters_unknown_link_publishes(story: Story) -> None:
    first = post_comment(story, "Thanks for the careful reporting on this.", name="Ann")
    assert first.comment.status == "published", first.decision.reasons
    result = post_comment(story, "My own notes: https://ann-notes.example.org/1", name="Ann")
    assert result.comment.status == "published", result.decision.reasons


CITING = (
    "The figures in the article differ from the ones the provincial health agency "
    "published last spring, see "
)


@pytest.mark.parametrize(
    ("body", "held"),
    [
        # One unknown source cited in the reader's own words: a citation, published.
        (CITING + "https://www.healthagency.example/report-2015", False),
        # Ten words of the reader's own are enough (rules.CITATION_WORDS); nine are not.
        (
            "Sea-Watch publishes its annual financial report online, anyone can check: "
            "https://sea-watch.example/report",
            False,
        ),
        (
            "Sea-Watch publishes its annual financial report, anyone can check: "
            "https://sea-watch.example/report",
            True,
        ),
        # A bare link, or a few words around it: a link drop, held.
        ("https://www.healthagency.example/report-2015", True),
        ("Read this: https://www.healthagency.example/report-2015", True),
        # Several unknown domains are held however much is written around them.
        (CITING + "https://a.example/x and https://b.example/y", True),
    ],
)
def test_a_citation_in_own_words_is_not_a_link_drop(body: str, held: bool) -> None:
    reasons = _reasons(body)
    assert bool(reasons) is held, reasons
    assert all(r.startswith(UNTRUSTED) for r in reasons)
