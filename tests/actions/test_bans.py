"""Explicit e-mail and IP bans: the values they store, the posts they refuse, their audit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import UserFactory, post_comment
from threadline import errors
from threadline.actions.bans import ban_check, ban_create, ban_lift, ban_value, ip_candidates
from threadline.domain.identity import Actor
from threadline.models import Ban, ModerationEvent, Story

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("email", " Troll@Example.ORG ", "troll@example.org"),
        ("ip", "203.0.113.7", "203.0.113.7"),
        ("ip", "203.0.113.7/32", "203.0.113.7"),
        ("ip", "203.0.113.7/24", "203.0.113.0/24"),
        ("ip", "203.0.0.0/16", "203.0.0.0/16"),
        ("ip", "::ffff:203.0.113.7", "203.0.113.7"),
        ("ip", "2001:DB8::1", "2001:db8::1"),
        ("ip", "2001:db8:0:0:1::/64", "2001:db8::/64"),
        ("ip", "2001:db8::/48", "2001:db8::/48"),
    ],
)
def test_ban_values_are_stored_in_one_form(kind: str, value: str, stored: str) -> None:
    assert ban_value(kind=kind, value=value) == stored


@pytest.mark.parametrize(
    ("kind", "value", "code"),
    [
        ("email", "not an address", "invalid_email"),
        ("ip", "203.0.113.999", "invalid"),
        ("ip", "10.0.0.0/8", "invalid"),  # too wide to be a moderator's quick choice
        ("ip", "2001:db8::/32", "invalid"),
        ("name", "Troll", "invalid"),
    ],
)
def test_bad_ban_values_are_refused(kind: str, value: str, code: str) -> None:
    with pytest.raises(errors.ThreadlineError) as exc:
        ban_value(kind=kind, value=value)
    assert exc.value.code == code


def test_the_candidates_of_an_address_have_a_fixed_length() -> None:
    v4, v6, none = ip_candidates("203.0.113.7"), ip_candidates("2001:db8::1"), ip_candidates(None)
    assert v4[:3] == ["203.0.113.7", "203.0.113.0/24", "203.0.0.0/16"]
    assert v6 == ["2001:db8::1", "2001:db8::/64", "2001:db8::/56", "2001:db8::/48"]
    assert len(v4) == len(v6) == len(none) and set(none) == {""}


@pytest.mark.parametrize(
    ("banned", "ip", "refused"),
    [
        ("203.0.113.7", "203.0.113.7", True),
        ("203.0.113.7", "203.0.113.8", False),
        ("203.0.113.0/24", "203.0.113.200", True),
        ("203.0.0.0/16", "203.0.200.1", True),
        ("203.0.113.0/24", "203.0.114.1", False),
        ("203.0.113.7", "::ffff:203.0.113.7", True),
        ("2001:db8::/64", "2001:db8::abcd", True),
        ("2001:db8::/64", "2001:db8:0:1::1", False),
        ("2001:db8::/48", "2001:db8:0:ff::1", True),
    ],
)
def test_an_ip_ban_refuses_the_address_or_network(
    story: Story, banned: str, ip: str, refused: bool
) -> None:
    ban_create(site=story.site, kind="ip", value=banned, actor=None, message="Go away")
    if refused:
        with pytest.raises(errors.BannedError) as exc:
            ban_check(site_id=story.site_id, email="", ip=ip)
        assert exc.value.message == "Go away"
    else:
        ban_check(site_id=story.site_id, email="", ip=ip)


def test_an_email_ban_holds_on_its_site_only_and_ignores_case(story: Story) -> None:
    from tests.factories import StoryFactory

    ban_create(site=story.site, kind="email", value="troll@example.org", actor=None)
    with pytest.raises(errors.BannedError):
        ban_check(site_id=story.site_id, email="TROLL@example.org ", ip=None)
    ban_check(site_id=StoryFactory().site_id, email="troll@example.org", ip=None)
    ban_check(site_id=story.site_id, email="", ip=None)


def test_an_expired_ban_refuses_nothing(story: Story) -> None:
    ban = ban_create(site=story.site, kind="ip", value="203.0.113.7", actor=None, days=1)
    Ban.objects.filter(pk=ban.pk).update(until=timezone.now() - timedelta(seconds=1))
    ban_check(site_id=story.site_id, email="", ip="203.0.113.7")


def test_posting_checks_the_bans_for_accounts_and_guests(story: Story) -> None:
    ban_create(site=story.site, kind="ip", value="198.51.100.0/24", actor=None)
    for actor in (
        Actor(guest_key="g", ip="198.51.100.4"),
        Actor(user=UserFactory(), ip="198.51.100.5"),
    ):
        with pytest.raises(errors.BannedError):
            post_comment(story, "Hello", actor=actor)
    assert post_comment(story, "Hello", actor=Actor(guest_key="g", ip="198.51.101.4")).comment.pk


def test_banning_again_replaces_the_term_and_lifting_is_audited(story: Story) -> None:
    moderator = UserFactory()
    ban_create(site=story.site, kind="email", value="a@example.org", actor=moderator, days=2)
    ban = ban_create(
        site=story.site, kind="email", value="A@example.org", actor=moderator, message="Again"
    )
    assert Ban.objects.count() == 1 and ban.until is None and ban.message == "Again"
    ban_lift(ban=ban, actor=moderator)
    assert not Ban.objects.exists()
    events = list(ModerationEvent.objects.order_by("id").values_list("action", "scores"))
    assert [a for a, _ in events] == ["ban", "ban", "unban"]
    assert events[0][1] == {"kind": "email", "value": "a@example.org", "days": 2}


def test_ban_days_out_of_range_are_refused(story: Story) -> None:
    with pytest.raises(errors.ValidationError):
        ban_create(site=story.site, kind="ip", value="203.0.113.7", actor=None, days=0)
