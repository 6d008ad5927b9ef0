"""E-mails: the confirmation link, reply and mention notifications, the statement of reasons
to a writer whose comment a moderator rejected, and the moderators' digest.

Links are signed with the site's SECRET_KEY: the confirmation link expires, the
unsubscribe link never does (one click must always work, RFC 8058). Messages go through
Django's e-mail backend (console by default, SMTP from THREADLINE_EMAIL_URL).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse

from threadline import errors
from threadline.domain.guidelines import guidelines_link
from threadline.domain.text import plain_text
from threadline.models import Comment, Site, Subscription

CONFIRM_SALT = "threadline.subscription.confirm"
UNSUBSCRIBE_SALT = "threadline.subscription.unsubscribe"


def confirm_token(subscription: Subscription) -> str:
    data: dict[str, object] = {"s": subscription.pk, "e": subscription.email}
    if subscription.device_key:  # the browser that asked, bound to the address on confirming
        data["d"] = subscription.device_key
    return signing.dumps(data, salt=CONFIRM_SALT)


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscription.pk))


def read_confirm_token(token: str) -> tuple[int, str, str]:
    """(subscription id, address, the asking browser's device key or "")."""
    max_age = settings.THREADLINE["CONFIRM_LINK_MAX_AGE_DAYS"] * 86400
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
        return int(data["s"]), str(data["e"]), str(data.get("d") or "")
    except signing.SignatureExpired as exc:
        raise errors.InvalidTokenError("This confirmation link has expired.") from exc
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise errors.InvalidTokenError("This link is not valid.") from exc


def read_unsubscribe_token(token: str) -> int:
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as exc:
        raise errors.InvalidTokenError("This link is not valid.") from exc


def _absolute(path: str) -> str:
    return settings.PUBLIC_URL + path


def confirm_url(subscription: Subscription) -> str:
    return _absolute(reverse("subscription-confirm", args=[confirm_token(subscription)]))


def unsubscribe_url(subscription: Subscription) -> str:
    return _absolute(reverse("subscription-unsubscribe", args=[unsubscribe_token(subscription)]))


def _unsubscribe_headers(subscription: Subscription) -> dict[str, str]:
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(subscription)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _recognised(subscription: Subscription) -> str:
    if not subscription.device_key:
        return ""
    return (
        " Confirming also tells the site that comments from the browser that asked are "
        "yours: do not confirm a request you did not make."
    )


def send_confirmation(subscription: Subscription) -> None:
    site = subscription.site
    EmailMessage(
        subject=f"Confirm reply notifications from {site}",
        body=(
            f"Someone (we hope you) asked to be told by e-mail when readers of {site} reply "
            f"to comments written with this address.{_recognised(subscription)}\n\n"
            f"Confirm: {confirm_url(subscription)}\n\n"
            "If this was not you, ignore this message: nothing will be sent.\n"
        ),
        to=[subscription.email],
    ).send()


def send_reply(subscription: Subscription, reply: Comment) -> None:
    _send_about(subscription, reply, "replied to you")


def send_mention(subscription: Subscription, comment: Comment) -> None:
    """A signed-in reader was named with @name in a published comment."""
    _send_about(subscription, comment, "mentioned you")


def _send_about(subscription: Subscription, comment: Comment, what: str) -> None:
    story = comment.story
    link = _absolute(reverse("web:comment-permalink", args=[comment.pk]))
    excerpt = plain_text(comment.body)[:600]
    EmailMessage(
        subject=f"{comment.author_name} {what} on “{story.title or story.url}”",
        body=(
            f"{comment.author_name} wrote:\n\n{excerpt}\n\nRead and reply: {link}\n\n"
            f"Stop these e-mails: {unsubscribe_url(subscription)}\n"
        ),
        to=[subscription.email],
        headers=_unsubscribe_headers(subscription),
    ).send()


def send_rejection(subscription: Subscription, comment: Comment, statement: list[str]) -> None:
    """The statement of reasons for a comment a moderator did not publish, to its writer."""
    story = comment.story
    reasons = "\n".join(f"- {reason}" for reason in statement) or "- Other"
    rules = guidelines_link(comment.site)
    if rules.startswith("/"):
        rules = _absolute(rules)
    EmailMessage(
        subject=f"Your comment on “{story.title or story.url}” was not published",
        body=(
            f"A moderator of {comment.site} did not publish your comment:\n\n"
            f"{plain_text(comment.body)[:600]}\n\nReasons:\n{reasons}\n\n"
            + (f"Community guidelines: {rules}\n\n" if rules else "")
            + f"Stop e-mails from {comment.site}: {unsubscribe_url(subscription)}\n"
        ),
        to=[subscription.email],
        headers=_unsubscribe_headers(subscription),
    ).send()


def send_digest(site: Site, recipients: list[str], pending: int) -> None:
    link = _absolute("/admin/threadline/comment/?status__exact=pending")
    EmailMessage(
        subject=f"[{site}] {pending} comments are waiting for review",
        body=f"The moderation queue of {site} holds {pending} comments.\n\nReview: {link}\n",
        to=recipients,
    ).send()
