"""Whom a post belongs to: what the server can verify (an account, a confirmed address, the
browser's own key), never the address a guest types."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import UserFactory, post_comment
from threadline import errors
from threadline.actions.commenters import (
    commenter_ban,
    commenter_bind_address,
    commenter_for,
    commenter_key,
)
from threadline.actions.moderation_desk import comment_approve
from threadline.domain.identity import Actor
from threadline.models import Ban, Commenter, Story

pytestmark = pytest.mark.django_db

SHARED = "shared@example.org"


def _browser(name: str) -> Actor:
    return Actor(guest_key=f"browser-of-{name}", ip="192.0.2.1")


def _post(story: Story, who: str, body: str = "A civil remark.", **kw: Any) -> Any:
    return post_comment(story, body, name=who, actor=_browser(who), author_email=SHARED, **kw)


@pytest.fixture
def new_held(story: Story) -> Story:
    """A story whose site holds every new commenter's first comment."""
    story.site.premoderation = "new"
    story.site.save(update_fields=["premoderation"])
    return story


def test_two_guests_typing_one_address_are_two_commenters(story: Story) -> None:
    alice = _post(story, "Alice").comment
    mallory = _post(story, "Mallory").comment
    assert alice.commenter_id != mallory.commenter_id
    assert Commenter.objects.get(pk=alice.commenter_id).comments_total == 1
    assert Commenter.objects.get(pk=mallory.commenter_id).comments_total == 1


def test_a_second_guest_typing_a_trusted_address_is_still_new(new_held: Story) -> None:
    moderator = UserFactory()
    first = _post(new_held, "Alice")
    assert first.comment.status == "pending"  # a new commenter's first comment
    comment_approve(comment=first.comment, actor=moderator)
    assert _post(new_held, "Alice", "Another remark.").comment.status == "published"
    mallory = _post(new_held, "Mallory", "My remark.")
    assert mallory.comment.status == "pending"
    assert "Pre-moderation: new commenter" in mallory.decision.reasons


def test_banning_one_guest_leaves_another_with_the_same_address_alone(story: Story) -> None:
    _post(story, "Alice")
    mallory = _post(story, "Mallory").comment
    commenter_ban(commenter=mallory.commenter, actor=UserFactory())
    with pytest.raises(errors.BannedError):
        _post(story, "Mallory", "Again.")
    assert _post(story, "Alice", "Still here.").comment.status == "published"


def test_a_guest_without_a_browser_key_gets_a_commenter_per_post(story: Story) -> None:
    keyless = Actor(ip="192.0.2.9")
    one = post_comment(story, "First.", actor=keyless, author_email=SHARED).comment
    two = post_comment(story, "Second.", actor=keyless, author_email=SHARED).comment
    assert one.commenter_id != two.commenter_id
    assert one.commenter.key.startswith("post:") and one.commenter.email == SHARED


def test_the_key_never_comes_from_a_typed_address() -> None:
    guest = _browser("Alice")
    assert commenter_key(actor=guest) == guest.device_key
    assert commenter_key(actor=Actor(guest_key="other")) != guest.device_key
    account = Actor(user=UserFactory())
    assert commenter_key(actor=account, address=SHARED) == f"user:{account.user_id}"
    assert commenter_key(actor=guest, address=SHARED).startswith("email:")  # vouched for


def test_a_confirmed_address_identifies_its_owner_on_each_browser_they_confirm(
    story: Story,
) -> None:
    before = _post(story, "Alice").comment  # the browser's own record, before confirming
    for name in ("Alice", "Alice-phone"):
        commenter_bind_address(site=story.site, device_key=_browser(name).device_key, email=SHARED)
    on_laptop = _post(story, "Alice", "From the laptop.").comment
    on_phone = _post(story, "Alice-phone", "From the phone.").comment
    assert on_laptop.commenter_id == on_phone.commenter_id != before.commenter_id
    address = Commenter.objects.get(pk=on_laptop.commenter_id)
    assert address.known_by == "address" and address.email == SHARED
    assert address.comments_total == 2
    # Someone typing the confirmed address in their own browser is not its owner.
    assert _post(story, "Mallory").comment.commenter_id != address.pk


def test_binding_is_idempotent_and_only_for_browsers(story: Story) -> None:
    key = _browser("Alice").device_key
    first = commenter_bind_address(site=story.site, device_key=key, email="Ann@Example.org")
    again = commenter_bind_address(site=story.site, device_key=key, email="ann@example.org")
    assert first.pk == again.pk and Commenter.objects.filter(identity=first).count() == 1
    with pytest.raises(errors.ValidationError):
        commenter_bind_address(site=story.site, device_key="user:1", email=SHARED)


def test_trust_and_bans_follow_the_confirmed_address(new_held: Story) -> None:
    moderator = UserFactory()
    for name in ("Alice", "Alice-phone"):
        commenter_bind_address(
            site=new_held.site, device_key=_browser(name).device_key, email=SHARED
        )
    comment_approve(comment=_post(new_held, "Alice").comment, actor=moderator)
    # Trusted on the other browser too: the trust is the address's.
    assert _post(new_held, "Alice-phone", "Hello again.").comment.status == "published"
    address = Commenter.objects.get(key__startswith="email:")
    commenter_ban(commenter=address, actor=moderator)
    for name in ("Alice", "Alice-phone"):
        with pytest.raises(errors.BannedError):
            _post(new_held, name, "Let me in.")


def test_a_banned_browser_stays_banned_after_confirming_an_address(story: Story) -> None:
    banned = _post(story, "Mallory").comment.commenter
    commenter_ban(commenter=banned, actor=UserFactory(), days=3)
    commenter_bind_address(site=story.site, device_key=banned.key, email="clean@example.org")
    with pytest.raises(errors.BannedError):
        _post(story, "Mallory", "A fresh start?")


def test_an_explicit_email_ban_refuses_anyone_who_types_the_address(story: Story) -> None:
    mallory = _post(story, "Mallory").comment
    commenter_ban(commenter=mallory.commenter, actor=UserFactory(), email=SHARED.upper())
    assert Ban.objects.get().value == SHARED
    for who in ("Mallory", "Alice", "Somebody new"):
        with pytest.raises(errors.BannedError):
            _post(story, who, "Hello?")
    assert post_comment(story, "Another address.", name="Alice", actor=_browser("Alice"))


def test_a_bad_explicit_ban_leaves_the_commenter_unbanned(story: Story) -> None:
    mallory = _post(story, "Mallory").comment.commenter
    with pytest.raises(errors.ValidationError):
        commenter_ban(commenter=mallory, actor=UserFactory(), ip="10.0.0.0/9")
    mallory.refresh_from_db()
    assert not mallory.banned_forever and not Ban.objects.exists()


def test_commenter_for_without_create_returns_an_unsaved_record(story: Story) -> None:
    found = commenter_for(site=story.site, actor=_browser("New"), name="New", create=False)
    assert found.pk is None and found.key == _browser("New").device_key
