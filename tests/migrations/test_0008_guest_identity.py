"""The upgrade: commenters a typed address identified stop identifying anyone, and their
bans become explicit e-mail bans, so upgrading lifts none."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from tests.factories import post_comment
from threadline.domain.identity import Actor, digest
from threadline.models import Ban, Commenter, Story

pytestmark = pytest.mark.django_db

migration = importlib.import_module("threadline.migrations.0008_guest_identity")


def _legacy(story: Story, email: str, **fields: object) -> Commenter:
    key = "email:" + digest(email)[:40]
    return Commenter.objects.create(site=story.site, key=key, email=email, **fields)


def test_typed_address_commenters_are_retired_and_their_bans_kept(story: Story) -> None:
    until = timezone.now() + timedelta(days=3)
    plain = _legacy(story, "ann@example.org", comments_published=12)
    forever = _legacy(story, "troll@example.org", banned_forever=True, ban_message="No")
    cooling = _legacy(story, "Hot@Example.org", banned_until=until)
    migration.retire_typed_addresses(apps, None)
    for c in (plain, forever, cooling):
        c.refresh_from_db()
        assert c.key.startswith("typed:") and c.key[6:] == digest(c.email)[:40]
    assert sorted(Ban.objects.values_list("value", "until", "message")) == [
        ("hot@example.org", until, ""),
        ("troll@example.org", None, "No"),
    ]
    # The address no longer reaches the retired record: a new guest typing it starts afresh.
    posted = post_comment(story, "Hi", actor=Actor(guest_key="new"), author_email="ann@example.org")
    assert posted.comment.commenter_id != plain.pk


def test_the_migration_runs_backwards(story: Story) -> None:
    plain = _legacy(story, "ann@example.org")
    migration.retire_typed_addresses(apps, None)
    migration.restore_typed_addresses(apps, None)
    plain.refresh_from_db()
    assert plain.key == "email:" + digest("ann@example.org")[:40]
