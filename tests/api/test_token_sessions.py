"""Bearer tokens expire, and a reader lists and revokes their sessions (hardening #14)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import Api
from tests.factories import UserFactory
from threadline.models import ApiToken

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def _login(client: Client, username: str, agent: str = "TestBrowser/1.0") -> str:
    r = Api(client).post(
        "/auth/login", {"username": username, "password": PASSWORD}, headers={"User-Agent": agent}
    )
    assert r.status_code == 200, r.content
    return r.json()["token"]


def _as(client: Client, token: str) -> Api:
    api = Api(client)
    api.token = token
    return api


def test_a_token_past_its_expiry_is_refused_with_invalid_token(client):
    UserFactory(username="ana")
    api = _as(client, _login(client, "ana"))
    assert api.get("/auth/me").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    r = api.get("/auth/me")
    error = r.json()["error"]
    # The widget drops the token and reopens the sign-in on this code.
    assert r.status_code == 401 and error["code"] == "invalid_token"
    assert error["data"] == {"reason": "expired"} and "expired" in error["message"]


def test_a_new_token_lives_token_days(client, settings):
    settings.THREADLINE = {**settings.THREADLINE, "TOKEN_DAYS": 7}
    UserFactory(username="ana")
    _login(client, "ana")
    left = ApiToken.objects.get().expires_at - timezone.now()
    assert timedelta(days=6, hours=23) < left <= timedelta(days=7)


def test_use_in_the_last_half_slides_the_expiry_and_earlier_use_writes_nothing(client):
    UserFactory(username="ana")
    api = _as(client, _login(client, "ana"))
    api.get("/auth/me")  # sets last_used_at
    row = ApiToken.objects.get()
    with_time_left = row.expires_at
    api.get("/auth/me")
    assert ApiToken.objects.get().expires_at == with_time_left  # first half: no write
    soon = timezone.now() + timedelta(days=2)
    ApiToken.objects.update(expires_at=soon)
    assert api.get("/auth/me").status_code == 200
    assert ApiToken.objects.get().expires_at > timezone.now() + timedelta(days=29)


def test_sessions_list_the_callers_tokens_only_and_mark_the_current_one(client):
    UserFactory(username="ana")
    UserFactory(username="ben")
    phone = _login(client, "ana", agent="Phone/2.0 " + "x" * 300)
    laptop = _login(client, "ana", agent="Laptop/3.0")
    _login(client, "ben")
    r = _as(client, laptop).get("/auth/sessions")
    assert r.status_code == 200
    sessions = r.json()["sessions"]
    assert [s["label"][:8] for s in sessions] == ["Laptop/3", "Phone/2."]
    assert [s["current"] for s in sessions] == [True, False]
    assert len(sessions[1]["label"]) == 120
    assert set(sessions[0]) == {
        "id",
        "label",
        "created_at",
        "last_used_at",
        "expires_at",
        "current",
    }
    assert phone not in r.content.decode() and laptop not in r.content.decode()


def test_sessions_need_a_bearer_token(api):
    r = api.get("/auth/sessions")
    assert r.status_code == 401 and r.json()["error"]["code"] == "not_authenticated"


def test_revoking_one_session_leaves_the_others_working(client):
    UserFactory(username="ana")
    phone, laptop = _login(client, "ana"), _login(client, "ana")
    sessions = _as(client, laptop).get("/auth/sessions").json()["sessions"]
    phone_id = next(s["id"] for s in sessions if not s["current"])
    assert _as(client, laptop).delete(f"/auth/sessions/{phone_id}").status_code == 200
    r = _as(client, phone).get("/auth/me")
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_token"
    assert _as(client, laptop).get("/auth/me").status_code == 200


def test_logout_everywhere_revokes_every_token_of_the_caller_only(client):
    UserFactory(username="ana")
    UserFactory(username="ben")
    tokens = [_login(client, "ana") for _ in range(3)]
    other = _login(client, "ben")
    r = _as(client, tokens[0]).post("/auth/logout-everywhere")
    assert r.status_code == 200 and r.json() == {"ok": True, "revoked": 3}
    for token in tokens:
        r = _as(client, token).get("/auth/me")
        assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_token"
    assert _as(client, other).get("/auth/me").status_code == 200


def test_another_user_cannot_revoke_your_session(client):
    UserFactory(username="ana")
    UserFactory(username="ben")
    mine = _login(client, "ana")
    my_id = _as(client, mine).get("/auth/sessions").json()["sessions"][0]["id"]
    r = _as(client, _login(client, "ben")).delete(f"/auth/sessions/{my_id}")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert _as(client, mine).get("/auth/me").status_code == 200


def test_expired_tokens_are_left_out_of_the_list_and_pruned_at_the_next_login(client):
    UserFactory(username="ana")
    old = _login(client, "ana")
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(days=1))
    new = _login(client, "ana")
    sessions = _as(client, new).get("/auth/sessions").json()["sessions"]
    assert len(sessions) == 1 and sessions[0]["current"]
    assert ApiToken.objects.count() == 1
    assert _as(client, old).get("/auth/me").json()["error"]["code"] == "invalid_token"
