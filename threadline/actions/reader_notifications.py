"""Telling readers what concerns them: a reply to a signed-in reader's comment, or an @name
naming them, goes to their unread badge in the widget (and by e-mail where their address
takes e-mails from the site); the writer of a comment a moderator rejected is e-mailed the
statement of reasons. The job bodies here re-read and re-check, and each message has a row,
so a job that runs twice tells nobody twice."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from threadline.delivery import notifications
from threadline.models import (
    Comment,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
    NotificationKind,
    ReaderNotification,
    RejectionNotice,
    Subscription,
)
from threadline.queries import statement_of_reasons

# Signed-in participants a comment's @names are matched against (the story's latest).
MAX_PARTICIPANTS = 500


def mentioned_users(*, comment: Comment) -> set[int]:
    """The signed-in readers who commented on the story and whom ``comment`` names with
    "@" and their name (spaces allowed, case ignored, not inside a longer word). No query
    for a comment without "@"; one otherwise."""
    if "@" not in comment.body:
        return set()
    rows = (
        Comment.objects.filter(
            story_id=comment.story_id, status=CommentStatus.PUBLISHED, user_id__isnull=False
        )
        .order_by("-created_at")
        .values_list("user_id", "author_name")[:MAX_PARTICIPANTS]
    )
    found: set[int] = set()
    for user_id, name in rows:
        if name and re.search(rf"(?<![\w@])@{re.escape(name)}(?!\w)", comment.body, re.I):
            found.add(user_id)
    return found


def _targets(comment: Comment) -> dict[int, str]:
    """{user id: kind}: the parent's author for a reply, then everyone @named; never the
    writer themselves."""
    targets: dict[int, str] = {}
    parent = comment.parent
    if parent is not None and parent.user_id and parent.status == CommentStatus.PUBLISHED:
        targets[parent.user_id] = NotificationKind.REPLY
    for user_id in mentioned_users(comment=comment):
        targets.setdefault(user_id, NotificationKind.MENTION)
    targets.pop(comment.user_id or 0, None)
    return targets


def reader_notifications_create(*, comment_id: int) -> str:
    """Job body, after a comment is published (posted or approved): one unread notification
    for each reader it replies to or mentions (``_targets``), then an e-mail for each
    mention whose reader's address takes e-mails from the site (a verified, not
    unsubscribed ``Subscription``; replies are mailed by ``notification_reply_send``).
    Re-checks that the comment is still published. Returns what it did."""
    comment = (
        Comment.objects.select_related("parent", "story", "site").filter(pk=comment_id).first()
    )
    if comment is None or comment.status != CommentStatus.PUBLISHED:
        return "skipped"
    targets = _targets(comment)
    if not targets:
        return "skipped"
    ReaderNotification.objects.bulk_create(
        [
            ReaderNotification(user_id=uid, site_id=comment.site_id, comment=comment, kind=kind)
            for uid, kind in targets.items()
        ],
        ignore_conflicts=True,
    )
    mailed = sum(_mail_mention(comment, uid) for uid, k in targets.items() if k == "mention")
    return f"notified {len(targets)}, mailed {mailed}"


def _mail_mention(comment: Comment, user_id: int) -> int:
    email = (
        get_user_model().objects.filter(pk=user_id).values_list("email", flat=True).first() or ""
    )
    sub = Subscription.objects.filter(site_id=comment.site_id, email=email.lower()).first()
    if not email or sub is None or not sub.is_active:
        return 0
    # Claimed before sending: a second run finds it claimed and sends nothing.
    row = ReaderNotification.objects.filter(user_id=user_id, comment=comment)
    claimed = row.filter(emailed_at__isnull=True).update(emailed_at=timezone.now())
    if claimed:
        try:
            notifications.send_mention(sub, comment)
        except OSError:
            row.update(emailed_at=None)  # the job's retry sends it
            raise
    return claimed


def reader_notifications_read(*, user: User, site_id: int) -> int:
    """Mark ``user``'s unread notifications on the site read (they opened the list);
    returns how many were unread."""
    return ReaderNotification.objects.filter(
        user_id=user.pk, site_id=site_id, read_at__isnull=True
    ).update(read_at=timezone.now())


def _address_of(comment: Comment) -> Subscription | None:
    """The address the writer gave, as the site's mail preferences know it (a row without
    verification holds an unsubscribe); None when they gave none or unsubscribed."""
    email = (comment.author_email or "").strip().lower()
    if not email:
        return None
    try:
        with transaction.atomic():
            sub, _ = Subscription.objects.get_or_create(site_id=comment.site_id, email=email)
    except IntegrityError:  # created meanwhile
        sub = Subscription.objects.get(site_id=comment.site_id, email=email)
    return None if sub.unsubscribed_at is not None else sub


def rejection_notice_send(*, comment_id: int) -> str:
    """Job body, after a moderator rejected a comment: e-mail its writer the statement of
    reasons (``statement_of_reasons``) once, when the comment carries an address that has
    not unsubscribed from the site's e-mails. Re-checks that the comment is still rejected
    by a moderator (the pipeline's rejections were told to the writer as they posted)."""
    comment = Comment.objects.select_related("story", "site").filter(pk=comment_id).first()
    if comment is None or comment.status != CommentStatus.REJECTED or comment.is_shadowed:
        return "skipped"
    event = (
        ModerationEvent.objects.filter(comment=comment, action=ModerationAction.REJECT)
        .order_by("-created_at", "-id")
        .first()
    )
    if event is None or event.source != "moderator":
        return "skipped"
    sub = _address_of(comment)
    if sub is None:
        return "skipped"
    notice, _ = RejectionNotice.objects.get_or_create(
        comment=comment, defaults={"email": sub.email}
    )
    claimed = RejectionNotice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(
        sent_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    try:
        notifications.send_rejection(sub, comment, statement_of_reasons(event))
    except OSError:
        RejectionNotice.objects.filter(pk=notice.pk).update(sent_at=None)  # the retry sends it
        raise
    return "sent"
