"""Background jobs, and the one listener that turns comment changes into side effects.

Jobs are thin: they take ids, re-fetch, re-check and call one action, so running one twice
does nothing twice. ``enqueue`` hands a job over after the surrounding transaction commits,
never to run on the request's thread: to the database queue or to Celery
(``threadline.delivery.jobqueue``). A job that could not finish now raises ``RetryLater`` and is run
again after ``backoff_seconds``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from threadline.actions.account_email import (
    ACCOUNT_EMAIL_CONFIRM,
    account_email_send_confirmation,
)
from threadline.actions.moderation import RESCORE
from threadline.actions.moderation_desk import comment_rescore
from threadline.actions.reader_notifications import (
    reader_notifications_create,
    rejection_notice_send,
)
from threadline.actions.subscriptions import (
    SUBSCRIPTION_CONFIRM,
    moderator_digest_due,
    moderator_digest_send,
    notification_reply_send,
    subscription_send_confirmation,
    subscriptions_active,
)
from threadline.actions.webhooks import webhook_deliveries_create, webhook_delivery_attempt
from threadline.db import reads
from threadline.delivery import events
from threadline.delivery.jobqueue import RetryLater, enqueue, job
from threadline.scoring.background import background_scorers
from threadline.server import countcache

log = logging.getLogger("threadline.jobs")  # its name before the move

# Event kinds (threadline.delivery.events) that become outbound webhook events.
WEBHOOK_EVENTS = {
    "posted": "comment.posted",
    "approved": "comment.approved",
    "rejected": "comment.rejected",
    "deleted": "comment.deleted",
}


# --- jobs -----------------------------------------------------------------------------


@job(max_retries=None, name="threadline.jobs.webhook_deliver_job")
def webhook_deliver_job(delivery_id: int) -> str:
    """POST one webhook delivery; retried with backoff until delivered or out of attempts
    (THREADLINE_WEBHOOK_MAX_ATTEMPTS)."""
    outcome = webhook_delivery_attempt(delivery_id=delivery_id)
    if outcome == "retry":
        raise RetryLater(outcome)
    return outcome


def _by_mail(send: Callable[..., str], **kwargs: int) -> str:
    """``send(**kwargs)``, retried later when the mail server cannot be reached."""
    try:
        return send(**kwargs)
    except OSError as exc:  # SMTP down: try again later
        raise RetryLater(f"smtp: {exc}") from exc


@job(max_retries=5, name="threadline.jobs.notification_reply_job")
def notification_reply_job(comment_id: int) -> str:
    """E-mail the author of the parent comment about a published reply, once."""
    return _by_mail(notification_reply_send, comment_id=comment_id)


@job(max_retries=5, name="threadline.jobs.reader_notifications_job")
def reader_notifications_job(comment_id: int) -> str:
    """Tell the readers a published comment replies to or mentions (badge, mention mail)."""
    return _by_mail(reader_notifications_create, comment_id=comment_id)


@job(max_retries=5, name="threadline.jobs.rejection_notice_job")
def rejection_notice_job(comment_id: int) -> str:
    """E-mail a rejected comment's writer the moderator's statement of reasons, once."""
    return _by_mail(rejection_notice_send, comment_id=comment_id)


@job(max_retries=5, name="threadline.jobs.moderator_digest_job")
def moderator_digest_job(site_id: int) -> str:
    """Tell a site's moderators their queue has grown (at most once per interval)."""
    return _by_mail(moderator_digest_send, site_id=site_id)


@job(max_retries=5, name="threadline.jobs.subscription_confirm_job")
def subscription_confirm_job(subscription_id: int) -> str:
    """Send the signed confirmation link to a new subscriber."""
    return _by_mail(subscription_send_confirmation, subscription_id=subscription_id)


def rescore_comment(comment_id: int) -> str:
    """Run the background scorers over one comment; returns what happened ("held",
    "kept", "skipped: ...")."""
    from threadline.models import Comment

    comments = Comment.objects.select_related("site", "story", "commenter")
    comment = comments.filter(pk=comment_id).first()
    if comment is None:
        return "skipped: gone"
    return comment_rescore(comment=comment, scorer_paths=background_scorers())


# The name it had in threadline.scoring.background, so that jobs already queued still run.
@job(max_retries=0, name="threadline.scoring.background.rescore_comment_job")
def rescore_comment_job(comment_id: int) -> str:
    """Re-score one comment with the background scorers."""
    return rescore_comment(comment_id)


def _rescore_requested(comment_id: int) -> None:
    if background_scorers():
        enqueue(rescore_comment_job, comment_id)


@job(max_retries=5, name="threadline.jobs.account_email_confirm_job")
def account_email_confirm_job(user_id: int) -> str:
    """Send the link that confirms an account's e-mail address."""
    return _by_mail(account_email_send_confirmation, user_id=user_id)


def _account_email_requested(user_id: int) -> None:
    enqueue(account_email_confirm_job, user_id)


def _confirmation_requested(subscription_id: int) -> None:
    enqueue(subscription_confirm_job, subscription_id)


# --- the listener ---------------------------------------------------------------------


def _state_of(comment_id: int) -> events.CommentState | None:
    """The comment's state read back, for callers that did not pass it along (votes, the
    desk): one prepared query, as this runs after every vote."""
    row = reads.comment_state(comment_id=comment_id)
    return None if row is None else events.CommentState(*row)


def on_comment_changed(
    comment_id: int, kind: str, state: events.CommentState | None = None
) -> None:
    """After commit: announce the change live, queue webhooks, reply e-mails, readers'
    notifications (replies, mentions, the statement of reasons), digests.

    Runs on every post, so each side effect is first ruled out as cheaply as it can be
    (one prepared query), and a job is queued only when it may have something to do."""
    from threadline.delivery import live
    from threadline.models import CommentStatus
    from threadline.server import ops

    if state is None:
        state = _state_of(comment_id)
        if state is None:
            return
    ops.COMMENT_EVENTS.labels(kind=kind, status=state.status).inc()
    if kind != "voted":
        countcache.forget_story(state.story_id)
    live.announce(
        story_id=state.story_id,
        comment_id=comment_id,
        kind=kind,
        status=state.status,
        version=state.version,
    )
    if kind in WEBHOOK_EVENTS:
        for delivery_id in webhook_deliveries_create(
            comment_id=comment_id, site_id=state.site_id, event=WEBHOOK_EVENTS[kind]
        ):
            enqueue(webhook_deliver_job, delivery_id)
    published = state.status == CommentStatus.PUBLISHED
    if (
        kind in ("posted", "approved")
        and published
        and state.parent_id
        and subscriptions_active(site_id=state.site_id)
    ):
        enqueue(notification_reply_job, comment_id)
    if state.notify and published and kind in ("posted", "approved"):
        enqueue(reader_notifications_job, comment_id)
    if state.notify and kind == "rejected":
        enqueue(rejection_notice_job, comment_id)
    if (
        state.status == CommentStatus.PENDING
        and kind in ("posted", "held", "edited")
        and moderator_digest_due(site_id=state.site_id)
    ):
        enqueue(moderator_digest_job, state.site_id)


_connected = False


def connect_listeners() -> None:
    """Register the side-effect listener and the follow-up handlers once per process
    (called from AppConfig.ready)."""
    global _connected
    if not _connected:
        events.listen(on_comment_changed)
        events.handle(RESCORE, _rescore_requested)
        events.handle(SUBSCRIPTION_CONFIRM, _confirmation_requested)
        events.handle(ACCOUNT_EMAIL_CONFIRM, _account_email_requested)
        _connected = True
