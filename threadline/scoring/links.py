"""Finding links in comment text (Markdown links and bare URLs), and matching their
domains against domain lists (a listed domain also covers its subdomains)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import urlsplit

_URL = re.compile(r"(?i)\b((?:https?://|www\.)[^\s<>()\[\]]+)")

# Major news, reference and public-body sites whose links a first-time commenter may post
# without being held (``Site.use_default_trusted_domains``). On real news sites most civil
# comments held for "a link in a first comment" cited sites like these. Each entry covers
# its subdomains; "gov" covers every US government domain. No video, blog or
# user-content hosts: anyone can publish there.
DEFAULT_TRUSTED_DOMAINS = frozenset(
    {
        # Reference
        "wikipedia.org",
        "wikimedia.org",
        "wiktionary.org",
        "wikidata.org",
        "britannica.com",
        "archive.org",
        "ourworldindata.org",
        "statista.com",
        # Science and medicine
        "nature.com",
        "science.org",
        "sciencedirect.com",
        "springer.com",
        "thelancet.com",
        "nejm.org",
        "bmj.com",
        "arxiv.org",
        "doi.org",
        "jstor.org",
        "scientificamerican.com",
        "newscientist.com",
        "theconversation.com",
        # Wire services and international news
        "reuters.com",
        "apnews.com",
        "afp.com",
        "bbc.co.uk",
        "bbc.com",
        "aljazeera.com",
        "dw.com",
        "france24.com",
        "rfi.fr",
        "euronews.com",
        "rferl.org",
        "bloomberg.com",
        "ft.com",
        "economist.com",
        "politico.com",
        "politico.eu",
        # United States
        "nytimes.com",
        "washingtonpost.com",
        "wsj.com",
        "npr.org",
        "pbs.org",
        "cnn.com",
        "cbsnews.com",
        "nbcnews.com",
        "abcnews.go.com",
        "latimes.com",
        "usatoday.com",
        "theatlantic.com",
        "newyorker.com",
        "time.com",
        "axios.com",
        "propublica.org",
        # United Kingdom, Ireland, Commonwealth
        "theguardian.com",
        "independent.co.uk",
        "telegraph.co.uk",
        "thetimes.co.uk",
        "irishtimes.com",
        "cbc.ca",
        "theglobeandmail.com",
        "thestar.com",
        "nationalpost.com",
        "globalnews.ca",
        "ctvnews.ca",
        "macleans.ca",
        "bloombergview.com",
        "slate.com",
        "vox.com",
        "newsweek.com",
        "salon.com",
        "theage.com.au",
        "rte.ie",
        "nzherald.co.nz",
        "rnz.co.nz",
        "abc.net.au",
        "smh.com.au",
        "thehindu.com",
        "hindustantimes.com",
        # Europe
        "lemonde.fr",
        "lefigaro.fr",
        "spiegel.de",
        "zeit.de",
        "faz.net",
        "sueddeutsche.de",
        "elpais.com",
        "corriere.it",
        "nos.nl",
        # Ukraine, Russia (independent), Middle East, Asia
        "kyivindependent.com",
        "kyivpost.com",
        "ukrinform.net",
        "pravda.com.ua",
        "meduza.io",
        "timesofisrael.com",
        "haaretz.com",
        "jpost.com",
        "scmp.com",
        "japantimes.co.jp",
        # Fact-checkers and investigations
        "snopes.com",
        "factcheck.org",
        "politifact.com",
        "fullfact.org",
        "bellingcat.com",
        # Defence, foreign policy and conflict research (war news cites them daily)
        "understandingwar.org",
        "rand.org",
        "csis.org",
        "cfr.org",
        "chathamhouse.org",
        "rusi.org",
        "iiss.org",
        "sipri.org",
        "crisisgroup.org",
        "carnegieendowment.org",
        "brookings.edu",
        "foreignaffairs.com",
        "foreignpolicy.com",
        "warontherocks.com",
        "acleddata.com",
        "osce.org",
        # More newsrooms of the regions at war and their neighbours
        "themoscowtimes.com",
        "novayagazeta.eu",
        "suspilne.media",
        "nv.ua",
        "notesfrompoland.com",
        "lrt.lt",
        "yle.fi",
        "svt.se",
        "nrk.no",
        "dr.dk",
        "tagesschau.de",
        "ansa.it",
        "elmundo.es",
        "liberation.fr",
        "straitstimes.com",
        "nikkei.com",
        "ynetnews.com",
        "arabnews.com",
        "thenationalnews.com",
        # Public bodies and international organisations; "int" covers every treaty body
        # (*.int), "edu" and "ac.uk" universities, the rest governments' own domains.
        "int",
        "edu",
        "ac.uk",
        "mil",
        "gov.ua",
        "gov.pl",
        "gouv.fr",
        "bund.de",
        "gob.es",
        "gov.il",
        "gov.ie",
        "govt.nz",
        "un.org",
        "ohchr.org",
        "unocha.org",
        "reliefweb.int",
        "undp.org",
        "wfp.org",
        "unrwa.org",
        "unfpa.org",
        "iaea.org",
        "icj-cij.org",
        "opcw.org",
        "ilo.org",
        "ifrc.org",
        "redcross.org",
        "msf.org",
        "doctorswithoutborders.org",
        "savethechildren.org",
        "rsf.org",
        "cpj.org",
        "who.int",
        "nato.int",
        "unhcr.org",
        "icrc.org",
        "imf.org",
        "worldbank.org",
        "oecd.org",
        "europa.eu",
        "gov.uk",
        "parliament.uk",
        "gov",  # *.gov
        "nasa.gov",
        "nih.gov",
        "gov.au",
        "gc.ca",
        "fao.org",
        "unesco.org",
        "unicef.org",
        "amnesty.org",
        "hrw.org",
    }
)


def find_links(text: str) -> list[str]:
    return _URL.findall(text)


def count_links(text: str) -> int:
    return len(find_links(text))


def link_host(link: str) -> str:
    """The host a browser would open, lower case, without ``www.`` and a trailing dot."""
    # Browsers read a backslash as a slash in http(s) URLs, so "https://evil.biz\@wiki.org"
    # goes to evil.biz while urlsplit alone would answer wiki.org.
    link = link.replace("\\", "/")
    host = urlsplit(link if "://" in link else "http://" + link).hostname or ""
    return host.lower().strip(".").removeprefix("www.")


def link_domains(text: str) -> list[str]:
    return [link_host(link) for link in find_links(text)]


def _clean(entry: str) -> str:
    return entry.strip().lower().removeprefix("*.").strip(".").removeprefix("www.")


@lru_cache(maxsize=256)
def domain_set(text: str) -> frozenset[str]:
    """A site's domain list (one a line, ``#`` comments) as a set; parsed once per version."""
    lines = (line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return frozenset(filter(None, map(_clean, lines)))


@lru_cache(maxsize=256)
def trusted_set(text: str, use_default: bool, origins: tuple[str, ...] = ()) -> frozenset[str]:
    """The domains a site trusts: its own list, the seed list if it uses it, and the hosts
    of its origins (a site's readers link to its own stories)."""
    own = {link_host(origin) for origin in origins}
    seed = DEFAULT_TRUSTED_DOMAINS if use_default else frozenset()
    return domain_set(text) | seed | frozenset(filter(None, own))


def _suffixes(domain: str) -> Iterator[str]:
    # "en.wikipedia.org" -> "en.wikipedia.org", "wikipedia.org", "org"
    yield domain
    dot = domain.find(".")
    while dot != -1:
        yield domain[dot + 1 :]
        dot = domain.find(".", dot + 1)


def matching_domain(domain: str, domains: frozenset[str]) -> str | None:
    """The entry of ``domains`` that covers ``domain`` (itself or a parent), if any: one set
    lookup per label, however long the list."""
    return next((s for s in _suffixes(domain) if s in domains), None)
