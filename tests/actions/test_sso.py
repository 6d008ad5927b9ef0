"""The SSO actions against the database: the secret, checking claims, the account and
commenter of (site, publisher id), and what survives an erasure."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import post_comment
from tests.publisher import sso_token
from threadline import errors
from threadline.actions.commenters import commenter_ban
from threadline.actions.datarights import person_erase, person_for_user
from threadline.actions.sso import (
    _commenter_create,
    site_sso_disable,
    site_sso_secret_rotate,
    sso_claims_check,
    sso_sign_in,
)
from threadline.actions.sso import sso_site as site_named
from threadline.domain.identity import Actor
from threadline.models import Commenter, ModerationAction, ModerationEvent, Site

pytestmark = pytest.mark.django_db


@pytest.fixture
def sso_site(site: Site) -> Site:
    site_sso_secret_rotate(site=site, actor=None)
    return site


def test_rotating_makes_a_new_secret_and_the_audit_log_never_holds_it(site):
    first = site_sso_secret_rotate(site=site, actor=None)
    second = site_sso_secret_rotate(site=site, actor=None)
    assert len(first) >= 43 and first != second and Site.objects.get().sso_secret == second
    events = ModerationEvent.objects.filter(action=ModerationAction.SETTINGS)
    assert events.count() == 2
    assert all(first not in str(e.scores) and second not in str(e.scores) for e in events)


def test_turning_sso_off_refuses_every_token(sso_site):
    token = sso_token(sso_site)
    site_sso_disable(site=sso_site, actor=None)
    with pytest.raises(errors.SsoNotConfiguredError):
        sso_claims_check(site=sso_site, token=token)
    with pytest.raises(errors.SsoNotConfiguredError):
        site_named(name=sso_site.name)


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({}, {"sub": "reader-1", "badge": "", "avatar_url": ""}),
        ({"role": "reader"}, {"badge": ""}),
        ({"role": "staff"}, {"badge": "staff"}),
        ({"role": "journalist"}, {"badge": "journalist"}),
        ({"role": "moderator"}, {"badge": "moderator"}),
        ({"sub": 42}, {"sub": "42"}),
        ({"sub": "  padded "}, {"sub": "padded"}),
        ({"name": "  Nadia \t Karimi\n"}, {"name": "Nadia Karimi"}),
        ({"name": "N" * 300}, {"name": "N" * 100}),
        ({"avatar": ""}, {"avatar_url": ""}),
        (
            {"avatar": "https://cdn.example/a.png?s=64"},
            {"avatar_url": "https://cdn.example/a.png?s=64"},
        ),
        ({"exp_in": -10}, {"sub": "reader-1"}),  # within the 30 s allowed for clock skew
    ],
)
def test_claims_become_a_reader(sso_site, claims: dict[str, Any], expected: dict[str, Any]):
    checked = sso_claims_check(site=sso_site, token=sso_token(sso_site, **claims))
    assert {k: getattr(checked, k) for k in expected} == expected


@pytest.mark.parametrize(
    ("claims", "error"),
    [
        ({"exp_in": -60}, errors.SsoTokenExpiredError),
        ({"sub": True}, errors.SsoInvalidClaimsError),
        ({"sub": "x" * 256}, errors.SsoInvalidClaimsError),
        ({"name": 7}, errors.SsoInvalidClaimsError),
        ({"email": ["a@b.example"]}, errors.SsoInvalidClaimsError),
        ({"avatar": 5}, errors.SsoInvalidClaimsError),
        ({"avatar": "https://" + "a" * 500 + ".example"}, errors.SsoInvalidClaimsError),
        ({"nbf": 4_000_000_000}, errors.SsoInvalidTokenError),  # not valid yet
    ],
)
def test_bad_claims_are_refused(sso_site, claims: dict[str, Any], error: type[Exception]):
    with pytest.raises(error):
        sso_claims_check(site=sso_site, token=sso_token(sso_site, **claims))


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_an_hs512_token_is_refused_even_with_the_right_secret(sso_site):
    import jwt

    token = jwt.encode(
        {"sub": "1", "name": "N", "email": "n@x.example", "exp": 4_000_000_000},
        sso_site.sso_secret,
        algorithm="HS512",
    )
    with pytest.raises(errors.SsoInvalidTokenError):
        sso_claims_check(site=sso_site, token=token)


def test_first_sign_ins_that_race_make_one_reader(sso_site):
    claims = sso_claims_check(site=sso_site, token=sso_token(sso_site, sub="racer"))
    first = _commenter_create(sso_site, claims)
    second = _commenter_create(sso_site, claims)  # the other request lost the race
    assert first.pk == second.pk and Commenter.objects.filter(sso_id="racer").count() == 1


def test_an_erased_reader_signs_in_again_under_the_same_ban(sso_site):
    user, commenter = sso_sign_in(site=sso_site, token=sso_token(sso_site, sub="u-9"))
    commenter_ban(commenter=commenter, actor=None, days=None, message="Spam.")
    person_erase(person=person_for_user(user=user))

    again, same = sso_sign_in(site=sso_site, token=sso_token(sso_site, sub="u-9", name="Back"))
    assert same.pk == commenter.pk and again.pk != user.pk
    assert same.key == f"user:{again.pk}" and same.banned_forever
    story = sso_site.stories.create(url="https://x.example/a", title="A")
    with pytest.raises(errors.BannedError):
        post_comment(story, "Hello again.", actor=Actor(user=again, ip="127.0.0.1"))


def test_a_disabled_account_cannot_sign_in(sso_site):
    user, _ = sso_sign_in(site=sso_site, token=sso_token(sso_site, sub="gone"))
    user.is_active = False
    user.save()
    with pytest.raises(errors.SsoInvalidTokenError):
        sso_sign_in(site=sso_site, token=sso_token(sso_site, sub="gone"))


def test_a_staff_comment_keeps_the_badge_and_avatar_it_was_written_with(sso_site):
    story = sso_site.stories.create(url="https://x.example/b", title="B")
    avatar = "https://cdn.example/j.png"
    user, _ = sso_sign_in(
        site=sso_site, token=sso_token(sso_site, sub="j", role="journalist", avatar=avatar)
    )
    comment = post_comment(story, "Reporting.", actor=Actor(user=user, ip="127.0.0.1")).comment
    assert (comment.author_badge, comment.author_avatar) == ("journalist", avatar)
    sso_sign_in(site=sso_site, token=sso_token(sso_site, sub="j"))  # now a reader
    later = post_comment(story, "Off duty.", actor=Actor(user=user, ip="127.0.0.1")).comment
    assert (later.author_badge, later.author_avatar) == ("", "")
    comment.refresh_from_db()
    assert comment.author_badge == "journalist"
