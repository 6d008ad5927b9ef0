"""What readers see of moderation and of one another, against the database: a ban's terms,
a shadow ban, muting, the replies and mentions behind the unread badge, and the statement of
reasons mailed to a writer."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from tests.factories import UserFactory, post_comment
from threadline import errors, queries
from threadline.actions.commenters import commenter_ban, commenter_unban
from threadline.actions.comments import comment_edit
from threadline.actions.moderation_desk import comment_approve, comment_reject
from threadline.actions.mutes import mute_create, mute_remove
from threadline.actions.reader_notifications import (
    mentioned_users,
    reader_notifications_create,
    reader_notifications_read,
    rejection_notice_send,
)
from threadline.actions.subscriptions import subscription_unsubscribe
from threadline.delivery.notifications import unsubscribe_token
from threadline.domain.identity import Actor
from threadline.models import (
    Comment,
    CommentStatus,
    Mute,
    PremoderationMode,
    ReaderNotification,
    RejectionNotice,
    Subscription,
)

pytestmark = pytest.mark.django_db


def _as(user: Any) -> Actor:
    return Actor(user=user, ip="127.0.0.1")


# --- bans: the writer is told until when -----------------------------------------------


def test_a_banned_writer_is_told_when_the_ban_ends(story: Any) -> None:
    mallory = post_comment(story, "First.", name="Mallory").comment.commenter
    commenter_ban(commenter=mallory, actor=None, days=3, message="Cool off")
    with pytest.raises(errors.BannedError) as refused:
        post_comment(story, "Again.", name="Mallory")
    data = refused.value.data
    assert data["permanent"] is False and data["message"] == "Cool off"
    assert data["until"] == mallory.banned_until.isoformat()


def test_a_permanent_ban_says_so(story: Any) -> None:
    mallory = post_comment(story, "First.", name="Mallory").comment.commenter
    commenter_ban(commenter=mallory, actor=None, days=None)
    with pytest.raises(errors.BannedError) as refused:
        post_comment(story, "Again.", name="Mallory")
    assert refused.value.data == {"permanent": True, "until": None}


def test_an_address_ban_tells_its_term_too(story: Any) -> None:
    from threadline.actions.bans import ban_create

    ban = ban_create(site=story.site, kind="email", value="x@example.org", actor=None, days=2)
    with pytest.raises(errors.BannedError) as refused:
        post_comment(story, "Hello.", name="X", author_email="x@example.org")
    until = refused.value.data["until"]
    assert refused.value.data["permanent"] is False
    assert until[:19] == ban.until.isoformat()[:19]


# --- shadow bans -------------------------------------------------------------------------


@pytest.fixture
def shadowed(story: Any) -> Any:
    """Mallory, shadow-banned for a week after a first, published comment."""
    first = post_comment(story, "A first comment.", name="Mallory").comment
    return commenter_ban(commenter=first.commenter, actor=None, days=7, shadow=True)


def test_a_shadow_banned_writer_posts_as_if_published_and_nobody_else_sees_it(
    story: Any, shadowed: Any
) -> None:
    result = post_comment(story, "Nobody will read this.", name="Mallory")
    comment = result.comment
    assert comment.status == CommentStatus.REJECTED and comment.is_shadowed
    assert comment.status_for_writer == "published"
    page = queries.thread_page(story=story)
    assert comment.pk not in [c["id"] for c in page.comments]
    story.refresh_from_db()
    assert story.comment_count == 1  # the first comment only
    mine = queries.access_own_unseen_for_reader(
        story=story, comment_ids=[comment.pk], user=UserFactory()
    )
    assert [(c.pk, c.is_shadowed, c.statement[-1:]) for c in mine] == [
        (comment.pk, True, ["Author shadow-banned"])
    ]


def test_a_shadow_banned_writer_may_edit_and_answer_their_own_comment(
    story: Any, shadowed: Any
) -> None:
    actor = Actor(guest_key="guest-Mallory", ip="127.0.0.1")  # post_comment's default guest
    result = post_comment(story, "Still here.", name="Mallory")
    edited = comment_edit(
        comment=result.comment,
        actor=actor,
        body="Still here, edited.",
        edit_token=result.edit_token,
    )
    assert edited.status_for_writer == "published" and edited.is_shadowed
    reply = post_comment(story, "And more.", name="Mallory", parent=edited).comment
    assert reply.is_shadowed and reply.parent_id == edited.pk
    with pytest.raises(errors.ParentNotOpenError):
        post_comment(story, "What is this?", name="Bystander", parent=edited)


def test_a_held_comment_of_a_shadow_banned_writer_is_held_as_anyones(
    story: Any, shadowed: Any
) -> None:
    story.site.premoderation = PremoderationMode.ALL
    story.site.save(update_fields=["premoderation"])
    comment = post_comment(story, "Held, like everyone's.", name="Mallory").comment
    assert comment.status == CommentStatus.PENDING and not comment.is_shadowed


def test_a_moderator_can_let_a_shadowed_comment_out_and_lift_the_shadow_ban(
    story: Any, shadowed: Any
) -> None:
    comment = post_comment(story, "Worth reading after all.", name="Mallory").comment
    comment_approve(comment=comment, actor=UserFactory())
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED and not comment.is_shadowed
    commenter_unban(commenter=shadowed, actor=None)
    shadowed.refresh_from_db()
    assert not shadowed.ban_shadow
    assert post_comment(story, "Back.", name="Mallory").comment.status == "published"


def test_the_database_refuses_a_visible_shadowed_comment(story: Any) -> None:
    from django.db import IntegrityError, transaction

    comment = post_comment(story, "Plain.").comment
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(is_shadowed=True)


# --- muting ------------------------------------------------------------------------------


def test_a_reader_mutes_a_commenter_once_and_never_themselves(story: Any) -> None:
    reader = UserFactory()
    troll = post_comment(story, "Bait.", name="Troll").comment
    mine = post_comment(story, "Mine.", actor=_as(reader)).comment
    first = mute_create(user=reader, comment=troll)
    again = mute_create(user=reader, comment=post_comment(story, "More.", name="Troll").comment)
    assert first.pk == again.pk and first.name == "Troll" and Mute.objects.count() == 1
    with pytest.raises(errors.CannotMuteSelfError):
        mute_create(user=reader, comment=mine)
    mute_remove(mute=first)
    assert not Mute.objects.exists()


# --- replies and mentions ---------------------------------------------------------------


@pytest.fixture
def people(story: Any) -> dict[str, Any]:
    ann, bo = UserFactory(first_name="Ann Lee"), UserFactory(first_name="Bo")
    return {
        "ann": ann,
        "bo": bo,
        "ann_comment": post_comment(story, "Ann's view.", actor=_as(ann)).comment,
        "bo_comment": post_comment(story, "Bo's view.", actor=_as(bo)).comment,
    }


def test_mentions_match_signed_in_participants_by_their_whole_name(
    story: Any, people: dict[str, Any]
) -> None:
    said = post_comment(story, "I agree with @ann lee, not with @Bob.", name="Cy").comment
    assert mentioned_users(comment=said) == {people["ann"].pk}
    said = post_comment(story, "Ask @Bo, or mail bo@Bo.example.", name="Cy").comment
    assert mentioned_users(comment=said) == {people["bo"].pk}


def test_a_reply_and_a_mention_each_notify_once_and_never_the_writer(
    story: Any, people: dict[str, Any]
) -> None:
    reply = post_comment(
        story,
        "Right, and @Bo and @Ann Lee too.",
        actor=_as(people["ann"]),
        parent=people["bo_comment"],
    ).comment
    assert reader_notifications_create(comment_id=reply.pk).startswith("notified 1")
    reader_notifications_create(comment_id=reply.pk)  # the job again: nothing twice
    rows = list(ReaderNotification.objects.values_list("user_id", "kind"))
    assert rows == [(people["bo"].pk, "reply")]  # Ann wrote it: not told
    assert reader_notifications_read(user=people["bo"], site_id=story.site_id) == 1
    assert reader_notifications_read(user=people["bo"], site_id=story.site_id) == 0


def test_a_mention_is_mailed_only_to_an_address_that_takes_the_sites_mail(
    story: Any, people: dict[str, Any]
) -> None:
    bo = people["bo"]
    said = post_comment(story, "As @Bo said.", name="Cy").comment
    reader_notifications_create(comment_id=said.pk)
    assert mail.outbox == []  # Bo never opted in
    Subscription.objects.create(site=story.site, email=bo.email, verified_at=said.created_at)
    again = post_comment(story, "Yes, @Bo.", name="Dee").comment
    reader_notifications_create(comment_id=again.pk)
    reader_notifications_create(comment_id=again.pk)
    assert [m.to for m in mail.outbox] == [[bo.email]]
    message = mail.outbox[0]
    assert "Dee mentioned you" in message.subject and "Yes, @Bo." in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]


def test_the_listener_queues_notifications_for_a_reply_to_an_account(
    story: Any, people: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(story, "A reply.", name="Cy", parent=people["ann_comment"])
    assert ReaderNotification.objects.get().user_id == people["ann"].pk


# --- the statement of reasons, by e-mail -------------------------------------------------


def test_a_rejected_writer_is_mailed_the_statement_of_reasons_once(
    story: Any, django_capture_on_commit_callbacks: Any
) -> None:
    comment = post_comment(story, "Borderline.", name="Ann", author_email="ann@example.org").comment
    with django_capture_on_commit_callbacks(execute=True):
        comment_reject(comment=comment, actor=UserFactory(), reason_code="harassment", note="Aimed")
    assert rejection_notice_send(comment_id=comment.pk) == "skipped"  # sent already
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ann@example.org"] and "was not published" in message.subject
    assert "- Harassment\n- Aimed" in message.body and "Borderline." in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert RejectionNotice.objects.get().sent_at is not None


def test_an_unsubscribed_address_gets_no_statement_and_no_address_gets_none(
    story: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sub = Subscription.objects.create(site=story.site, email="ann@example.org")
    subscription_unsubscribe(token=unsubscribe_token(sub))
    quiet = post_comment(story, "One.", name="Ann", author_email="Ann@Example.org").comment
    anonymous = post_comment(story, "Two.", name="Bo").comment
    with django_capture_on_commit_callbacks(execute=True):
        comment_reject(comment=quiet, actor=None, reason_code="spam")
        comment_reject(comment=anonymous, actor=None, reason_code="spam")
    assert mail.outbox == []


def test_the_pipelines_own_rejection_is_not_mailed(story: Any) -> None:
    from threadline.actions.comments import comment_set_status
    from threadline.models import ModerationAction

    comment = post_comment(story, "Spam spam.", name="Ann", author_email="ann@example.org").comment
    comment_set_status(
        comment=comment,
        status=CommentStatus.REJECTED,
        action=ModerationAction.REJECT,
        source="pipeline",
        reasons=["Toxic 0.99"],
    )
    assert rejection_notice_send(comment_id=comment.pk) == "skipped"
    statement = queries.access_own_unseen_for_reader(
        story=story, comment_ids=[comment.pk], user=UserFactory()
    )[0].statement
    assert statement == ["Toxic language"]  # no score for the writer to tune against


def test_mutes_are_in_the_muters_data_and_lose_the_erased_name(story: Any) -> None:
    from threadline.actions.datarights import person_erase, person_export, person_for_user

    reader, troll_account = UserFactory(), UserFactory(first_name="Troll")
    troll = post_comment(story, "Bait.", actor=_as(troll_account)).comment
    mute_create(user=reader, comment=troll)
    exported = person_export(person=person_for_user(user=reader))
    assert [(m["site"], m["name"]) for m in exported["mutes"]] == [(story.site.name, "Troll")]
    person_erase(person=person_for_user(user=troll_account))
    assert Mute.objects.get().name == ""  # the mute holds; the name the erased bore goes
