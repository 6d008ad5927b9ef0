"""Reply notifications (opt-in, verified, one-click unsubscribe) and moderator digests."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from threadline import errors
from threadline.actions.commenters import commenter_bind_address
from threadline.db import reads
from threadline.delivery import events, notifications
from threadline.models import (
    Comment,
    CommentStatus,
    ModeratorDigest,
    ReplyNotification,
    Site,
    Subscription,
)

# What ``subscription_request`` asks for (handled by threadline.delivery.jobs): the
# confirmation mail.
SUBSCRIPTION_CONFIRM = "subscription_confirm"


def subscription_request(*, site: Site, email: str, device_key: str = "") -> Subscription:
    """Opt an address in; nothing is sent to it but a confirmation link until it is verified.
    Asking again re-sends the link; an unsubscribed address must verify again. A guest's
    browser asking (``device_key``, ``Actor.device_key``) gets a link even for a verified
    address: opening it also lets the address identify that browser's guest."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except DjangoValidationError as exc:
        raise errors.InvalidEmailError(field="email") from exc
    try:
        with transaction.atomic():
            sub, created = Subscription.objects.get_or_create(site=site, email=email)
    except IntegrityError:  # two requests raced; the other one created it
        sub, created = Subscription.objects.get(site=site, email=email), False
    if not created and sub.unsubscribed_at is not None:
        sub.verified_at, sub.unsubscribed_at = None, None
        sub.save(update_fields=["verified_at", "unsubscribed_at"])
    if device_key and sub.device_key != device_key:
        # The link mailed next names this browser; links mailed before keep their own.
        sub.device_key = device_key
        sub.save(update_fields=["device_key"])
    if not sub.is_active or device_key:
        events.follow_up(kind=SUBSCRIPTION_CONFIRM, object_id=sub.pk)
    return sub


def subscription_send_confirmation(*, subscription_id: int) -> str:
    """Job body: e-mail the confirmation link unless the address is verified already and
    no browser asked to be recognised by it."""
    sub = Subscription.objects.select_related("site").filter(pk=subscription_id).first()
    if sub is None or (sub.is_active and not sub.device_key):
        return "skipped"
    notifications.send_confirmation(sub)
    return "sent"


def subscription_confirm(*, token: str) -> Subscription:
    """Verify the address from the signed link (idempotent). A link mailed at a browser's
    request also binds that browser to the address (``commenter_bind_address``): the owner
    of the mailbox has shown that the guest of that browser is them."""
    pk, email, device_key = notifications.read_confirm_token(token)
    sub = Subscription.objects.select_related("site").filter(pk=pk, email=email).first()
    if sub is None:
        raise errors.InvalidTokenError("This link is not valid.")
    with transaction.atomic():
        if sub.verified_at is None or sub.unsubscribed_at is not None:
            sub.verified_at, sub.unsubscribed_at = timezone.now(), None
            sub.save(update_fields=["verified_at", "unsubscribed_at"])
        if device_key:
            commenter_bind_address(site=sub.site, device_key=device_key, email=sub.email)
    return sub


def subscription_unsubscribe(*, token: str) -> Subscription:
    """Stop all e-mails to the address; one click, no sign-in (idempotent)."""
    sub = Subscription.objects.filter(pk=notifications.read_unsubscribe_token(token)).first()
    if sub is None:
        raise errors.InvalidTokenError("This link is not valid.")
    if sub.unsubscribed_at is None:
        sub.unsubscribed_at = timezone.now()
        sub.save(update_fields=["unsubscribed_at"])
    return sub


def _reply_target(reply: Comment) -> Subscription | None:
    parent = reply.parent
    if parent is None or parent.status != CommentStatus.PUBLISHED:
        return None
    email = (parent.author_email or "").strip().lower()
    if not email or email == (reply.author_email or "").strip().lower():
        return None  # no address, or someone answering themselves
    sub = Subscription.objects.filter(site_id=reply.site_id, email=email).first()
    return sub if sub is not None and sub.is_active else None


def notification_reply_send(*, comment_id: int) -> str:
    """Job body: tell the parent's author about a published reply, at most once per reply."""
    reply = Comment.objects.select_related("parent", "story").filter(pk=comment_id).first()
    if reply is None or reply.status != CommentStatus.PUBLISHED:
        return "skipped"
    sub = _reply_target(reply)
    if sub is None:
        return "skipped"
    note, _ = ReplyNotification.objects.get_or_create(subscription=sub, comment=reply)
    if note.sent_at is not None:
        return "skipped"
    notifications.send_reply(sub, reply)
    ReplyNotification.objects.filter(pk=note.pk).update(sent_at=timezone.now())
    return "sent"


def subscriptions_active(*, site_id: int) -> bool:
    """Whether any verified address on the site still takes e-mails: without one no reply
    e-mail can go out, and the listener queues no job (one prepared query per reply)."""
    return reads.subscription_active_exists(site_id=site_id)


def moderator_digest_due(*, site_id: int) -> bool:
    """Whether a digest may go out now: none sent within the interval, and a moderator with
    an e-mail address. One prepared query, asked for every held comment before a job is
    queued; the job decides the rest (the queue's length) under a lock."""
    cutoff = timezone.now() - timedelta(seconds=settings.THREADLINE["DIGEST_INTERVAL_SECONDS"])
    recent, has_recipient = reads.digest_state(site_id=site_id, sent_after=cutoff)
    return not recent and bool(has_recipient)


def moderator_digest_send(*, site_id: int) -> str:
    """Job body: e-mail the moderators when the queue has reached the minimum, at most once
    per interval. The state row is locked, so two workers deciding at once send one digest."""
    conf = settings.THREADLINE
    # Most held comments come while a digest was sent recently, or to a site whose
    # moderators have no address: decide that from one read before taking the lock.
    if not moderator_digest_due(site_id=site_id):
        return "skipped"
    site = Site.objects.filter(pk=site_id).first()
    if site is None:
        return "skipped"
    with transaction.atomic():
        ModeratorDigest.objects.get_or_create(site=site)
        state = ModeratorDigest.objects.select_for_update().get(site=site)
        pending = Comment.objects.filter(site=site, status=CommentStatus.PENDING).count()
        now = timezone.now()
        recent = state.last_sent_at is not None and (
            (now - state.last_sent_at).total_seconds() < conf["DIGEST_INTERVAL_SECONDS"]
        )
        if pending < conf["DIGEST_MIN_PENDING"] or recent:
            return "skipped"
        recipients = sorted({e for e in site.moderators.values_list("email", flat=True) if e})
        if not recipients:
            return "skipped"
        state.last_sent_at, state.last_pending = now, pending
        state.save(update_fields=["last_sent_at", "last_pending"])
        # Sent inside the lock: a failed send rolls the state back and the retry sends it.
        notifications.send_digest(site, recipients, pending)
    return "sent"
