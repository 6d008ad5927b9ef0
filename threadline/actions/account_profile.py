"""What a reader changes about their own account: the name it shows and its e-mail address;
and what completing a password reset means for it."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from threadline import errors
from threadline.actions.account_email import (
    account_email_clean,
    account_email_record,
    account_email_request,
)
from threadline.actions.accounts import token_revoke_all
from threadline.domain.names import (
    DISPLAY_NAME_MAX,
    check_account_name,
    name_key,
    staff_names_forget,
)
from threadline.domain.text import clean_name
from threadline.models import Commenter, Site


def _forget_staff_names(user: User) -> None:
    """A moderator's name guards the sites they moderate (``threadline.domain.names``)."""
    sites = Site.objects.all() if user.is_superuser else user.moderated_sites.all()
    for site_id in sites.values_list("pk", flat=True):
        staff_names_forget(site_id=site_id)


@transaction.atomic
def account_update(
    *, user: User, display_name: str | None = None, email: str | None = None
) -> User:
    """Change the name the account shows on its comments and profile, and its address
    (None leaves a value as it is). Raises ``AccountManagedElsewhereError`` for an account
    that signs in through a publisher or provider (the next sign-in would undo the change).

    The name is one line of at most 100 characters, "" for the user name, and may not be
    reserved for a site's team (``names.check_account_name``; an unchanged name is not
    checked again). New comments carry the new name; earlier ones keep the name they were
    posted under, as they keep their badge. The account's commenter records take it too,
    for the desk, and a moderator's change reaches the staff-name cache after commit.

    A new address is unconfirmed until the link mailed to it after commit is opened; ""
    removes the address. One transaction."""
    if not user.has_usable_password():
        raise errors.AccountManagedElsewhereError()
    changed: list[str] = []
    if display_name is not None:
        name = clean_name(display_name, field="display_name", max_length=DISPLAY_NAME_MAX)
        if name != user.first_name:
            shown = name or user.get_username()
            if name_key(shown) != name_key(user.first_name or user.get_username()):
                check_account_name(name=shown, user=user)
            user.first_name = name
            changed.append("first_name")
    new_email = None if email is None else account_email_clean(email)
    if new_email is not None and new_email.lower() != user.email.strip().lower():
        user.email = new_email
        changed.append("email")
    if not changed:
        return user
    user.save(update_fields=changed)
    if "first_name" in changed:
        shown = user.first_name or user.get_username()
        Commenter.objects.filter(user=user, key=f"user:{user.pk}").update(display_name=shown)
        _forget_staff_names(user)
    if "email" in changed:
        account_email_request(user=user)
    return user


def account_password_reset_complete(*, user: User) -> None:
    """After a reader set a new password from a reset link: the link went to the account's
    address and is void once that address changes (Django's token covers it), so the
    address is confirmed now; and every API token of the account is revoked, since a reset
    is often how a reader takes back an account someone else used. Pages signed in
    elsewhere end by themselves (the session hash covers the password)."""
    account_email_record(user=user)
    token_revoke_all(user=user)
