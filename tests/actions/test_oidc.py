"""The accounts of an OpenID Connect provider's readers (threadline.actions.oidc), and the
ID-token checks Threadline adds to mozilla-django-oidc's (threadline.oidc). The whole flow
against a real provider is in tests/web/test_oidc.py and tests/browser/test_oidc.py."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousOperation

from threadline import errors
from threadline.actions.oidc import oidc_claims_check, oidc_sign_in, oidc_username
from threadline.oidc import OidcConfig, check_id_token, library_setting, url_is_secure

ISSUER = "https://id.example"
AMIRA = {"sub": "u-17", "name": "Amira Haddad", "email": "amira@id.example"}


@pytest.mark.parametrize(
    ("claims", "name", "email"),
    [
        (AMIRA, "Amira Haddad", "amira@id.example"),
        ({"sub": "1", "preferred_username": "amira"}, "amira", ""),
        ({"sub": "1", "nickname": "ah", "name": "  "}, "ah", ""),
        ({"sub": "1", "given_name": "Amira", "family_name": "Haddad"}, "Amira Haddad", ""),
        ({"sub": "1", "name": "Amira\u200b  Haddad\n"}, "Amira Haddad", ""),
        ({"sub": "1", "name": "A" * 300}, "A" * 100, ""),
        ({**AMIRA, "email_verified": False}, "Amira Haddad", ""),
        ({**AMIRA, "email_verified": True}, "Amira Haddad", "amira@id.example"),
        ({**AMIRA, "email": "not an address"}, "Amira Haddad", ""),
        ({**AMIRA, "email": ["a@b.example"]}, "Amira Haddad", ""),
    ],
)
def test_claims_give_a_name_and_a_verified_address(claims: Any, name: str, email: str) -> None:
    checked = oidc_claims_check(claims=claims)
    assert (checked.name, checked.email) == (name, email)


@pytest.mark.parametrize(
    ("claims", "field"),
    [
        ({"name": "No Sub"}, "sub"),
        ({"sub": "", "name": "Empty"}, "sub"),
        ({"sub": 17, "name": "Number"}, "sub"),
        ({"sub": "x" * 256, "name": "Long"}, "sub"),
        ({"sub": "1", "email": "a@b.example"}, "name"),
        ({"sub": "1", "name": "\u200b"}, "name"),
    ],
)
def test_claims_without_sub_or_a_name_are_refused(claims: Any, field: str) -> None:
    with pytest.raises(errors.OidcInvalidClaimsError) as refused:
        oidc_claims_check(claims=claims)
    assert refused.value.field == field


def test_the_account_is_the_one_of_issuer_and_sub(db: Any) -> None:
    user = oidc_sign_in(issuer=ISSUER, claims=AMIRA)
    assert user.username == oidc_username(issuer=ISSUER, sub="u-17")
    assert user.username.startswith("oidc-") and "u-17" not in user.username
    assert (user.first_name, user.email) == ("Amira Haddad", "amira@id.example")
    assert not user.has_usable_password()
    # The same reader again, renamed at the provider: the same account, brought up to date.
    again = oidc_sign_in(issuer=ISSUER + "/", claims={**AMIRA, "name": "Amira H."})
    assert again.pk == user.pk and again.first_name == "Amira H."
    # Another provider's reader with the same sub is someone else.
    other = oidc_sign_in(issuer="https://other.example", claims=AMIRA)
    assert other.pk != user.pk
    assert User.objects.count() == 2


def test_an_address_never_opens_an_existing_account(db: Any) -> None:
    local = User.objects.create_user("amira", email="amira@id.example", password="x" * 12)
    user = oidc_sign_in(issuer=ISSUER, claims=AMIRA)
    assert user.pk != local.pk


def test_a_password_account_holding_the_user_name_is_refused(db: Any) -> None:
    """Someone who registered the user name an identity maps to does not get its sign-ins."""
    squatter = User.objects.create_user(
        oidc_username(issuer=ISSUER, sub="u-17"), password="squatter password"
    )
    with pytest.raises(errors.OidcAccountConflictError):
        oidc_sign_in(issuer=ISSUER, claims=AMIRA)
    squatter.refresh_from_db()
    assert squatter.first_name == "" and squatter.email == ""


def test_a_disabled_account_is_refused(db: Any) -> None:
    user = oidc_sign_in(issuer=ISSUER, claims=AMIRA)
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(errors.InvalidCredentialsError):
        oidc_sign_in(issuer=ISSUER, claims={**AMIRA, "name": "Renamed"})
    assert User.objects.get(pk=user.pk).first_name == "Amira Haddad"


CONFIG = OidcConfig(
    issuer=ISSUER,
    client_id="threadline",
    client_secret="s",
    label="ID",
    scopes="openid",
    sign_algo="RS256",
    timeout=1.0,
)
GOOD = {"iss": ISSUER, "aud": "threadline", "sub": "1", "exp": 2_000_000_000}


@pytest.mark.parametrize(
    "claims",
    [
        GOOD,
        {**GOOD, "iss": ISSUER + "/"},
        {**GOOD, "aud": ["threadline"]},
        {**GOOD, "aud": ["threadline", "other"], "azp": "threadline"},
    ],
)
def test_id_tokens_for_us_pass(claims: Any) -> None:
    check_id_token(claims, CONFIG)


@pytest.mark.parametrize(
    "claims",
    [
        {**GOOD, "iss": "https://evil.example"},
        {**GOOD, "iss": None},
        {**GOOD, "aud": "someone-else"},
        {**GOOD, "aud": ["someone-else"]},
        {**GOOD, "aud": ["threadline", "other"]},
        {**GOOD, "aud": ["threadline", "other"], "azp": "other"},
        {k: v for k, v in GOOD.items() if k != "exp"},
        {k: v for k, v in GOOD.items() if k != "aud"},
    ],
)
def test_id_tokens_for_others_are_refused(claims: Any) -> None:
    with pytest.raises(SuspiciousOperation):
        check_id_token(claims, CONFIG)


@pytest.mark.parametrize(
    ("url", "secure"),
    [
        ("https://id.example/realms/news", True),
        ("http://127.0.0.1:8080/openid", True),
        ("http://localhost/openid", True),
        ("http://[::1]:9000/", True),
        ("http://id.example/", False),
        ("http://10.0.0.5/openid", False),
        ("ftp://id.example/", False),
        ("https:///nohost", False),
    ],
)
def test_only_https_or_loopback_providers(url: str, secure: bool) -> None:
    assert url_is_secure(url) is secure


def test_the_library_gets_pkce_and_our_settings(settings: Any) -> None:
    settings.THREADLINE = {
        **settings.THREADLINE,
        "OIDC_ISSUER": ISSUER,
        "OIDC_CLIENT_ID": "threadline",
        "OIDC_CLIENT_SECRET": "s3cret",
    }
    assert library_setting("OIDC_USE_PKCE") is True
    assert library_setting("OIDC_RP_CLIENT_SECRET") == "s3cret"
    assert library_setting("OIDC_RP_SCOPES") == "openid email profile"
    assert library_setting("OIDC_AUTHENTICATION_CALLBACK_URL") == "web:oidc-callback"
    settings.THREADLINE = {**settings.THREADLINE, "OIDC_ISSUER": ""}
    with pytest.raises(errors.OidcNotConfiguredError):
        library_setting("OIDC_RP_CLIENT_ID")


def test_a_name_reserved_for_a_sites_team_is_refused(db: Any) -> None:
    """As for a typed display name: a provider's reader cannot appear as the newsroom."""
    from tests.factories import SiteFactory

    SiteFactory(reserved_names="The Editors")
    with pytest.raises(errors.NameReservedError):
        oidc_sign_in(issuer=ISSUER, claims={**AMIRA, "name": "the  editors"})
    assert not User.objects.exists()
    user = oidc_sign_in(issuer=ISSUER, claims=AMIRA)
    with pytest.raises(errors.NameReservedError):
        oidc_sign_in(issuer=ISSUER, claims={**AMIRA, "name": "The Editors"})
    assert User.objects.get(pk=user.pk).first_name == "Amira Haddad"
