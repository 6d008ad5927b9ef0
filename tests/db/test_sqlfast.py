"""Prepared reads and inserts give the same instances and rows as the ORM, on SQLite and
PostgreSQL: converters (datetimes, booleans, JSON), related caches, keys, errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.db.models.signals import pre_save

from tests.factories import post_comment
from threadline.db import sqlfast
from threadline.models import Comment, Commenter, ModerationEvent, Story

pytestmark = pytest.mark.django_db


def _values(obj: Model) -> dict[str, tuple[object, type]]:
    return {
        f.attname: (getattr(obj, f.attname), type(getattr(obj, f.attname)))
        for f in obj._meta.concrete_fields
    }


def test_a_story_and_its_site_read_as_the_orm_reads_them(story):
    Story.objects.filter(pk=story.pk).update(published_at=dt.datetime(2024, 5, 1, tzinfo=dt.UTC))
    orm = Story.objects.select_related("site").get(pk=story.pk)
    fast = sqlfast.get_unique(Story, pk=story.pk, related=("site",))
    assert fast is not None
    assert _values(fast) == _values(orm)
    assert fast.published_at.tzinfo is not None
    assert (fast._state.adding, fast._state.db) == (False, "default")
    # The site came with the story: reading it costs nothing more.
    with connection.execute_wrapper(_no_queries):
        assert _values(fast.site) == _values(orm.site)
        assert isinstance(fast.site.allowed_origins, list) and fast.site.guest_posting is True


def _no_queries(*args: object) -> None:
    raise AssertionError("a query ran")


def test_a_comment_reads_with_json_null_and_boolean_columns_intact(story):
    parent = post_comment(story, "Top").comment
    reply = post_comment(story, "Below", parent=parent).comment
    Comment.objects.filter(pk=reply.pk).update(
        moderation_reasons=["Held: 'x'", {"k": 1}], is_pinned=True, toxicity=0.25
    )
    orm = Comment.objects.get(pk=reply.pk)
    fast = sqlfast.get_unique(Comment, pk=reply.pk, story_id=story.pk)
    assert fast is not None
    assert _values(fast) == _values(orm)
    assert fast.moderation_reasons == ["Held: 'x'", {"k": 1}] and fast.is_pinned is True


def test_a_nullable_foreign_key_joins_as_none_without_a_query(story):
    top = post_comment(story, "Top").comment
    fast = sqlfast.get_unique(Comment, pk=top.pk, related=("parent",))
    with connection.execute_wrapper(_no_queries):
        assert fast is not None and fast.parent is None


def test_no_row_gives_none(story):
    assert sqlfast.get_unique(Story, pk=story.pk + 1000) is None
    assert sqlfast.get_unique(Commenter, site_id=story.site_id, key="nobody") is None
    # Out of any integer column's range: no row, not an OverflowError.
    assert sqlfast.get_unique(Story, pk=10**30, related=("site",)) is None
    assert sqlfast.get_unique(Comment, pk=1, story_id=-(10**30)) is None


def test_a_null_lookup_is_refused():
    with pytest.raises(ValueError, match="None"):
        sqlfast.get_unique(Story, pk=None)


def test_an_insert_stores_what_the_orm_would_store(story):
    made = sqlfast.insert(
        Commenter(site=story.site, key="email:abc", display_name="Ann", email="a@example.org")
    )
    assert made.pk is not None and made.created_at is not None  # auto_now_add ran
    assert (made._state.adding, made._state.db) == (False, "default")
    orm = Commenter.objects.create(site=story.site, key="email:def", display_name="Ann")
    assert _values(Commenter.objects.get(pk=made.pk)) == _values(made)
    assert orm.pk == made.pk + 1  # the same sequence


def test_an_insert_keeps_json_and_nulls(story):
    comment = post_comment(story, "Audit me").comment
    event = sqlfast.insert(
        ModerationEvent(
            site_id=story.site_id,
            comment=comment,
            source="pipeline",
            action="hold",
            reasons=["Because"],
            scores={"toxicity": {"value": 0.5}},
        )
    )
    stored = ModerationEvent.objects.get(pk=event.pk)
    assert (stored.reasons, stored.scores) == (["Because"], {"toxicity": {"value": 0.5}})
    assert stored.actor_id is None and stored.comment_id == comment.pk


def test_a_duplicate_insert_raises_and_marks_the_transaction_for_rollback(story):
    sqlfast.insert(Commenter(site=story.site, key="dup"))
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            sqlfast.insert(Commenter(site=story.site, key="dup"))
        # As after a failed ORM write: the block can only be rolled back now.
        assert transaction.get_rollback()
    assert Commenter.objects.filter(key="dup").count() == 1


def test_an_insert_of_a_model_with_save_receivers_goes_through_save(story):
    seen: list[str] = []

    def receiver(sender: type, instance: Commenter, **kw: object) -> None:
        seen.append(instance.key)

    pre_save.connect(receiver, sender=Commenter)
    try:
        made = sqlfast.insert(Commenter(site=story.site, key="watched"))
    finally:
        pre_save.disconnect(receiver, sender=Commenter)
    assert seen == ["watched"] and Commenter.objects.filter(pk=made.pk).exists()
