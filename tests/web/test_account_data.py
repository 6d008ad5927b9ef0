"""A signed-in reader downloads and erases their data from the browser pages."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from tests.factories import post_comment
from threadline.domain.identity import Actor
from threadline.models import Comment

pytestmark = pytest.mark.django_db


def _signed_in(client):  # noqa: ANN001,ANN202
    client.post(
        "/accounts/signup/",
        {"username": "nadia", "password": "a long passphrase 1", "email": "nadia@example.org"},
    )
    return get_user_model().objects.get(username="nadia")


def test_download_my_data(client, story):
    user = _signed_in(client)
    post_comment(story, "mine, with my account", actor=Actor(user=user, ip="127.0.0.1"))
    assert "Your data" in client.get("/").content.decode()
    r = client.get("/accounts/data/download/")
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
    data = json.loads(r.content)
    assert "mine, with my account" in json.dumps(data)
    assert "nadia@example.org" in json.dumps(data)


def test_erase_needs_the_user_name_then_erases(client, story):
    user = _signed_in(client)
    mine = post_comment(story, "to be erased", actor=Actor(user=user, ip="127.0.0.1")).comment
    post_comment(story, "a reply by someone else", parent=mine)
    r = client.post("/accounts/erase/", {"confirm": "wrong"})
    assert r.status_code == 400 and get_user_model().objects.filter(username="nadia").exists()
    r = client.post("/accounts/erase/", {"confirm": "nadia"})
    assert r.status_code == 302
    assert not get_user_model().objects.filter(username="nadia").exists()
    tomb = Comment.objects.get(pk=mine.pk)
    assert tomb.body == "" and tomb.author_email == ""
    assert client.get("/accounts/data/").status_code == 302  # signed out


def test_pages_need_a_signed_in_reader(client, db):
    assert client.get("/accounts/data/").status_code == 302
    assert client.get("/accounts/data/download/").status_code == 302


def test_sign_out_everywhere_revokes_every_api_token_and_this_session(client, api):
    from threadline.actions.accounts import token_create

    user = _signed_in(client)
    api.token = token_create(user=user)
    assert "Sign out everywhere" in client.get("/accounts/data/").content.decode()
    assert client.get("/accounts/sign-out-everywhere/").status_code == 405
    r = client.post("/accounts/sign-out-everywhere/")
    assert r.status_code == 302
    assert api.get("/auth/me").json()["error"]["code"] == "invalid_token"
    assert client.get("/accounts/data/").status_code == 302  # signed out here too


def test_sign_out_everywhere_needs_the_csrf_token(db):
    from django.test import Client

    from tests.factories import UserFactory

    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="nadia"))
    assert client.post("/accounts/sign-out-everywhere/").status_code == 403
