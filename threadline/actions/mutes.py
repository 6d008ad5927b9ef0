"""A signed-in reader mutes another commenter: that commenter's comments are hidden from the
muter's own view of every thread on the site, and from nobody else's."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from threadline import errors
from threadline.models import Comment, CommentStatus, Mute


def mute_create(*, user: User, comment: Comment) -> Mute:
    """``user`` mutes whoever wrote ``comment`` (its commenter: an account, an address, a
    browser), remembering the name it carries for "hidden: you muted X". Muting again is
    no error and changes nothing. Raises ``CannotMuteSelfError`` for the reader's own
    comment and ``CommentNotFoundError`` for one that is not published or has no author
    left (erased). No side effects: the muted commenter is not told."""
    commenter = comment.commenter
    if comment.status != CommentStatus.PUBLISHED or commenter is None:
        raise errors.CommentNotFoundError()
    if user.pk in (comment.user_id, commenter.user_id):
        raise errors.CannotMuteSelfError()
    try:
        with transaction.atomic():
            mute, _ = Mute.objects.get_or_create(
                user=user,
                commenter=commenter,
                defaults={"name": comment.author_name[:100]},
            )
    except IntegrityError:  # the same click twice, at once
        mute = Mute.objects.get(user=user, commenter=commenter)
    return mute


def mute_remove(*, mute: Mute) -> Mute:
    """Show the commenter's comments to the muter again (the row goes). Idempotent."""
    Mute.objects.filter(pk=mute.pk).delete()
    return mute
