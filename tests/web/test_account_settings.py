"""Accounts on the reader pages: signing up with a display name and an address, the link
that confirms it, and the settings page where a reader changes either. Bad input is a form
error with a 4xx, never a 500."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from tests.factories import UserFactory
from threadline.actions.account_email import account_email_confirmed, account_email_record
from threadline.actions.accounts import user_create_external
from threadline.delivery.accountmail import email_confirm_token

pytestmark = pytest.mark.django_db

PASSWORD = "a long passphrase 1"


def _link_path(message: Any) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/email/confirm/[^\s]+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_signing_up_with_a_display_name_and_an_address_then_confirming_it(
    client,  # noqa: ANN001
    db,  # noqa: ANN001
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    form = {
        "username": "hk77",
        "password": PASSWORD,
        "display_name": "Hana Kim",
        "email": "hana@example.org",
    }
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/accounts/signup/", form)
    assert r.status_code == 302
    page = client.get("/").content.decode()
    assert "Signed in as <strong>Hana Kim</strong>" in page
    assert "We sent a link to hana@example.org" in page
    (message,) = mail.outbox
    settings_page = client.get("/accounts/settings/").content.decode()
    assert "hana@example.org is not confirmed yet" in settings_page

    client.logout()  # the link works without signing in
    r = client.get(_link_path(message))
    assert (
        r.status_code == 200 and "hana@example.org is the confirmed address" in r.content.decode()
    )
    assert r["Referrer-Policy"] == "same-origin"  # the token never leaves for another site
    client.post("/accounts/login/", {"username": "hk77", "password": PASSWORD})
    assert "✓ hana@example.org is confirmed." in client.get("/accounts/settings/").content.decode()


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"display_name": "Bad\u202ename"}, "display_name"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_signup_errors_mark_the_field(client, db, form: dict, field: str) -> None:  # noqa: ANN001
    r = client.post("/accounts/signup/", {"username": "someone", "password": PASSWORD, **form})
    assert r.status_code == 400
    assert re.search(f'name="{field}"[^>]*aria-invalid="true"', r.content.decode())


def test_a_confirmation_link_that_was_altered_or_is_stale_is_a_clear_400(client) -> None:  # noqa: ANN001
    user = UserFactory(email="first@example.org")
    stale = email_confirm_token(user_id=user.pk, email="earlier@example.org")
    for token in ("nonsense", stale):
        r = client.get(f"/accounts/email/confirm/{token}/")
        assert r.status_code == 400, token
    assert "no longer uses" in client.get(f"/accounts/email/confirm/{stale}/").content.decode()
    assert account_email_confirmed(user=user) == ""


def test_the_settings_page_changes_the_display_name(client) -> None:  # noqa: ANN001
    user = UserFactory(username="settler", first_name="Old")
    client.force_login(user)
    r = client.post("/accounts/settings/", {"display_name": "New Name", "email": user.email})
    assert r.status_code == 302 and r["Location"] == "/accounts/settings/"
    page = client.get("/accounts/settings/").content.decode()
    assert "Your settings are saved." in page and "Others see you as <strong>New Name" in page
    assert mail.outbox == []  # the address did not change


def test_a_reserved_name_is_a_form_error_that_keeps_what_was_typed(client, site) -> None:  # noqa: ANN001
    site.reserved_names = "Editor in Chief"
    site.save()
    user = UserFactory(first_name="Reader")
    email = user.email
    client.force_login(user)
    r = client.post("/accounts/settings/", {"display_name": "editor-in-chief", "email": ""})
    assert r.status_code == 400
    page = r.content.decode()
    assert "reserved for a site" in page and 'value="editor-in-chief"' in page
    assert "Others see you as <strong>Reader" in page  # what is stored
    user.refresh_from_db()
    assert (user.first_name, user.email) == ("Reader", email)  # nothing of it was saved


def test_a_new_address_is_mailed_a_link_and_can_be_sent_again(
    client,  # noqa: ANN001
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    user = UserFactory(email="a@example.org")
    account_email_record(user=user)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/settings/", {"display_name": "", "email": "b@example.org"})
    assert [m.to for m in mail.outbox] == [["b@example.org"]]
    assert "We sent a link to b@example.org" in client.get("/accounts/settings/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/accounts/email/resend/")
    assert r.status_code == 302 and len(mail.outbox) == 2
    assert client.get(_link_path(mail.outbox[1])).status_code == 200
    r = client.post("/accounts/email/resend/", follow=True)
    assert "confirmed already" in r.content.decode() and len(mail.outbox) == 2


def test_settings_need_a_signed_in_reader(client, db) -> None:  # noqa: ANN001
    r = client.get("/accounts/settings/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    assert client.post("/accounts/email/resend/").status_code == 302
    assert client.get("/accounts/email/resend/").status_code in (302, 405)


def test_an_account_from_the_publishers_sign_in_is_told_where_to_change_it(client, db) -> None:  # noqa: ANN001
    user = user_create_external(username="sso-9-x", name="From Publisher", email="p@x.org")
    client.force_login(user)
    page = client.get("/accounts/settings/").content.decode()
    assert "come from the site you sign in with" in page and 'name="display_name"' not in page
    r = client.post("/accounts/settings/", {"display_name": "Mine", "email": ""})
    assert r.status_code == 403
