"""What the widget needs of accounts through the API: the display name and the address,
changed with PATCH /auth/me; whether the address is confirmed; the link sent again."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core import mail

from tests.factories import SiteFactory
from threadline.actions.account_email import account_email_record
from threadline.actions.accounts import token_create, user_create_external

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(api, django_capture_on_commit_callbacks):  # noqa: ANN001,ANN201
    with django_capture_on_commit_callbacks(execute=True):
        r = api.post(
            "/auth/register",
            {
                "username": "widgetuser",
                "password": "a long passphrase 1",
                "email": "w@example.org",
                "display_name": "Widget User",
            },
        )
    assert r.status_code == 201, r.content
    api.token = r.json()["token"]
    return api


def test_registering_mails_a_link_and_me_says_the_address_is_unconfirmed(signed_in) -> None:  # noqa: ANN001
    assert [m.to for m in mail.outbox] == [["w@example.org"]]
    me = signed_in.get("/auth/me").json()
    assert me["display_name"] == "Widget User" and me["email_confirmed"] is False
    user = User.objects.get(username="widgetuser")
    assert me["profile_url"] == f"http://127.0.0.1:8000/readers/{user.pk}/"
    account_email_record(user=user)
    assert signed_in.get("/auth/me").json()["email_confirmed"] is True


def test_the_display_name_is_changed_with_patch(signed_in) -> None:  # noqa: ANN001
    r = signed_in.patch("/auth/me", {"display_name": "  Renamed  "})
    assert r.status_code == 200 and r.json()["display_name"] == "Renamed"
    assert r.json()["email"] == "w@example.org"  # left out: unchanged
    r = signed_in.patch("/auth/me", {"display_name": ""})
    assert r.json()["display_name"] == "widgetuser"


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"display_name": "The Editor"}, 400, "name_reserved", "display_name"),
        ({"display_name": "a\u0000b"}, 400, "control_characters", "display_name"),
        ({"display_name": "x" * 101}, 400, "invalid", "display_name"),
        ({"email": "nope"}, 400, "invalid_email", "email"),
    ],
)
def test_bad_changes_are_refused_with_a_stable_code(
    signed_in,  # noqa: ANN001
    body: dict,
    status: int,
    code: str,
    field: str,
) -> None:
    SiteFactory(reserved_names="The Editor")
    r = signed_in.patch("/auth/me", body)
    assert r.status_code == status, r.content
    assert r.json()["error"]["code"] == code and r.json()["error"]["field"] == field
    assert signed_in.get("/auth/me").json()["display_name"] == "Widget User"


def test_unknown_fields_and_strangers_are_refused(signed_in) -> None:  # noqa: ANN001
    assert signed_in.patch("/auth/me", {"username": "takeover"}).status_code in (400, 422)
    signed_in.token = ""
    r = signed_in.patch("/auth/me", {"display_name": "Anyone"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "not_authenticated"


def test_a_new_address_is_mailed_and_the_link_can_be_sent_again(
    signed_in,  # noqa: ANN001
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        r = signed_in.patch("/auth/me", {"email": "new@example.org"})
    assert r.json()["email_confirmed"] is False
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    with django_capture_on_commit_callbacks(execute=True):
        r = signed_in.post("/auth/me/email-confirmation")
    assert r.status_code == 202 and r.json() == {"status": "confirmation_sent"}
    assert len(mail.outbox) == 2
    account_email_record(user=User.objects.get(username="widgetuser"))
    r = signed_in.post("/auth/me/email-confirmation")
    assert r.json() == {"status": "already_confirmed"} and len(mail.outbox) == 2


def test_no_link_without_an_address(signed_in) -> None:  # noqa: ANN001
    signed_in.patch("/auth/me", {"email": ""})
    r = signed_in.post("/auth/me/email-confirmation")
    assert r.status_code == 400 and r.json()["error"]["field"] == "email"


def test_an_account_from_the_publishers_sign_in_changes_nothing_here(api) -> None:  # noqa: ANN001
    user = user_create_external(username="sso-5-q", name="From Publisher", email="p@x.org")
    api.token = token_create(user=user)
    assert api.get("/auth/me").json()["email_confirmed"] is True  # vouched for
    r = api.patch("/auth/me", {"display_name": "Mine"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "account_managed_elsewhere"
