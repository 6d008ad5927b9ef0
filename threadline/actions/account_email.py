"""An account's e-mail address, and the proof that whoever holds the account reads it.

An address typed at registration, or changed later, is unconfirmed until the link mailed to
it is opened (``account_email_confirm``) or a password reset sent to it is completed. Only a
confirmed address goes with the account's comments (``actions.comments.comment_post``), so a
reply e-mail reaches the writer of the comment and nobody who merely had their address
typed in. An account that signs in through a publisher (SSO) or an OpenID Connect provider
has the address that sign-in vouches for, so it counts as confirmed.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from threadline import errors
from threadline.delivery import accountmail, events
from threadline.domain.text import clean_email
from threadline.models import Commenter, EmailConfirmation

# What ``account_email_request`` asks for (handled by threadline.delivery.jobs): the link's e-mail.
ACCOUNT_EMAIL_CONFIRM = "account_email_confirm"


def account_email_clean(value: str) -> str:
    """An address a reader typed for their account, trimmed; "" for none.
    ``InvalidEmailError`` (``field="email"``) when it is not an address."""
    return clean_email(value, field="email")


def account_email_confirmed(*, user: User) -> str:
    """The account's address when it is confirmed, else "". Accounts signed in from
    elsewhere (no usable password) cost no query; the others one."""
    email = (user.email or "").strip()
    if not email or user.pk is None:
        return ""
    if not user.has_usable_password():
        return email  # the publisher or provider vouches for it on every sign-in
    confirmed = EmailConfirmation.objects.filter(pk=user.pk).values_list("email", flat=True)
    return email if confirmed.first() == email.lower() else ""


def account_email_request(*, user: User) -> bool:
    """Ask for the confirmation link of the account's current address, mailed after commit
    by a job (``threadline.delivery.jobs``); nothing when there is no address or it is confirmed.
    Asking again sends a new link (each one is valid until it expires). Returns whether a
    link is on its way."""
    if not user.email or account_email_confirmed(user=user):
        return False
    events.follow_up(kind=ACCOUNT_EMAIL_CONFIRM, object_id=user.pk)
    return True


def account_email_send_confirmation(*, user_id: int) -> str:
    """Job body: mail the link, unless the account is gone or disabled, has no address,
    or confirmed it meanwhile (so a job run twice, or late, sends nothing stale)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or account_email_confirmed(user=user):
        return "skipped"
    accountmail.send_email_confirmation(user=user)
    return "sent"


def account_email_confirm(*, token: str) -> User:
    """Confirm the address named by a mailed link (idempotent) and return the account.
    ``EmailLinkExpiredError`` for an old link; ``EmailLinkInvalidError`` for an altered
    one, a disabled or erased account, or an account whose address changed since: a link
    vouches only for the address it was sent to."""
    user_id, email = accountmail.read_email_confirm_token(token)
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or (user.email or "").strip().lower() != email:
        raise errors.EmailLinkInvalidError(
            "This link is for an address your account no longer uses."
        )
    account_email_record(user=user)
    return user


@transaction.atomic
def account_email_record(*, user: User) -> bool:
    """Record that the account's current address is confirmed, and note it on the
    account's commenter records, where the desk shows it. Returns False when there is no
    address or it was confirmed already (nothing written)."""
    email = (user.email or "").strip()
    if not email:
        return False
    row = EmailConfirmation.objects.filter(pk=user.pk).first()
    if row is not None and row.email == email.lower():
        return False
    EmailConfirmation.objects.update_or_create(
        user=user, defaults={"email": email.lower(), "confirmed_at": timezone.now()}
    )
    Commenter.objects.filter(user=user, key=f"user:{user.pk}").update(email=email)
    return True
