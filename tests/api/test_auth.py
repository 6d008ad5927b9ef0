"""Accounts and bearer tokens: the widget works cross-origin without cookies."""

from __future__ import annotations

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_register_login_me_logout(api):
    r = api.post(
        "/auth/register",
        {"username": "amira", "password": "a long passphrase 1", "display_name": "Amira K."},
    )
    assert r.status_code == 201, r.content
    api.token = r.json()["token"]
    me = api.get("/auth/me").json()
    assert me["username"] == "amira" and me["display_name"] == "Amira K."
    assert api.post("/auth/logout").status_code == 200
    r = api.get("/auth/me")
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_token"
    api.token = ""
    r = api.post("/auth/login", {"username": "amira", "password": "a long passphrase 1"})
    assert r.status_code == 200 and r.json()["token"]


def test_passwords_are_hashed(api):
    api.post("/auth/register", {"username": "bob", "password": "another long one 2"})
    from django.contrib.auth import get_user_model

    stored = get_user_model().objects.get(username="bob").password
    assert "another long one 2" not in stored and "$" in stored


@pytest.mark.parametrize(
    ("data", "code", "status"),
    [
        ({"username": "x", "password": "short"}, "weak_password", 400),
        ({"username": "has space", "password": "a long passphrase 1"}, "invalid", 400),
        ({"username": "", "password": "a long passphrase 1"}, "invalid", 400),
        ({"username": "taken", "password": "a long passphrase 1"}, "username_taken", 409),
    ],
)
def test_bad_registrations(api, data, code, status):
    UserFactory(username="taken")
    r = api.post("/auth/register", data)
    assert r.status_code == status and r.json()["error"]["code"] == code


def test_wrong_password_is_401(api):
    UserFactory(username="carol")
    r = api.post("/auth/login", {"username": "carol", "password": "nope nope nope"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_credentials"


def test_bad_bearer_token_is_refused_not_ignored(api, story):
    api.token = "forged"
    r = api.post(f"/stories/{story.pk}/comments", {"body": "hi", "author_name": "X"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "invalid_token"


def test_signed_in_reader_posts_edits_and_deletes_without_a_token(api, story):
    r = api.post("/auth/register", {"username": "dana", "password": "a long passphrase 1"})
    api.token = r.json()["token"]
    posted = api.post(f"/stories/{story.pk}/comments", {"body": "as dana"}).json()
    assert posted["author"] == {
        "name": "dana",
        "registered": True,
        "badge": None,
        "avatar_url": None,
    }
    r = api.patch(f"/comments/{posted['id']}", {"body": "as dana, edited"})
    assert r.status_code == 200
    assert api.delete(f"/comments/{posted['id']}").json()["status"] == "deleted"


def test_another_reader_cannot_edit(api, story):
    api.token = api.post(
        "/auth/register", {"username": "eve", "password": "a long passphrase 1"}
    ).json()["token"]
    posted = api.post(f"/stories/{story.pk}/comments", {"body": "eve's"}).json()
    api.token = api.post(
        "/auth/register", {"username": "mallory", "password": "a long passphrase 2"}
    ).json()["token"]
    r = api.patch(f"/comments/{posted['id']}", {"body": "mallory's now"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_your_comment"


def test_cors_only_for_allowed_origins(client, story):
    origin = story.site.allowed_origins[0]
    r = client.options(
        f"/api/v1/stories/{story.pk}/comments",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )
    assert r.status_code == 204 and r["Access-Control-Allow-Origin"] == origin
    assert "Authorization" in r["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in r
    r = client.options(
        f"/api/v1/stories/{story.pk}/comments",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert r.status_code == 403 and "Access-Control-Allow-Origin" not in r
    r = client.get(
        f"/api/v1/stories/{story.pk}/comments", headers={"Origin": "https://evil.example"}
    )
    assert "Access-Control-Allow-Origin" not in r
