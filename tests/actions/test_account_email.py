"""An account's e-mail address: the link mailed on registration and on a change, what
confirming it means, and what a confirmed address is used for (the address a comment
carries for reply e-mails; bans by address)."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail, signing

from tests.factories import StoryFactory, UserFactory, post_comment
from threadline import errors
from threadline.actions.account_email import (
    account_email_confirm,
    account_email_confirmed,
    account_email_record,
    account_email_send_confirmation,
)
from threadline.actions.account_profile import account_password_reset_complete, account_update
from threadline.actions.accounts import token_create, user_create_external, user_register
from threadline.actions.bans import ban_create
from threadline.delivery.accountmail import EMAIL_CONFIRM_SALT, email_confirm_token
from threadline.domain.identity import Actor
from threadline.models import ApiToken, BanKind, Commenter, EmailConfirmation

pytestmark = pytest.mark.django_db

PASSWORD = "a long passphrase 1"


def _token_of(message: mail.EmailMessage) -> str:
    found = re.search(r"/accounts/email/confirm/([^/\s]+)/", message.body)
    assert found, message.body
    return found.group(1)


def test_registering_with_an_address_mails_a_link_that_confirms_it(
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user = user_register(username="ines", password=PASSWORD, email="Ines@Example.org")
    assert account_email_confirmed(user=user) == ""
    (message,) = mail.outbox
    assert message.to == ["Ines@Example.org"]
    assert "http://127.0.0.1:8000/accounts/email/confirm/" in message.body  # PUBLIC_URL

    assert account_email_confirm(token=_token_of(message)) == user
    assert account_email_confirmed(user=user) == "Ines@Example.org"
    assert EmailConfirmation.objects.get(user=user).email == "ines@example.org"
    account_email_confirm(token=_token_of(message))  # a second click changes nothing
    assert EmailConfirmation.objects.count() == 1


def test_registering_without_an_address_mails_nothing(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        user_register(username="noam", password=PASSWORD)
    assert mail.outbox == []


def test_an_invalid_address_is_refused_at_registration() -> None:
    with pytest.raises(errors.InvalidEmailError) as caught:
        user_register(username="oli", password=PASSWORD, email="not an address")
    assert caught.value.field == "email"


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        email_confirm_token(user_id=1, email="x@example.org") + "x",
        signing.dumps({"u": 1}, salt=EMAIL_CONFIRM_SALT),  # no address
        signing.dumps({"u": 1, "e": "x@example.org"}, salt="another.salt"),
    ],
)
def test_an_altered_link_is_refused(token: str) -> None:
    UserFactory(email="x@example.org")
    with pytest.raises(errors.EmailLinkInvalidError) as caught:
        account_email_confirm(token=token)
    assert caught.value.code == "email_link_invalid" and caught.value.status == 400


def test_an_old_link_has_expired(monkeypatch: pytest.MonkeyPatch) -> None:
    user = UserFactory(email="old@example.org")
    eight_days_ago = time.time() - 8 * 86400  # links live CONFIRM_LINK_MAX_AGE_DAYS (7)
    with monkeypatch.context() as m:
        m.setattr(signing.time, "time", lambda: eight_days_ago)
        token = email_confirm_token(user_id=user.pk, email=user.email)
    with pytest.raises(errors.EmailLinkExpiredError) as caught:
        account_email_confirm(token=token)
    assert caught.value.code == "email_link_expired"
    assert not EmailConfirmation.objects.exists()


def test_a_link_confirms_only_the_address_it_was_sent_to() -> None:
    user = UserFactory(email="first@example.org")
    token = email_confirm_token(user_id=user.pk, email="first@example.org")
    account_update(user=user, email="second@example.org")
    with pytest.raises(errors.EmailLinkInvalidError):
        account_email_confirm(token=token)
    assert account_email_confirmed(user=user) == ""


def test_a_disabled_account_cannot_confirm() -> None:
    user = UserFactory(email="gone@example.org", is_active=False)
    with pytest.raises(errors.EmailLinkInvalidError):
        account_email_confirm(token=email_confirm_token(user_id=user.pk, email=user.email))


def test_changing_the_address_unconfirms_it_and_mails_the_new_one(
    django_capture_on_commit_callbacks,
) -> None:
    user = UserFactory(email="a@example.org")
    account_email_record(user=user)
    assert account_email_confirmed(user=user) == "a@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        account_update(user=user, email="b@example.org")
    assert account_email_confirmed(user=user) == ""
    assert [m.to for m in mail.outbox] == [["b@example.org"]]
    account_email_confirm(token=_token_of(mail.outbox[0]))
    user.refresh_from_db()
    assert account_email_confirmed(user=user) == "b@example.org"


def test_the_job_sends_nothing_once_the_address_is_confirmed() -> None:
    user = UserFactory(email="c@example.org")
    account_email_record(user=user)
    assert account_email_send_confirmation(user_id=user.pk) == "skipped"
    assert account_email_send_confirmation(user_id=10**9) == "skipped"
    assert mail.outbox == []


def test_an_account_signed_in_from_elsewhere_has_its_address_vouched_for() -> None:
    user = user_create_external(username="sso-1-abc", name="Nadia", email="n@pub.example")
    assert account_email_confirmed(user=user) == "n@pub.example"


def test_a_comment_carries_the_account_address_only_once_confirmed(story) -> None:  # noqa: ANN001
    user = UserFactory(email="writer@example.org")
    actor = Actor(user=user, ip="127.0.0.1")
    first = post_comment(story, "Before confirming.", actor=actor).comment
    assert first.author_email == ""
    assert Commenter.objects.get(key=f"user:{user.pk}").email == ""

    account_email_record(user=user)
    second = post_comment(story, "After confirming.", actor=actor).comment
    assert second.author_email == "writer@example.org"
    # The desk sees the confirmed address on the account's record.
    assert Commenter.objects.get(key=f"user:{user.pk}").email == "writer@example.org"


@pytest.mark.parametrize("confirmed", [False, True])
def test_a_ban_on_the_account_address_refuses_its_posts(story, confirmed: bool) -> None:  # noqa: ANN001
    user = UserFactory(email="Banned@Example.org")
    if confirmed:
        account_email_record(user=user)
    ban_create(site=story.site, kind=BanKind.EMAIL, value="banned@example.org", actor=None)
    with pytest.raises(errors.BannedError):
        post_comment(story, "Let me in.", actor=Actor(user=user, ip="127.0.0.1"))


def test_completing_a_password_reset_confirms_the_address_and_signs_out_the_widget() -> None:
    user = UserFactory(email="reset@example.org")
    token_create(user=user)
    account_password_reset_complete(user=user)
    assert account_email_confirmed(user=user) == "reset@example.org"
    assert not ApiToken.objects.filter(user=user).exists()


def test_recording_twice_writes_once() -> None:
    user = UserFactory(email="twice@example.org")
    assert account_email_record(user=user) is True
    assert account_email_record(user=user) is False
    nobody = UserFactory(email="")
    assert account_email_record(user=nobody) is False


def test_a_guest_comment_keeps_the_address_typed_into_it(site) -> None:  # noqa: ANN001
    story = StoryFactory(site=site)
    posted = post_comment(story, "Guest text", name="Gil", author_email="gil@example.org")
    assert posted.comment.author_email == "gil@example.org"  # a guest's typed address stays


def test_the_confirmation_is_in_the_readers_data_and_goes_with_the_account() -> None:
    from threadline.actions.datarights import person_erase, person_export, person_for_user

    user = UserFactory(email="mine@example.org")
    account_email_record(user=user)
    exported = person_export(person=person_for_user(user=user))["account"]["email_confirmed"]
    assert [e["email"] for e in exported] == ["mine@example.org"]
    person_erase(person=person_for_user(user=user))
    assert not EmailConfirmation.objects.exists()
