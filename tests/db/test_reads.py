"""The one-query checks in ``threadline.db.reads`` answer what the ORM queries they
replace answer (on SQLite and on PostgreSQL), each in one query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import SiteFactory, StoryFactory, UserFactory, post_comment
from threadline.db import reads
from threadline.models import Comment, ModeratorDigest, Story, Subscription, Webhook
from threadline.server import threadcache

pytestmark = pytest.mark.django_db


def _one_query(call):  # noqa: ANN001,ANN202
    with CaptureQueriesContext(connection) as queries:
        result = call()
    assert len(queries) == 1
    return result


def test_story_page_state_is_the_version_and_the_sites_page_fields(story: Story) -> None:
    post_comment(story)
    story.refresh_from_db()
    fields = threadcache.PAGE_SITE_FIELDS
    values = _one_query(lambda: reads.story_page_state(story.pk, fields))
    assert values == [story.version, *(getattr(story.site, name) for name in fields)]
    assert reads.story_page_state(story.pk + 1000, fields) is None


def test_comment_state_is_the_comment_and_its_storys_version(story: Story) -> None:
    top = post_comment(story).comment
    reply = post_comment(story, parent=top).comment
    story.refresh_from_db()
    state = _one_query(lambda: reads.comment_state(comment_id=reply.pk))
    row = Comment.objects.values_list("story_id", "site_id", "parent_id", "status").get(pk=reply.pk)
    assert state == (*row, story.version)
    assert reads.comment_state(comment_id=reply.pk + 1000) is None


def test_a_paused_webhook_does_not_count(story: Story) -> None:
    site = story.site
    assert _one_query(lambda: reads.webhook_active_exists(site_id=site.pk)) is False
    hook = Webhook.objects.create(site=site, url="https://hooks.example/a", is_active=False)
    assert reads.webhook_active_exists(site_id=site.pk) is False
    Webhook.objects.filter(pk=hook.pk).update(is_active=True)
    assert reads.webhook_active_exists(site_id=site.pk) is True
    assert reads.webhook_active_exists(site_id=SiteFactory().pk) is False


def test_only_a_verified_address_still_subscribed_counts(story: Story) -> None:
    site = story.site
    sub = Subscription.objects.create(site=site, email="ann@example.org")
    assert _one_query(lambda: reads.subscription_active_exists(site_id=site.pk)) is False
    Subscription.objects.filter(pk=sub.pk).update(verified_at=timezone.now())
    assert reads.subscription_active_exists(site_id=site.pk) is True
    Subscription.objects.filter(pk=sub.pk).update(unsubscribed_at=timezone.now())
    assert reads.subscription_active_exists(site_id=site.pk) is False


def test_digest_state_is_the_orms_answer(story: Story) -> None:
    site = story.site
    now = timezone.now()
    recent, has_recipient = _one_query(lambda: reads.digest_state(site_id=site.pk, sent_after=now))
    assert (bool(recent), bool(has_recipient)) == (False, False)
    site.moderators.add(UserFactory(email=""))
    assert not reads.digest_state(site_id=site.pk, sent_after=now)[1]  # no address
    site.moderators.add(UserFactory())
    ModeratorDigest.objects.create(site=site, last_sent_at=now)
    for cutoff in (now - timedelta(minutes=1), now, now + timedelta(minutes=1)):
        recent, has_recipient = reads.digest_state(site_id=site.pk, sent_after=cutoff)
        orm = ModeratorDigest.objects.filter(site=site, last_sent_at__gt=cutoff).exists()
        assert (bool(recent), bool(has_recipient)) == (orm, True)
    other = StoryFactory().site
    assert not any(reads.digest_state(site_id=other.pk, sent_after=now))


def test_ping_runs_one_statement() -> None:
    _one_query(reads.ping)
