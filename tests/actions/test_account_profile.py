"""The name an account shows, apart from its user name: set at registration, changed later,
never a name reserved for a site's team; what a change reaches (new comments, the desk's
records, the staff-name cache) and what it leaves (earlier comments)."""

from __future__ import annotations

import pytest

from tests.factories import SiteFactory, UserFactory, post_comment
from threadline import errors
from threadline.actions.account_profile import account_update
from threadline.actions.accounts import user_create_external, user_register
from threadline.domain.identity import Actor
from threadline.domain.names import check_account_name, staff_names
from threadline.models import Commenter

pytestmark = pytest.mark.django_db

PASSWORD = "a long passphrase 1"


def test_the_display_name_is_set_at_registration_and_shown_on_comments(story) -> None:  # noqa: ANN001
    user = user_register(username="kb1987", password=PASSWORD, display_name="  Kim Berg ")
    assert (user.username, user.first_name) == ("kb1987", "Kim Berg")
    posted = post_comment(story, "Hello.", actor=Actor(user=user, ip="127.0.0.1")).comment
    assert posted.author_name == "Kim Berg"


def test_without_a_display_name_the_user_name_shows(story) -> None:  # noqa: ANN001
    user = user_register(username="plainname", password=PASSWORD)
    posted = post_comment(story, "Hello.", actor=Actor(user=user, ip="127.0.0.1")).comment
    assert posted.author_name == "plainname"


def test_a_new_display_name_reaches_new_comments_and_the_desk_not_old_comments(story) -> None:  # noqa: ANN001
    user = UserFactory(first_name="Old Name")
    actor = Actor(user=user, ip="127.0.0.1")
    before = post_comment(story, "Before.", actor=actor).comment
    account_update(user=user, display_name="New Name")
    after = post_comment(story, "After.", actor=actor).comment
    before.refresh_from_db()
    assert (before.author_name, after.author_name) == ("Old Name", "New Name")
    assert Commenter.objects.get(key=f"user:{user.pk}").display_name == "New Name"


def test_an_empty_display_name_falls_back_to_the_user_name() -> None:
    user = UserFactory(username="fallback", first_name="Some Name")
    account_update(user=user, display_name="")
    user.refresh_from_db()
    assert user.first_name == ""


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Line\nbreak", "control_characters"),
        ("Zero\u200bwidth", "control_characters"),
        ("x" * 101, "invalid"),
    ],
)
def test_a_bad_display_name_is_refused_and_nothing_changes(name: str, code: str) -> None:
    user = UserFactory(first_name="Kept")
    with pytest.raises(errors.ValidationError) as caught:
        account_update(user=user, display_name=name)
    assert (caught.value.code, caught.value.field) == (code, "display_name")
    user.refresh_from_db()
    assert user.first_name == "Kept"


def test_a_site_reserved_name_is_refused_at_registration_and_later() -> None:
    SiteFactory(reserved_names="The Editor\n# a comment line\nNewsroom")
    with pytest.raises(errors.NameReservedError) as caught:
        user_register(username="sneaky", password=PASSWORD, display_name="the  EDITOR")
    assert caught.value.field == "display_name"
    with pytest.raises(errors.NameReservedError) as caught:
        user_register(username="Newsroom", password=PASSWORD)  # shown as the user name
    assert caught.value.field == "username"
    user = UserFactory(first_name="Reader")
    with pytest.raises(errors.NameReservedError):
        account_update(user=user, display_name="News.room")


def test_a_moderators_name_is_refused_to_others_but_kept_by_the_moderator() -> None:
    site = SiteFactory()
    moderator = UserFactory(username="mod-jane", first_name="Jane Doe")
    site.moderators.add(moderator)
    with pytest.raises(errors.NameReservedError):
        user_register(username="janedoe2", password=PASSWORD, display_name="Jane Doe")
    account_update(user=moderator, display_name="Jane  Doe")  # their own name, respaced
    moderator.refresh_from_db()
    assert moderator.first_name == "Jane  Doe"


def test_a_superuser_may_take_any_name() -> None:
    SiteFactory(reserved_names="Editor")
    admin = UserFactory(is_superuser=True)
    check_account_name(name="Editor", user=admin)


def test_an_unchanged_name_is_not_checked_again() -> None:
    user = UserFactory(first_name="Desk")
    SiteFactory(reserved_names="Desk")  # reserved after the reader took it
    account_update(user=user, display_name="Desk", email="new@example.org")
    user.refresh_from_db()
    assert user.email == "new@example.org"


def test_a_moderators_new_name_reaches_the_staff_names(django_capture_on_commit_callbacks) -> None:
    site = SiteFactory()
    moderator = UserFactory(username="mod-x", first_name="Old Mod")
    site.moderators.add(moderator)
    assert "oldmod" in staff_names(site_id=site.pk)  # read once, now cached
    with django_capture_on_commit_callbacks(execute=True):
        account_update(user=moderator, display_name="Fresh Mod")
    assert "freshmod" in staff_names(site_id=site.pk)


def test_an_account_signed_in_from_elsewhere_cannot_change_its_name_here() -> None:
    user = user_create_external(username="sso-3-abc", name="From Publisher", email="p@x.org")
    with pytest.raises(errors.AccountManagedElsewhereError) as caught:
        account_update(user=user, display_name="Mine")
    assert caught.value.status == 403


def test_an_invalid_new_address_is_refused() -> None:
    user = UserFactory(email="ok@example.org")
    with pytest.raises(errors.InvalidEmailError):
        account_update(user=user, email="nope")
    user.refresh_from_db()
    assert user.email == "ok@example.org"
