"""Readers' profiles and avatars on the server-rendered pages: the profile shows the name,
avatar, badges and published comments of an account, a page at a time, for a fixed number
of queries; comments show the author's picture or initials (the same initials and colour
as the widget) and link to the profile."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.factories import StoryFactory, UserFactory, post_comment
from tests.publisher import sso_token
from threadline.actions.comments import comment_set_status
from threadline.actions.sso import site_sso_secret_rotate, sso_sign_in
from threadline.domain.avatars import avatar_for, colour, initials, picture_origins
from threadline.domain.identity import Actor
from threadline.models import CommentStatus, ModerationAction
from threadline.queries import PROFILE_PAGE_SIZE

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "threadline" / "static" / "threadline"
AVATAR = "https://cdn.publisher.example/u/17.png"


def _as(user: Any) -> Actor:
    return Actor(user=user, ip="127.0.0.1")


def _staff_member(site: Any) -> Any:
    site_sso_secret_rotate(site=site, actor=None)
    token = sso_token(site, sub="17", name="Jane Doe", role="staff", avatar=AVATAR)
    user, _ = sso_sign_in(site=site, token=token)
    return user


def test_the_profile_shows_name_avatar_badge_and_only_published_comments(client, story) -> None:  # noqa: ANN001
    jane = _staff_member(story.site)
    post_comment(story, "The road reopened this morning.", actor=_as(jane))
    held = post_comment(story, "A draft that waits for review.", actor=_as(jane)).comment
    comment_set_status(comment=held, status=CommentStatus.PENDING, action=ModerationAction.HOLD)
    removed = post_comment(story, "Something a moderator removed.", actor=_as(jane)).comment
    comment_set_status(
        comment=removed, status=CommentStatus.REJECTED, action=ModerationAction.REJECT
    )

    r = client.get(f"/readers/{jane.pk}/")
    assert r.status_code == 200
    page = r.content.decode()
    assert '<h1 id="profile-name">Jane Doe</h1>' in page
    assert f'<img src="{AVATAR}"' in page and ">JD<img" in page  # initials under the picture
    assert "badge-staff" in page and story.site.title in page
    assert "The road reopened this morning." in page and "1 published comment" in page
    assert "waits for review" not in page and "moderator removed" not in page
    # The picture's origin, and only it, may be loaded by this page.
    assert "img-src 'self' data: https://cdn.publisher.example" in r["Content-Security-Policy"]


def test_the_profile_pages_through_the_history(client, story) -> None:  # noqa: ANN001
    user = UserFactory(first_name="Prolific Reader")
    total = 2 * PROFILE_PAGE_SIZE + 5
    for n in range(total):
        post_comment(story, f"Remark number {n:03d}.", actor=_as(user))
    first = client.get(f"/readers/{user.pk}/").content.decode()
    assert first.count('class="history-item"') == PROFILE_PAGE_SIZE
    assert f"Remark number {total - 1:03d}." in first  # newest first
    assert "Page 1 of 3" in first and 'rel="next"' in first and 'rel="prev"' not in first
    last = client.get(f"/readers/{user.pk}/?page=3").content.decode()
    assert last.count('class="history-item"') == 5 and "Remark number 000." in last
    assert 'rel="prev"' in last and 'rel="next"' not in last
    for bad in ("4", "0", "-1", "abc", "1e3", "9" * 30):
        assert client.get(f"/readers/{user.pk}/?page={bad}").status_code == 404, bad


@pytest.mark.parametrize("comments", [1, 30])
def test_a_profile_costs_five_queries_whatever_the_history(
    client, story, comments: int, django_assert_num_queries
) -> None:  # noqa: ANN001
    user = UserFactory()
    story.site.moderators.add(user)
    for n in range(comments):
        post_comment(story, f"Note {n}.", actor=_as(user))
    # The account, the count, the page of comments with their stories, the account's
    # commenter records with their sites, the sites it moderates.
    with django_assert_num_queries(5):
        r = client.get(f"/readers/{user.pk}/")
    assert r.status_code == 200 and "badge-moderator" in r.content.decode()


def test_no_public_profile_without_a_published_comment_but_the_reader_sees_their_own(
    client,  # noqa: ANN001
    db,  # noqa: ANN001
) -> None:
    user = UserFactory(first_name="Quiet One")
    assert client.get(f"/readers/{user.pk}/").status_code == 404
    client.force_login(user)
    own = client.get(f"/readers/{user.pk}/").content.decode()
    assert "Quiet One" in own and "No published comments yet." in own
    assert "/accounts/settings/" in own


def test_unknown_and_disabled_accounts_have_no_profile(client, story) -> None:  # noqa: ANN001
    gone = UserFactory(is_active=False)
    post_comment(story, "Before I left.", actor=_as(gone))
    assert client.get(f"/readers/{gone.pk}/").status_code == 404
    assert client.get("/readers/999999/").status_code == 404
    assert client.get("/readers/99999999999999999999999/").status_code == 404


def test_a_comment_links_to_its_authors_profile_and_a_guests_does_not(client, story) -> None:  # noqa: ANN001
    user = UserFactory(first_name="Linked Reader")
    mine = post_comment(story, "Signed in.", actor=_as(user)).comment
    guest = post_comment(story, "As a guest.", name="Gus").comment
    r = client.get(f"/comments/{mine.pk}/author/")
    assert r.status_code == 302 and r["Location"] == f"/readers/{user.pk}/"
    assert client.get(f"/comments/{guest.pk}/author/").status_code == 404
    comment_set_status(comment=mine, status=CommentStatus.PENDING, action=ModerationAction.HOLD)
    assert client.get(f"/comments/{mine.pk}/author/").status_code == 404

    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert f'<a class="author" href="/comments/{mine.pk}/author/"' not in page  # held now
    assert '<strong class="author">Gus</strong>' in page


def test_the_comment_list_shows_initials_on_the_names_colour(client, story) -> None:  # noqa: ANN001
    reader = UserFactory(first_name="Amira Haddad")
    post_comment(story, "Signed in.", actor=_as(reader))
    post_comment(story, "A guest.", name="lowercase guest name")
    r = client.get(f"/stories/{story.pk}/")
    page = r.content.decode()
    amira = avatar_for("Amira Haddad")
    assert f'<span class="avatar av{amira.colour}" aria-hidden="true">AH</span>' in page
    guest = avatar_for("lowercase guest name")
    assert f'<span class="avatar av{guest.colour}" aria-hidden="true">LN</span>' in page
    assert ">Amira Haddad</a>" in page and "<img" not in page.split('id="comments"')[-1]
    assert "img-src 'self' data:;" in r["Content-Security-Policy"] + ";"  # nothing added


def test_a_picture_from_the_publishers_sign_in_shows_on_the_story_page(client, story) -> None:  # noqa: ANN001
    jane = _staff_member(story.site)
    posted = post_comment(story, "From the newsroom.", actor=_as(jane)).comment
    for url in (f"/stories/{story.pk}/", f"/comments/{posted.pk}/"):
        r = client.get(url)
        assert f'<img src="{AVATAR}" alt=""' in r.content.decode(), url
        assert "https://cdn.publisher.example" in r["Content-Security-Policy"], url


@pytest.mark.parametrize(
    "url",
    [
        "https://a.example;script-src *",
        "https://a.example,evil",
        "https://user@a.example:99999/x.png",
        "http://plain.example/x.png",
        "https://[::1]/x.png",
        "javascript:alert(1)",
        "",
        None,
    ],
)
def test_only_plain_https_hosts_join_the_pages_policy(url: str | None) -> None:
    assert picture_origins([url]) == []


def test_picture_origins_keep_the_port_and_drop_the_rest() -> None:
    urls = ["https://CDN.example:8443/a.png?x=1", "https://cdn.example:8443/b.png", None]
    assert picture_origins(urls) == ["https://cdn.example:8443"]


NAMES = [
    "Amira Haddad",
    "jane",
    "  Jean-Luc   Picard ",
    "Élodie Ç",
    "Zoë",
    "李 小龙",
    "😀 Smile",
    "ß straße",
    "",
    "a b c d",
    "X" * 100,
]


def _js_rules(source: str) -> str:
    """The widget's own ``initials`` and colour hash, cut out of embed.js."""
    fn = re.search(r"const initials = \(name\) => \{.*?\n  \};", source, re.S)
    loop = re.search(
        r"let n = 0;\s*for \(const ch of name\) n = \(n \* 31 \+ ch\.codePointAt\(0\)\) >>> 0;",
        source,
    )
    modulo = re.search(r"'tl-avatar tl-av' \+ \(n % (\d+)\)", source)
    assert fn and loop and modulo, (
        "embed.js changed its avatar rules: change threadline/domain/avatars.py too"
    )
    colour_js = f"const colour = (name) => {{ {loop.group(0)} return n % {modulo.group(1)}; }};"
    return f"{fn.group(0)}\n{colour_js}\n"


@pytest.mark.skipif(not shutil.which("node"), reason="no node to run the widget's code")
def test_the_pages_draw_the_same_initials_and_colour_as_the_widget() -> None:
    script = _js_rules((STATIC / "embed.js").read_text()) + (
        f"console.log(JSON.stringify({json.dumps(NAMES)}"
        ".map(n => [initials(n), colour(String(n || ''))])));"
    )
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [[initials(n), colour(n)] for n in NAMES]


def test_the_pages_use_the_widgets_avatar_colours() -> None:
    pattern = r"\.{prefix}av(\d)\{{background:(#[0-9a-f]{{6}})\}}"
    widget = dict(re.findall(pattern.format(prefix="tl-"), (STATIC / "embed.js").read_text()))
    page = dict(re.findall(pattern.format(prefix=""), (STATIC / "site.css").read_text()))
    assert widget == page and len(page) == 7  # av0 is the default grey of .avatar
    grey = "background:#5a5f66"
    assert grey in re.search(r"\.tl-avatar\{[^}]*\}", (STATIC / "embed.js").read_text()).group(0)
    assert grey in re.search(r"\.avatar\{[^}]*\}", (STATIC / "site.css").read_text()).group(0)


def test_a_profile_of_another_site_shows_the_moderator_badge_of_each(client) -> None:  # noqa: ANN001
    story = StoryFactory()
    admin = UserFactory(is_superuser=True, first_name="Chief")
    post_comment(story, "Admin note.", actor=_as(admin))
    page = client.get(f"/readers/{admin.pk}/").content.decode()
    assert page.count("badge-moderator") == 1  # every site: one badge, no site named
