"""Sign-in with the publisher's accounts through the API (POST /auth/sso), staff badges in
the comment output, and the names guests may not post under."""

from __future__ import annotations

from typing import Any

import jwt
import pytest
from django.contrib.auth.models import User

from tests.factories import SiteFactory, UserFactory
from tests.publisher import sso_token
from threadline.actions.commenters import commenter_ban
from threadline.actions.sso import site_sso_secret_rotate
from threadline.models import ApiToken, Comment, Commenter, Site, Story

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso_site(site: Site) -> Site:
    site_sso_secret_rotate(site=site, actor=None)
    return site


def _exchange(api: Any, site: Site, token: str) -> Any:
    return api.post("/auth/sso", {"site": site.name, "token": token})


def _signed_in(api: Any, site: Site, **claims: Any) -> dict[str, Any]:
    r = _exchange(api, site, sso_token(site, **claims))
    assert r.status_code == 200, r.content
    api.token = r.json()["token"]
    return r.json()


def _post(api: Any, story: Story, body: str, **extra: Any) -> Any:
    return api.post(f"/stories/{story.pk}/comments", {"body": body, **extra})


def _rows() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        Commenter.objects.count(),
        ApiToken.objects.count(),
        Comment.objects.count(),
    )


# --- the exchange ---------------------------------------------------------------------


def test_a_valid_token_gives_an_api_token_and_a_verified_commenter(api, sso_site, story):
    data = _signed_in(api, sso_site, sub="u-42", name="Nadia Karimi", email="n@pub.example")

    assert data["user"]["display_name"] == "Nadia Karimi"
    assert data["user"]["badge"] is None and data["user"]["avatar_url"] is None
    commenter = Commenter.objects.get(site=sso_site, sso_id="u-42")
    assert commenter.user is not None and commenter.key == f"user:{commenter.user.pk}"
    assert commenter.known_by == "account" and commenter.email == "n@pub.example"
    assert not commenter.user.has_usable_password()  # signs in through the publisher only
    assert api.get("/auth/me").json()["display_name"] == "Nadia Karimi"

    posted = _post(api, story, "Signed in by my newspaper.").json()
    assert posted["author"] == {
        "name": "Nadia Karimi",
        "registered": True,
        "badge": None,
        "avatar_url": None,
    }
    assert Comment.objects.get(pk=posted["id"]).commenter_id == commenter.pk


def _other_site_token(site: Site) -> str:
    other = SiteFactory(name="other-paper")
    site_sso_secret_rotate(site=other, actor=None)
    return sso_token(other, aud="other-paper")


def _with(**claims: Any) -> Any:
    return lambda site: sso_token(site, **claims)


def _unsigned(site: Site) -> str:
    return jwt.encode({"sub": "1", "name": "N", "email": "n@x.example"}, None, algorithm="none")


BAD_TOKENS = {
    "expired": (_with(exp_in=-120), "sso_token_expired", None),
    "wrong-signature": (_with(secret="x" * 43), "sso_invalid_token", None),
    "other-sites-token": (_other_site_token, "sso_wrong_site", None),
    "other-sites-audience": (_with(aud="other-paper"), "sso_wrong_site", None),
    "not-a-jwt": (lambda site: "not.a.token", "sso_invalid_token", None),
    "unsigned": (_unsigned, "sso_invalid_token", None),
    "no-sub": (_with(sub=None), "sso_invalid_claims", "sub"),
    "no-name": (_with(name=None), "sso_invalid_claims", "name"),
    "blank-name": (_with(name="   "), "sso_invalid_claims", "name"),
    "no-email": (_with(email=None), "sso_invalid_claims", "email"),
    "bad-email": (_with(email="not an address"), "sso_invalid_claims", "email"),
    "no-exp": (_with(exp_in=None), "sso_invalid_claims", "exp"),
    "unknown-role": (_with(role="admin"), "sso_invalid_claims", "role"),
    "http-avatar": (_with(avatar="http://cdn.example/a.png"), "sso_invalid_claims", "avatar"),
    "script-avatar": (_with(avatar="javascript:alert(1)"), "sso_invalid_claims", "avatar"),
    "markup-avatar": (_with(avatar='https://x.example/"><b>'), "sso_invalid_claims", "avatar"),
}


@pytest.mark.parametrize(("make", "code", "field"), BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_a_bad_token_is_refused_with_its_code_and_writes_nothing(api, sso_site, make, code, field):
    token = make(sso_site)
    before = _rows()
    r = _exchange(api, sso_site, token)
    assert r.status_code == (400 if code == "sso_invalid_claims" else 401), r.content
    error = r.json()["error"]
    assert error["code"] == code and error.get("field") == field
    assert _rows() == before


def test_a_site_without_a_secret_or_no_such_site_gives_one_answer(api, site):
    token = jwt.encode({"sub": "1", "name": "N", "email": "n@x.example"}, "k" * 43)
    for name in (site.name, "no-such-site"):
        r = api.post("/auth/sso", {"site": name, "token": token})
        assert r.status_code == 403 and r.json()["error"]["code"] == "sso_not_configured"
    assert User.objects.count() == 0


def test_a_rotated_secret_refuses_tokens_signed_with_the_old_one(api, sso_site):
    old = sso_token(sso_site)
    site_sso_secret_rotate(site=sso_site, actor=None)
    assert _exchange(api, sso_site, old).json()["error"]["code"] == "sso_invalid_token"
    assert _exchange(api, sso_site, sso_token(sso_site)).status_code == 200


def test_a_numeric_id_and_a_list_audience_are_accepted(api, sso_site):
    r = _exchange(api, sso_site, sso_token(sso_site, sub=1234, aud=[sso_site.name]))
    assert r.status_code == 200, r.content
    assert Commenter.objects.filter(site=sso_site, sso_id="1234").exists()


def test_the_next_sign_in_is_the_same_reader_brought_up_to_date(api, sso_site):
    first = _signed_in(api, sso_site, sub="u-7", name="Old Name")
    api.token = ""
    second = _signed_in(
        api,
        sso_site,
        sub="u-7",
        name="New Name",
        email="new@pub.example",
        role="journalist",
        avatar="https://cdn.pub.example/u7.png",
    )
    assert first["user"]["id"] == second["user"]["id"]
    assert second["user"]["badge"] == "journalist"
    assert second["user"]["avatar_url"] == "https://cdn.pub.example/u7.png"
    commenter = Commenter.objects.get(site=sso_site, sso_id="u-7")
    assert (commenter.display_name, commenter.email, commenter.badge) == (
        "New Name",
        "new@pub.example",
        "journalist",
    )
    assert Commenter.objects.filter(site=sso_site).count() == 1


def test_the_same_id_on_another_site_is_another_reader(api, sso_site):
    other = SiteFactory()
    site_sso_secret_rotate(site=other, actor=None)
    mine = _signed_in(api, sso_site, sub="u-1")["user"]["id"]
    api.token = ""
    theirs = _signed_in(api, other, sub="u-1")["user"]["id"]
    assert mine != theirs


def test_the_session_sent_along_is_replaced_not_piled_up(api, sso_site):
    _signed_in(api, sso_site)
    old = api.token
    _signed_in(api, sso_site)  # sends the old token as its bearer
    assert ApiToken.objects.count() == 1
    api.token = old
    assert api.get("/auth/me").json()["error"]["code"] == "invalid_token"


# --- bans and trust hold for the identity ---------------------------------------------


def test_a_ban_on_an_sso_reader_holds_across_sessions_and_browsers(api, client, sso_site, story):
    _signed_in(api, sso_site, sub="troll-1", name="Troll")
    assert _post(api, story, "A first, civil remark.").status_code == 201
    commenter = Commenter.objects.get(site=sso_site, sso_id="troll-1")
    commenter_ban(commenter=commenter, actor=None, days=7, message="Insults.")

    assert api.post("/auth/logout").status_code == 200
    api.token = ""
    _signed_in(api, sso_site, sub="troll-1", name="Troll Renamed")  # a new session
    r = _post(api, story, "Back again.")
    assert r.status_code == 403 and r.json()["error"]["code"] == "banned"

    from tests.conftest import Api

    laptop = Api(client.__class__())  # another browser, no shared state
    laptop.guest = "laptop-key"
    _signed_in(laptop, sso_site, sub="troll-1")
    assert _post(laptop, story, "From my laptop.").json()["error"]["code"] == "banned"
    assert Comment.objects.filter(story=story).count() == 1


def test_published_comments_count_for_the_identity_across_sessions(api, sso_site, story):
    for n in range(2):
        api.token = ""
        _signed_in(api, sso_site, sub="regular")
        assert _post(api, story, f"Remark number {n}, civil.").status_code == 201
    assert Commenter.objects.get(site=sso_site, sso_id="regular").comments_published == 2


# --- badges in the API ----------------------------------------------------------------


def test_staff_comments_carry_their_badge_and_avatar_in_every_output(api, sso_site, story):
    avatar = "https://cdn.pub.example/jane.png"
    _signed_in(api, sso_site, sub="jd", name="Jane Doe", role="staff", avatar=avatar)
    posted = _post(api, story, "From the newsroom: we corrected the date.").json()
    assert posted["author"]["badge"] == "staff" and posted["author"]["avatar_url"] == avatar

    api.token = ""
    thread = api.get(f"/stories/{story.pk}/comments").json()
    assert thread["comments"][0]["author"] == {
        "name": "Jane Doe",
        "registered": True,
        "badge": "staff",
        "avatar_url": avatar,
    }
    single = api.get(f"/comments/{posted['id']}").json()
    assert single["comment"]["author"]["badge"] == "staff"


def test_a_desk_moderator_posts_with_the_moderator_badge(api, site, story):
    moderator = UserFactory(username="desk-mod", first_name="Morgan")
    site.moderators.add(moderator)
    api.token = api.post(
        "/auth/login", {"username": "desk-mod", "password": "correct horse battery"}
    ).json()["token"]
    assert _post(api, story, "Please keep it civil.").json()["author"]["badge"] == "moderator"
    reader = UserFactory(username="plain")
    api.token = api.post(
        "/auth/login", {"username": reader.username, "password": "correct horse battery"}
    ).json()["token"]
    assert _post(api, story, "Just a reader.").json()["author"]["badge"] is None


def test_a_thread_page_with_badges_costs_no_more_queries(
    api, sso_site, story, django_assert_num_queries
):
    from threadline.server import threadcache

    api.guest = "guest-key"
    assert _post(api, story, "A guest's remark.", author_name="Guest").status_code == 201
    threadcache.clear_local()
    with django_assert_num_queries(3) as plain:
        api.get(f"/stories/{story.pk}/comments")
    plain_count = len(plain.captured_queries)  # the next request resets Django's query log
    _signed_in(api, sso_site, sub="jd", name="Jane Doe", role="journalist")
    for n in range(5):
        _post(api, story, f"Newsroom note {n}, civil.")
    api.token = ""
    threadcache.clear_local()
    from django.core.cache import cache

    cache.clear()
    with django_assert_num_queries(plain_count):
        thread = api.get(f"/stories/{story.pk}/comments").json()
    assert sum(c["author"]["badge"] == "journalist" for c in thread["comments"]) == 5


# --- names guests may not take ---------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Jane Doe", "jane doe", "JANE  DOE", "Jane.Doe", "Jáne Doe", "J\u0430ne Doe"]
)
def test_a_guest_cannot_post_under_a_staff_members_name(api, sso_site, story, name):
    _signed_in(api, sso_site, sub="jd", name="Jane Doe", role="journalist")
    api.token, api.guest = "", "guest-key"
    before = _rows()
    r = _post(api, story, "I am totally her.", author_name=name)
    assert r.status_code == 400, r.content
    assert r.json()["error"]["code"] == "name_reserved"
    assert r.json()["error"]["field"] == "author_name"
    assert _rows() == before


def test_a_staff_member_signed_in_after_a_guest_post_is_protected_at_once(
    api, sso_site, story, django_capture_on_commit_callbacks
):
    api.guest = "guest-key"
    assert _post(api, story, "Early bird.", author_name="Someone").status_code == 201
    with django_capture_on_commit_callbacks(execute=True):  # forgets the cached names
        _signed_in(api, sso_site, sub="ed", name="Eddie Editor", role="moderator")
    api.token = ""
    r = _post(api, story, "Hi.", author_name="Eddie Editor")
    assert r.json()["error"]["code"] == "name_reserved"


def test_readers_names_and_names_containing_a_staff_name_stay_free(api, sso_site, story):
    _signed_in(api, sso_site, sub="jd", name="Jane Doe", role="staff")
    api.token = ""
    _signed_in(api, sso_site, sub="rr", name="Rita Reader")  # role reader: no badge
    api.token, api.guest = "", "guest-key"
    assert _post(api, story, "A fan's note.", author_name="Jane Doe fan").status_code == 201
    assert _post(api, story, "Same name.", author_name="Rita Reader").status_code == 201


def test_a_guest_cannot_post_under_a_moderators_name_or_a_reserved_name(api, site, story):
    site.moderators.add(UserFactory(username="mod-mia", first_name="Mia Moderator"))
    site.reserved_names = "The Editors\n# a comment line\nAdministrator"
    site.save()
    api.guest = "guest-key"
    for name in ("Mia Moderator", "mod-mia", "the editors", "ADMINISTRATOR"):
        r = _post(api, story, "Trust me.", author_name=name)
        assert r.json()["error"]["code"] == "name_reserved", name
    assert _post(api, story, "Fine.", author_name="Mia").status_code == 201


def test_the_staff_member_themselves_posts_under_their_name(api, sso_site, story):
    _signed_in(api, sso_site, sub="jd", name="Jane Doe", role="staff")
    assert _post(api, story, "It is me, signed in.").status_code == 201
