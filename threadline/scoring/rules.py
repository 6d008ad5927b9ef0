"""Cheap inline rules. Each scorer looks at one thing, returns a Score with a verdict and
human-readable reasons, makes at most two small database queries, and decides nothing:
``threadline.actions.moderation.decide`` turns verdicts into publish / hold / reject.

Tunables that are not per-site policy are class attributes, overridable through
``settings.THREADLINE`` (read at call time): ``DUPLICATE_HOURS``, ``VELOCITY_PER_MINUTE``.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.utils import timezone

from threadline.db.recent import latest_statuses, recent_bodies, recent_counts
from threadline.models import CommentStatus, Site
from threadline.scoring.base import Score, ScoringContext, Verdict
from threadline.scoring.links import (
    domain_set,
    find_links,
    link_domains,
    matching_domain,
    trusted_set,
)
from threadline.scoring.normalize import find_term_places, normalize
from threadline.scoring.shingles import Fingerprint, fingerprint, jaccard, shingles, similarities
from threadline.scoring.threats import hit_context


def _text(ctx: ScoringContext) -> str:
    # ``ctx.text`` comes from an HTML sanitiser, so quotes may arrive as entities.
    return html.unescape(ctx.text or ctx.body)


def _now(ctx: ScoringContext) -> datetime:
    return ctx.now or timezone.now()


def _setting(name: str, default: int) -> int:
    return int(settings.THREADLINE.get(name, default))


def _pass(name: str) -> Score:
    return Score(scorer=name, value=0.0)


@lru_cache(maxsize=256)
def _word_lines(text: str) -> tuple[str, ...]:
    # A site's lists change rarely and are read for every comment: parse each version once.
    return tuple(Site.word_lines(text))


class _WordListScorer:
    name = ""
    field = ""
    verdict = Verdict.HOLD
    label = ""
    # Whether a term only quoted or reported ("saying 'vermin' is vile", "the slur") is left
    # to the semantic model rather than acted on.
    reads_context = False

    def score(self, ctx: ScoringContext) -> Score:
        terms = _word_lines(getattr(ctx.site, self.field))
        if not terms:
            return _pass(self.name)
        text = _text(ctx)
        plain: dict[str, bool] = {}
        for term, place in find_term_places(text, terms):
            meant = (
                not self.reads_context
                or place is None
                or hit_context(text, place, negation=False) is None
            )
            plain[term] = plain.get(term, False) or meant
        if not plain:
            return _pass(self.name)
        reasons = [f"{self.label}: '{h}'" for h, p in plain.items() if p]
        reasons += [
            f"{self.label} (quoted or reported, left to the model): '{h}'"
            for h, p in plain.items()
            if not p
        ]
        held = any(plain.values())
        return Score(
            scorer=self.name,
            value=1.0 if held else 0.5,
            verdict=self.verdict if held else Verdict.PASS,
            reasons=tuple(reasons),
            explanation=tuple(plain),
        )


class BannedWordsScorer(_WordListScorer):
    """REJECT when the text contains a word or phrase of ``site.banned_words`` (whole words,
    after folding case, look-alike letters, leetspeak, separators and letter runs)."""

    name = "banned_words"
    field = "banned_words"
    verdict = Verdict.REJECT
    label = "Banned word"


class SuspectWordsScorer(_WordListScorer):
    """HOLD when the text contains a term of ``site.suspect_words``: code words and tropes a
    moderator should read in context rather than reject unseen."""

    name = "suspect_words"
    field = "suspect_words"
    verdict = Verdict.HOLD
    label = "Suspect phrase"
    reads_context = True


def _own_words(body: str, links: list[str]) -> int:
    """Words of ``body`` outside its links."""
    for link in links:
        body = body.replace(link, " ")
    return len(body.split())


# A sentence of the reader's own around one unknown source makes it a citation.
CITATION_WORDS = 10


class LinksScorer:
    """HOLD a comment with more than ``site.max_links`` links or a link to a domain (or any
    subdomain) in ``site.denied_domains``; with ``site.hold_first_link``, also a link from a
    commenter with no published comment yet to a domain that is not trusted: not in
    ``site.trusted_domains``, not in the built-in list of news and reference sites (when
    ``site.use_default_trusted_domains``), not one of the site's own origins — unless it is
    one such domain cited in at least ``CITATION_WORDS`` words of the reader's own (a
    citation, not a link drop; commercial spam is ``SpamScorer``'s). No queries (uses the
    commenter's counters)."""

    name = "links"

    def score(self, ctx: ScoringContext) -> Score:
        links = find_links(ctx.body)
        if not links:
            return _pass(self.name)
        site = ctx.site
        domains = tuple(dict.fromkeys(link_domains(ctx.body)))
        reasons: list[str] = []
        if len(links) > site.max_links:
            reasons.append(f"Too many links ({len(links)} > {site.max_links})")
        denied = domain_set(site.denied_domains)
        allowed = [d for d in domains if not matching_domain(d, denied)]
        reasons += [f"Denied domain: '{d}'" for d in domains if d not in allowed]
        new = ctx.commenter is None or ctx.commenter.comments_published == 0
        if site.hold_first_link and new:
            trusted = trusted_set(
                site.trusted_domains,
                site.use_default_trusted_domains,
                tuple(site.allowed_origins or ()),
            )
            untrusted = [d for d in allowed if d and not matching_domain(d, trusted)]
            # One source cited in a comment of the reader's own words is a citation, not a
            # link drop: it publishes; a bare link, or several unknown domains, is held.
            cited = len(untrusted) == 1 and _own_words(ctx.body, links) >= CITATION_WORDS
            if untrusted and not cited:
                reasons += [
                    f"Link to an untrusted domain in a first comment: '{d}'" for d in untrusted
                ]
        return Score(
            scorer=self.name,
            value=1.0 if reasons else 0.0,
            verdict=Verdict.HOLD if reasons else Verdict.PASS,
            reasons=tuple(reasons),
            explanation=domains,
        )


class ShoutingScorer:
    """HOLD text written mostly in capitals. Needs ``min_letters`` letters (outside links)
    so "OK", "NATO" or a short all-caps headline quote do not count."""

    name = "shouting"
    min_letters = 20
    ratio = 0.7

    def score(self, ctx: ScoringContext) -> Score:
        text = _text(ctx)
        for link in find_links(text):
            text = text.replace(link, " ")
        letters = list(filter(str.isalpha, text))
        if len(letters) < self.min_letters:
            return _pass(self.name)
        upper = sum(map(str.isupper, letters)) / len(letters)
        if upper < self.ratio:
            return Score(scorer=self.name, value=upper)
        return Score(
            scorer=self.name,
            value=upper,
            verdict=Verdict.HOLD,
            reasons=(f"Shouting ({upper:.0%} capitals)",),
        )


@lru_cache(maxsize=4096)
def _fingerprint(body: str) -> Fingerprint:
    # Recent comments are compared with every new one: normalise each body once per process.
    return fingerprint(normalize(html.unescape(body)))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the character 5-gram sets of two normalised texts."""
    return jaccard(shingles(a), shingles(b))


class DuplicateScorer:
    """HOLD when the same or nearly the same text (normalised, Jaccard >= ``threshold`` on
    character 5-grams) was posted on the site by anyone in the last ``DUPLICATE_HOURS``.
    Looks at the ``recent`` latest comments of the site plus those by the same commenter and
    the same IP (one query, three index-driven branches). Texts shorter than ``min_length``
    ("thanks", "+1") are exempt."""

    name = "duplicate"
    min_length = 30
    threshold = 0.8
    recent = 50

    def _candidates(self, ctx: ScoringContext, since: datetime) -> list[str]:
        return recent_bodies(
            site_id=ctx.site.pk,
            since=since,
            limit=self.recent,
            commenter_id=ctx.commenter.pk if ctx.commenter is not None else None,
            ip=ctx.ip,
            exclude_id=ctx.comment_id,
        )

    def score(self, ctx: ScoringContext) -> Score:
        # The Markdown source, normalised, as the recent comments' sources are: like is
        # compared with like, and this post's fingerprint is the one the next posts will
        # look up for it.
        mine = _fingerprint(ctx.body)
        text = mine.text
        if len(text) < self.min_length:
            return _pass(self.name)
        since = _now(ctx) - timedelta(hours=_setting("DUPLICATE_HOURS", 24))
        # Jaccard >= 0.8 needs lengths within ~20 %: skip the rest without normalising.
        near = [
            _fingerprint(body)
            for body in dict.fromkeys(self._candidates(ctx, since))
            if 0.6 * len(text) <= len(body) <= 1.6 * len(text) + 20
        ]
        best = 0.0
        for value in similarities(mine, near):
            best = max(best, value)
            if best >= self.threshold:
                return Score(
                    scorer=self.name,
                    value=best,
                    verdict=Verdict.HOLD,
                    reasons=("Duplicate of a recent comment",),
                )
        return Score(scorer=self.name, value=best)


class VelocityScorer:
    """REJECT when the hidden honeypot field was filled (a bot); HOLD when the commenter or
    the IP posted more than ``VELOCITY_PER_MINUTE`` comments on the site in the last minute
    (one query; none for edits)."""

    name = "velocity"

    def score(self, ctx: ScoringContext) -> Score:
        if ctx.honeypot.strip():
            return Score(
                scorer=self.name,
                value=1.0,
                verdict=Verdict.REJECT,
                reasons=("Honeypot field filled",),
            )
        if ctx.is_edit:
            return _pass(self.name)
        # Many readers can share one address (offices, mobile carriers), so the address
        # gets a higher limit than the commenter.
        limit = _setting("VELOCITY_PER_MINUTE", 5)
        ip_limit = _setting("VELOCITY_IP_PER_MINUTE", 30)
        since = _now(ctx) - timedelta(minutes=1)
        mine, same_ip = recent_counts(
            site_id=ctx.site.pk,
            since=since,
            commenter_id=ctx.commenter.pk if ctx.commenter else None,
            ip=ctx.ip,
            # The rule only asks whether a limit is reached; counting on would cost a row
            # per comment a flooding address posted in the minute.
            at_most=max(limit, ip_limit),
        )
        if mine < limit and same_ip < ip_limit:
            value = max(mine / max(limit, 1), same_ip / max(ip_limit, 1))
            return Score(scorer=self.name, value=value)
        count = mine if mine >= limit else same_ip
        shown = f"{count + 1}" if count < max(limit, ip_limit) else f"more than {count}"
        return Score(
            scorer=self.name,
            value=1.0,
            verdict=Verdict.HOLD,
            reasons=(f"Posting too fast ({shown} comments in a minute)",),
        )


class TrustScorer:
    """Trust from the commenter's history on this site.

    HOLD the first ``site.new_commenter_threshold`` comments (0 = off) with "New commenter";
    HOLD when more than ``site.max_rejection_rate`` of the commenter's last ``history``
    decided comments (at least 3) were rejected. ``skip_model=True`` for a trusted commenter:
    ``site.trusted_after`` published comments (0 = nobody) and no recent rejection. At most
    one query, and none for a commenter never rejected.
    """

    name = "trust"
    history = 20
    min_decided = 3

    def _recent(self, ctx: ScoringContext) -> tuple[int, int]:
        """(decided, rejected) among the commenter's latest comments."""
        commenter = ctx.commenter
        assert commenter is not None
        if commenter.comments_rejected == 0:
            return commenter.comments_published, 0
        statuses = latest_statuses(
            commenter_id=commenter.pk, limit=self.history, exclude_id=ctx.comment_id
        )
        decided = [s for s in statuses if s in (CommentStatus.PUBLISHED, CommentStatus.REJECTED)]
        return len(decided), decided.count(CommentStatus.REJECTED)

    def score(self, ctx: ScoringContext) -> Score:
        commenter, site = ctx.commenter, ctx.site
        if commenter is None:
            return _pass(self.name)
        earlier = commenter.comments_total - (1 if ctx.is_edit else 0)
        if site.new_commenter_threshold and earlier < site.new_commenter_threshold:
            return Score(
                scorer=self.name,
                value=1.0,
                verdict=Verdict.HOLD,
                reasons=("New commenter",),
                explanation=(f"{earlier} earlier comments",),
            )
        decided, rejected = self._recent(ctx)
        rate = rejected / decided if decided else 0.0
        if decided >= self.min_decided and rate > site.max_rejection_rate:
            return Score(
                scorer=self.name,
                value=rate,
                verdict=Verdict.HOLD,
                reasons=(f"High rejection rate ({rejected} of {decided} recent)",),
            )
        trusted = bool(site.trusted_after) and commenter.comments_published >= site.trusted_after
        if trusted and rejected == 0:
            return Score(
                scorer=self.name,
                value=0.0,
                skip_model=True,
                explanation=(f"{commenter.comments_published} published comments",),
            )
        return Score(scorer=self.name, value=rate)
