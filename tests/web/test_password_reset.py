"""Password reset on the reader pages, with Django's views and tokens: linked from the
sign-in page, the same answer for known and unknown addresses, a link to the public URL
that works once, and what completing it does (address confirmed, widget signed out)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from tests.factories import UserFactory
from threadline.actions.account_email import account_email_confirmed
from threadline.actions.accounts import token_create, user_create_external
from threadline.models import ApiToken

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 7"


def _reset_path(message: Any) -> str:
    found = re.search(r"http://127\.0\.0\.1:8000(/accounts/password/reset/[^\s]+/)", message.body)
    assert found, message.body  # THREADLINE_PUBLIC_URL, never the request's Host
    return found.group(1)


def test_the_sign_in_page_links_to_the_reset(client, db) -> None:  # noqa: ANN001
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/reset/"' in page and "Forgot your password?" in page
    form = client.get("/accounts/password/reset/")
    assert form.status_code == 200 and "Reset your password" in form.content.decode()


def test_a_reader_resets_their_password_once(client) -> None:  # noqa: ANN001
    user = UserFactory(username="forgetful", email="Forgetful@Example.org")
    token_create(user=user)
    r = client.post("/accounts/password/reset/", {"email": "forgetful@example.org"})
    assert r.status_code == 302 and r["Location"] == "/accounts/password/reset/sent/"
    (message,) = mail.outbox
    assert message.to == ["Forgetful@Example.org"] and "forgetful" in message.body
    assert message.subject == "Reset your password for your comments account"

    r = client.get(_reset_path(message), follow=True)  # Django swaps the token for a session
    assert "Choose a new password" in r.content.decode()
    form_url = r.redirect_chain[-1][0]
    r = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/accounts/password/reset/done/"
    assert "Your password is changed" in client.get(r["Location"]).content.decode()

    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert account_email_confirmed(user=user) == "Forgetful@Example.org"
    assert not ApiToken.objects.filter(user=user).exists()
    again = client.get(_reset_path(message)).content.decode()
    assert "This link does not work any more" in again


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, db) -> None:  # noqa: ANN001
    r = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert r.status_code == 302 and r["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_an_account_from_elsewhere_gets_no_reset_mail(client, db) -> None:  # noqa: ANN001
    user_create_external(username="sso-4-z", name="Publisher Reader", email="pr@example.org")
    client.post("/accounts/password/reset/", {"email": "pr@example.org"})
    assert mail.outbox == []


@pytest.mark.parametrize("email", ["", "not an address", "x" * 300 + "@example.org"])
def test_a_bad_address_is_a_form_error(client, db, email: str) -> None:  # noqa: ANN001
    r = client.post("/accounts/password/reset/", {"email": email})
    assert r.status_code == 400
    assert 'aria-invalid="true"' in r.content.decode() and mail.outbox == []


def test_mismatched_or_weak_new_passwords_are_form_errors(client) -> None:  # noqa: ANN001
    UserFactory(email="weak@example.org")
    client.post("/accounts/password/reset/", {"email": "weak@example.org"})
    r = client.get(_reset_path(mail.outbox[0]), follow=True)
    form_url = r.redirect_chain[-1][0]
    for one, two in ((NEW_PASSWORD, NEW_PASSWORD + "x"), ("password", "password")):
        r = client.post(form_url, {"new_password1": one, "new_password2": two})
        assert r.status_code == 400 and 'class="error"' in r.content.decode()


def test_a_made_up_link_does_not_work(client, db) -> None:  # noqa: ANN001
    r = client.get("/accounts/password/reset/MQ/abc-123/")
    assert r.status_code == 200 and "This link does not work any more" in r.content.decode()


def test_asking_too_often_is_rate_limited(client, db, settings) -> None:  # noqa: ANN001
    settings.THREADLINE = {**settings.THREADLINE, "RATE_LIMIT_AUTH_IP": "2/60"}
    for _ in range(2):
        client.post("/accounts/password/reset/", {"email": "x@example.org"})
    r = client.post("/accounts/password/reset/", {"email": "x@example.org"})
    assert r.status_code == 429 and r["Retry-After"]
