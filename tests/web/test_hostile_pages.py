"""Hostile strings on the server-rendered pages: XSS payloads from ../shared posted through
HTTP as comment bodies, guest names, story titles, reject notes, ban messages and commenter
notes, then every page that shows them read back (reader pages, feeds, the desk) and
parsed. No browser (``browser/test_hostile_text.py`` runs the widget in Chromium).

Each payload gets its own canary ``tl_canary_<n>``: its ``alert``/``prompt``/``confirm``
calls are swapped for it, and a script element, an ``onerror`` handler and two
``javascript:`` links calling it are appended. "Executable" is then judged on text known
to come from a payload, so the pages' own markup cannot hide or fake a finding."""

from __future__ import annotations

import random
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from lxml import etree

from tests.conftest import Api, shared_path
from tests.factories import SiteFactory, UserFactory
from threadline.actions.moderation_desk import comment_approve
from threadline.actions.sites import SETTINGS_FIELDS, site_add_moderator
from threadline.models import Comment, CommentStatus, Site, Story

pytestmark = pytest.mark.django_db

SAMPLE = 150
DIALOG_CALL = re.compile(r"(?:alert|prompt|confirm)\s*(?:\([^)]*\)|`[^`]*`)")
CANARY = re.compile(r"tl_canary_(\d+)")
# Attributes whose value a browser loads or runs as a URL.
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster"}
SCRIPT_URL = re.compile(r"^(?:javascript|vbscript):")
RAW_SCRIPT = re.compile(r"<script\b[^>]*>[^<]*tl_canary", re.I)  # the literal form, too
MORE = re.compile(r'class="more" href="\?sort=best&amp;cursor=([^"#]+)')
ATOM = "{http://www.w3.org/2005/Atom}"


def _payloads() -> list[str]:
    """A fixed sample of the shared payloads (the browser test runs all of them)."""
    lines: list[str] = []
    for path in sorted(shared_path("fixtures", "xss").glob("*.txt")):
        lines += [ln for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]
    return random.Random(13).sample(list(dict.fromkeys(lines)), SAMPLE)


def _armed(payload: str, n: int) -> str:
    call = f"tl_canary_{n}()"
    return (
        DIALOG_CALL.sub(call, payload)
        + f"\n<script>{call}</script> <img src=x onerror={call}>"
        + f' <a href="javascript:{call}">a</a> [b](javascript:{call})'
    )


def _short(payload: str, n: int) -> str:
    """A name or title under the 100-character limit that still carries a whole canary."""
    return f"{DIALOG_CALL.sub('', payload)[:50]} <img src=x onerror=tl_canary_{n}()>"


def _runs(name: str, value: str) -> bool:
    """Whether a browser would run this attribute's value as a payload's code."""
    if name.startswith("on") or name == "srcdoc":
        return "tl_canary" in value
    url = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
    if name not in URL_ATTRS:
        return False
    return bool(SCRIPT_URL.match(url)) or (url.startswith("data:") and "tl_canary" in url)


class _Audit(HTMLParser):
    """What a browser would run: an ``on*`` handler, ``srcdoc`` or ``data:`` URL naming a
    canary, a script element naming one, or any ``javascript:``/``vbscript:`` URL (the
    desk's own ``data:,`` favicon is fine)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.bad: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        self.bad += [f"<{tag} {k}={v!r}>" for k, v in attrs if _runs(k, v or "")]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_script = False

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "tl_canary" in data:
            self.bad.append(f"<script>{data[:80]!r}")


def _executable(html: str) -> list[str]:
    audit = _Audit()
    audit.feed(html)
    audit.close()
    return audit.bad + RAW_SCRIPT.findall(html)


class _Reader:
    """Reads pages, checks each, and counts pages and canaries per kind of page."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.pages: dict[str, int] = defaultdict(int)
        self.seen: dict[str, set[int]] = defaultdict(set)
        self.bad: list[tuple[str, str]] = []

    def html(self, kind: str, url: str, **params: Any) -> str:
        response = self.client.get(url, params)
        assert response.status_code == 200, (url, params, response.status_code)
        text = response.content.decode()
        self._note(kind, url, text, _executable(text))
        return text

    def post(self, kind: str, url: str, data: dict[str, Any]) -> None:
        """A page answered to a form (the desk's backtest)."""
        response = self.client.post(url, data)
        assert response.status_code == 200, (url, response.status_code)
        text = response.content.decode()
        self._note(kind, url, text, _executable(text))

    def feed(self, kind: str, url: str) -> None:
        """An Atom feed parses, and each ``type="html"`` construct is inert once a feed
        reader unescapes it (text constructs are shown as text)."""
        response = self.client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        root = etree.fromstring(response.content)
        bad: list[str] = []
        for node in root.iter(f"{ATOM}content", f"{ATOM}summary", f"{ATOM}title"):
            if node.get("type") == "html":
                bad += _executable(node.text or "")
        self._note(kind, url, response.content.decode(), bad)

    def paged(self, kind: str, url: str, **params: Any) -> None:
        """Every page of a desk list (``page=N`` until there is no next link)."""
        page = 1
        while f"page={page + 1}" in self.html(kind, url, page=page, **params):
            page += 1

    def thread(self, kind: str, url: str) -> None:
        """Every page of a story's thread, following its "More comments" cursor."""
        html = self.html(kind, url)
        while more := MORE.search(html):
            html = self.html(kind, url, cursor=unquote(unescape(more.group(1))))

    def _note(self, kind: str, url: str, text: str, bad: list[str]) -> None:
        self.pages[kind] += 1
        self.seen[kind] |= {int(n) for n in CANARY.findall(unescape(text))}
        self.bad += [(url, b) for b in bad]


def _settings_form(site: Site, **changes: Any) -> dict[str, Any]:
    """The site settings form as the desk posts it, with ``changes``."""
    data = {**model_to_dict(site, fields=SETTINGS_FIELDS), **changes}
    return {k: ("on" if v is True else v) for k, v in data.items() if v is not False}


def _quiet(settings: Any) -> None:
    """No scorers and no rate limits: every payload is published, none held or throttled."""
    settings.THREADLINE = {
        **settings.THREADLINE,
        "SCORERS": [],
        "RATE_LIMIT_POST_IP": "",
        "RATE_LIMIT_POST_AUTHOR": "",
        "RATE_LIMIT_STORY_IP": "",
        "RATE_LIMIT_STORY_SITE": "",
        "VELOCITY_PER_MINUTE": 10**6,
        "VELOCITY_IP_PER_MINUTE": 10**6,
    }


@dataclass
class _Posted:
    site: Site
    story: Story
    moderator: Any
    comments: dict[int, int]  # payload number -> comment id
    commenter_of: dict[int, int] = field(default_factory=dict)  # comment id -> commenter id


def _post_payloads(api: Api, payloads: list[str]) -> _Posted:
    """Payload 0 titles the story from a reader's lookup (the first caller names it); each
    payload is then one guest's comment (body and name), two in three of them replies."""
    site = SiteFactory(name="hostile")
    moderator = UserFactory(username="mod-hostile")
    site_add_moderator(site=site, user=moderator)
    title = _armed(payloads[0], 0).replace("\n", " ")[:200]
    looked = api.get("/stories/lookup", url=f"{site.allowed_origins[0]}/hostile", title=title)
    assert looked.status_code == 200, looked.content
    story = Story.objects.get(pk=looked.json()["id"])
    assert "tl_canary_0" in story.title, story.title
    posted = _Posted(site, story, moderator, {})
    refused, parent = [], None
    for n, payload in enumerate(payloads):
        api.guest = f"hostile-guest-{n}"  # one commenter, so one drawer, per payload
        data: dict[str, Any] = {"body": _armed(payload, n), "author_name": _short(payload, n)}
        if n % 3:
            data["parent_id"] = parent
        r = api.post(f"/stories/{story.pk}/comments", data)
        if r.status_code not in (201, 202):
            refused.append((n, r.content.decode()[:200]))
            continue
        posted.comments[n] = r.json()["id"]
        parent = posted.comments[n] if n % 3 == 0 else parent
    api.guest = ""
    assert len(posted.comments) >= SAMPLE - 5, refused
    for held in Comment.objects.filter(story=story).exclude(status=CommentStatus.PUBLISHED):
        comment_approve(comment=held, actor=moderator)
    posted.commenter_of = dict(Comment.objects.values_list("pk", "commenter_id"))
    return posted


def _moderate(client: Client, api: Api, posted: _Posted, payloads: list[str]) -> int:
    """Moderator text through the desk's forms: payload 1 as a desk title (of a second
    story, whose id is returned), reject notes on 12 comments (approved again), ban
    messages and notes on 8 commenters (unbanned), payload 2 as the site's guidelines."""
    site, ok = posted.site, (200, 302)
    client.force_login(posted.moderator)
    other = api.get("/stories/lookup", url=f"{site.allowed_origins[0]}/desk-titled").json()["id"]
    r = client.post(f"/moderate/stories/{other}/title/", {"title": _short(payloads[1], 1)})
    assert r.status_code == 302, r.content
    mine = list(posted.comments.items())
    for n, comment_id in mine[:12]:
        note = {"reason": "other", "note": _armed(payloads[n], n)[:500]}
        assert client.post(f"/moderate/comments/{comment_id}/reject/", note).status_code in ok
        assert client.post(f"/moderate/comments/{comment_id}/approve/").status_code in ok
    for n, comment_id in mine[12:20]:
        drawer = f"/moderate/commenters/{posted.commenter_of[comment_id]}"
        ban = {"message": _armed(payloads[n], n)[:500]}
        assert client.post(f"{drawer}/ban/", ban).status_code in ok
        assert client.post(f"{drawer}/unban/").status_code in ok
        notes = {"notes": _armed(payloads[n], n)}
        assert client.post(f"{drawer}/update/", notes).status_code in ok
    form = _settings_form(site, guidelines_text=_armed(payloads[2], 2))
    assert client.post(f"/moderate/sites/{site.pk}/settings/", form).status_code == 302
    published = Comment.objects.filter(story=posted.story, status=CommentStatus.PUBLISHED)
    assert published.count() == len(posted.comments)
    return other


def _read_everything(client: Client, posted: _Posted, other: int) -> _Reader:
    read, story, site = _Reader(client), posted.story, posted.site
    ids = list(posted.comments.values())
    client.logout()
    read.thread("story page (reader)", f"/stories/{story.pk}/")
    read.html("story list", "/")
    client.force_login(posted.moderator)
    read.thread("story page (moderator)", f"/stories/{story.pk}/")
    for comment_id in ids[::5]:
        read.html("permalink", f"/comments/{comment_id}/")
    read.feed("story feed", f"/feeds/stories/{story.pk}.atom")
    read.feed("site feed", f"/feeds/sites/{site.name}.atom")
    read.paged("desk queue", "/moderate/", queue="all")
    read.paged("desk queue", "/moderate/", queue="approved")
    for comment_id in ids[:20]:
        read.html("desk card", f"/moderate/comments/{comment_id}/")
    for comment_id in ids[:40]:
        read.html("commenter drawer", f"/moderate/commenters/{posted.commenter_of[comment_id]}/")
    read.paged("audit log", "/moderate/audit/")
    read.html("guidelines", f"/guidelines/{site.name}/")
    read.html("site settings", f"/moderate/sites/{site.pk}/settings/")
    # A backtest that holds everything lists comments whose outcome would change.
    site.refresh_from_db()
    read.post(
        "backtest",
        f"/moderate/sites/{site.pk}/backtest/",
        _settings_form(site, premoderation="all"),
    )
    read.paged("desk stories", "/moderate/stories/")
    read.html("desk story", f"/moderate/stories/{story.pk}/")
    read.html("desk story", f"/moderate/stories/{other}/")
    return read


def test_no_payload_is_executable_on_any_server_rendered_page(
    client: Client, settings: Any
) -> None:
    started = time.monotonic()
    _quiet(settings)
    payloads, api = _payloads(), Api(client)
    posted = _post_payloads(api, payloads)
    other = _moderate(client, api, posted, payloads)
    read = _read_everything(client, posted, other)
    summary = (
        f"{len(posted.comments)} of {SAMPLE} payloads posted, {sum(read.pages.values())} "
        f"pages read in {time.monotonic() - started:.1f} s; pages (canaries seen) per kind: "
        + ", ".join(f"{k} {read.pages[k]} ({len(read.seen[k])})" for k in read.pages)
    )
    assert not read.bad, f"{summary}; executable: {read.bad[:10]}"
    # The payloads did reach the pages read: every comment on the thread and in the desk
    # queue, the moderators' texts in the audit log, each kind of page at least one.
    comments = set(posted.comments)
    assert read.seen["story page (reader)"] >= comments | {0}, summary
    assert read.seen["desk queue"] >= comments, summary
    assert read.seen["audit log"] >= set(list(posted.comments)[:20]), summary
    assert read.seen["desk stories"] >= {0, 1}, summary
    assert 2 in read.seen["guidelines"] and 2 in read.seen["site settings"], summary
    assert all(read.seen[kind] for kind in read.pages), summary
