"""E-mails to account holders: the link that confirms an account's address.

The link is signed with SECRET_KEY (``django.core.signing``) and names the account and the
address it went to, so it confirms that address only while the account still has it; it
expires after ``CONFIRM_LINK_MAX_AGE_DAYS``, like the reply-notification link. Messages go
through Django's e-mail backend, as ``threadline.delivery.notifications`` sends its own.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse

from threadline import errors

EMAIL_CONFIRM_SALT = "threadline.account.email-confirm"


def email_confirm_token(*, user_id: int, email: str) -> str:
    return signing.dumps({"u": user_id, "e": email.strip().lower()}, salt=EMAIL_CONFIRM_SALT)


def read_email_confirm_token(token: str) -> tuple[int, str]:
    """(account id, address) from a link; ``EmailLinkExpiredError`` past its age,
    ``EmailLinkInvalidError`` for anything altered or made up."""
    max_age = settings.THREADLINE["CONFIRM_LINK_MAX_AGE_DAYS"] * 86400
    try:
        data = signing.loads(token, salt=EMAIL_CONFIRM_SALT, max_age=max_age)
        return int(data["u"]), str(data["e"])
    except signing.SignatureExpired as exc:
        raise errors.EmailLinkExpiredError() from exc
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise errors.EmailLinkInvalidError() from exc


def email_confirm_url(*, user_id: int, email: str) -> str:
    token = email_confirm_token(user_id=user_id, email=email)
    return settings.PUBLIC_URL + reverse("web:account-email-confirm", args=[token])


def send_email_confirmation(*, user: User) -> None:
    """Mail the confirmation link for the account's current address to that address."""
    name = user.first_name or user.get_username()
    link = email_confirm_url(user_id=user.pk, email=user.email)
    EmailMessage(
        subject="Confirm your e-mail address for your comments account",
        body=(
            f"Hello {name},\n\n"
            "Someone (we hope you) gave this address for a comments account. Open this link "
            f"to confirm that it is yours:\n\n{link}\n\n"
            "Once it is confirmed, reply e-mails and password resets can rely on it. If this "
            "was not you, ignore this message: the address stays unconfirmed.\n"
        ),
        to=[user.email],
    ).send()
