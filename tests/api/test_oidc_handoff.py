"""The widget's sign-in with the operator's provider, its API half: ``POST
/auth/oidc/claim`` gives a token only to the holder of the verifier whose sign-in window came
back signed in, once, within its time (the window's half is in tests/web/test_oidc.py)."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time

import pytest

from tests.factories import UserFactory
from threadline.actions import oidc_handoff
from threadline.actions.oidc_handoff import (
    handoff_of,
    oidc_handoff_complete,
    oidc_handoff_fail,
    oidc_handoff_open,
)
from threadline.models import ApiToken

pytestmark = pytest.mark.django_db


def _verifier() -> str:
    return secrets.token_urlsafe(32)


def _claim(api, verifier: str):  # noqa: ANN001,ANN202
    return api.post("/auth/oidc/claim", {"verifier": verifier})


def _code(response) -> str:  # noqa: ANN001
    return response.json()["error"]["code"]


def test_the_handoff_is_the_widgets_sha256_of_the_verifier() -> None:
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    assert handoff_of(verifier) == digest.rstrip(b"=").decode()
    assert len(handoff_of(verifier)) == 43


def test_a_claim_without_a_sign_in_window_is_not_found(api) -> None:
    r = _claim(api, _verifier())
    assert r.status_code == 404 and _code(r) == "handoff_not_found"


@pytest.mark.parametrize("verifier", ["", "short", "x" * 43 + "!", "ä" * 43])
def test_a_malformed_verifier_is_not_found_rather_than_a_server_error(api, verifier: str) -> None:
    r = _claim(api, verifier)
    assert r.status_code == 404 and _code(r) == "handoff_not_found"


def test_a_window_still_at_the_provider_is_pending(api) -> None:
    verifier = _verifier()
    oidc_handoff_open(handoff=handoff_of(verifier))
    r = _claim(api, verifier)
    assert r.status_code == 404 and _code(r) == "handoff_pending"


def test_the_right_verifier_gets_a_token_once_and_a_wrong_one_nothing(api) -> None:
    user = UserFactory(username="oidc-abc", first_name="Amira Haddad")
    verifier = _verifier()
    oidc_handoff_complete(handoff=handoff_of(verifier), user=user)

    wrong = _claim(api, _verifier())
    assert wrong.status_code == 404 and _code(wrong) == "handoff_not_found"
    # The handoff itself is public (it is in the window's URL): it is not a verifier.
    by_hash = _claim(api, handoff_of(verifier))
    assert by_hash.status_code == 404 and _code(by_hash) == "handoff_not_found"
    assert ApiToken.objects.count() == 0

    r = _claim(api, verifier)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["user"] == {"id": user.pk, "username": "oidc-abc", "display_name": "Amira Haddad"}
    api.token = body["token"]
    assert api.get("/auth/me").json()["display_name"] == "Amira Haddad"

    api.token = ""
    again = _claim(api, verifier)
    assert again.status_code == 404 and _code(again) == "handoff_not_found"
    assert ApiToken.objects.filter(user=user).count() == 1


def test_an_unclaimed_sign_in_expires(api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oidc_handoff, "HANDOFF_SECONDS", 0.05)
    verifier = _verifier()
    oidc_handoff_complete(handoff=handoff_of(verifier), user=UserFactory())
    time.sleep(0.1)
    r = _claim(api, verifier)
    assert r.status_code == 404 and _code(r) == "handoff_not_found"
    assert ApiToken.objects.count() == 0


def test_a_refused_sign_in_is_told_once(api) -> None:
    verifier = _verifier()
    oidc_handoff_fail(handoff=handoff_of(verifier), message="Sign-in with X did not work.")
    r = _claim(api, verifier)
    assert r.status_code == 401 and _code(r) == "handoff_failed"
    assert r.json()["error"]["message"] == "Sign-in with X did not work."
    assert _code(_claim(api, verifier)) == "handoff_not_found"


def test_an_account_disabled_before_the_claim_gets_no_token(api) -> None:
    user = UserFactory()
    verifier = _verifier()
    oidc_handoff_complete(handoff=handoff_of(verifier), user=user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert _code(_claim(api, verifier)) == "handoff_not_found"
    assert ApiToken.objects.count() == 0


def test_claims_that_find_nothing_are_rate_limited_and_pending_polls_are_not(api, settings) -> None:
    settings.THREADLINE = {**settings.THREADLINE, "RATE_LIMIT_AUTH_IP": "3/60"}
    waiting = _verifier()
    oidc_handoff_open(handoff=handoff_of(waiting))
    for _ in range(10):  # a widget polling while the reader types their password
        assert _code(_claim(api, waiting)) == "handoff_pending"
    for _ in range(3):
        assert _code(_claim(api, _verifier())) == "handoff_not_found"
    r = _claim(api, _verifier())
    assert r.status_code == 429 and _code(r) == "rate_limited"


def test_the_story_lookup_offers_the_provider_only_when_it_is_on(api, site, settings) -> None:
    url = f"{site.allowed_origins[0]}/a"
    assert "oidc" not in api.get("/stories/lookup", url=url).json()
    settings.THREADLINE = {
        **settings.THREADLINE,
        "OIDC_ISSUER": "https://id.example",
        "OIDC_LABEL": "Example ID",
    }
    oidc = api.get("/stories/lookup", url=url).json()["oidc"]
    assert oidc == {"label": "Example ID", "start_url": "http://testserver/accounts/oidc/login/"}
