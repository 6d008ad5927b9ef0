"""Readers' data rights: a copy of everything stored about a person, and erasure.

A person is an account (with its commenter records on every site) or a guest known on one
site by e-mail. Erasure: comments with replies become tombstones (no text, no name, no
e-mail, no IP), the others are deleted; the account's votes and flags are withdrawn (the
counters follow); commenter records keep only their key and counts; the account is deleted.
Moderation events stay as the site's audit trail but are unlinked from the person (policy:
the decision is kept, the person is not); events of deleted comments go with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from threadline import errors
from threadline.actions.comments import comment_set_status
from threadline.domain.identity import digest
from threadline.domain.ranking import controversy, wilson_lower_bound
from threadline.models import (
    ApiToken,
    Comment,
    Commenter,
    CommentStatus,
    EmailConfirmation,
    Flag,
    ModerationAction,
    ModerationEvent,
    Mute,
    RejectionNotice,
    Site,
    Vote,
)

EXPORT_FORMAT = "threadline-personal-data"


@dataclass
class Person:
    user: Any = None
    commenters: list[Commenter] = field(default_factory=list)

    @property
    def reader_key(self) -> str:
        return f"user:{self.user.pk}" if self.user is not None else ""

    def comments(self) -> Any:
        wanted = Q(commenter__in=self.commenters)
        if self.user is not None:
            wanted |= Q(user=self.user)
        return Comment.objects.filter(wanted).select_related("story", "site")


def person_find(
    *, site: Site | None, username: str | None = None, email: str | None = None
) -> Person:
    """An account by username (all its sites), or a guest by e-mail on ``site``."""
    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise errors.NotFoundError(f"No user named {username!r}.", field="username")
        return person_for_user(user=user)
    key = "email:" + digest((email or "").strip().lower())[:40]
    commenters = list(
        Commenter.objects.filter(Q(key=key) | Q(email__iexact=(email or "").strip()), site=site)
    )
    if not email or not commenters:
        raise errors.NotFoundError("Nobody with that e-mail has commented here.", field="email")
    return Person(commenters=commenters)


def person_for_user(*, user: Any) -> Person:
    return Person(user=user, commenters=list(Commenter.objects.filter(user=user)))


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def comment_data(c: Comment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "site": c.site.name,
        "story_url": c.story.url,
        "parent_id": c.parent_id,
        "status": c.status,
        "author_name": c.author_name,
        "author_email": c.author_email,
        "ip_address": c.ip_address,
        "body": c.body,
        "body_html": c.body_html,
        "created_at": _iso(c.created_at),
        "edited_at": _iso(c.edited_at),
        "upvotes": c.upvotes,
        "downvotes": c.downvotes,
        "revisions": [{"body": r.body, "edited_at": _iso(r.edited_at)} for r in c.revisions.all()],
    }


def person_export(*, person: Person) -> dict[str, Any]:
    """Everything stored about the person, as one JSON-ready object."""
    user = person.user
    account = None
    if user is not None:
        account = {
            "username": user.get_username(),
            "email": user.email,
            "display_name": user.first_name,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            # The address the account confirmed, and when (actions.account_email).
            "email_confirmed": [
                {"email": e.email, "confirmed_at": _iso(e.confirmed_at)}
                for e in EmailConfirmation.objects.filter(user=user)
            ],
        }
    key = person.reader_key
    return {
        "format": EXPORT_FORMAT,
        "version": 1,
        "exported_at": _iso(timezone.now()),
        "account": account,
        "commenters": [
            {
                "site": c.site.name,
                "display_name": c.display_name,
                "email": c.email,
                # What a publisher's sign-in (actions.sso) told us: its id, role and picture.
                "publisher_id": c.sso_id,
                "badge": c.badge,
                "avatar_url": c.avatar_url,
                "comments_total": c.comments_total,
                "banned_forever": c.banned_forever,
                "banned_until": _iso(c.banned_until),
                "created_at": _iso(c.created_at),
            }
            for c in Commenter.objects.filter(
                pk__in=[c.pk for c in person.commenters]
            ).select_related("site")
        ],
        "comments": [
            comment_data(c) for c in person.comments().prefetch_related("revisions").order_by("id")
        ],
        "votes": [
            {"comment_id": v.comment_id, "value": v.value, "created_at": _iso(v.created_at)}
            for v in Vote.objects.filter(voter_key=key).order_by("id")
        ]
        if key
        else [],
        "flags": [
            {
                "comment_id": f.comment_id,
                "reason": f.reason,
                "note": f.note,
                "created_at": _iso(f.created_at),
            }
            for f in Flag.objects.filter(reporter_key=key).order_by("id")
        ]
        if key
        else [],
        # Whom the account muted (the muted are not told; nothing is kept about them here).
        "mutes": [
            {"site": m.commenter.site.name, "name": m.name, "created_at": _iso(m.created_at)}
            for m in Mute.objects.filter(user=user).select_related("commenter__site")
        ]
        if user is not None
        else [],
    }


@transaction.atomic
def person_erase(*, person: Person) -> dict[str, int]:
    """Erase the person (see the module docstring). Returns what was done, by count."""
    result = {
        "comments_deleted": 0,
        "comments_tombstoned": 0,
        "votes_removed": 0,
        "flags_removed": 0,
        "accounts_deleted": 0,
    }
    for comment in person.comments().order_by("-depth", "-id"):
        if Comment.objects.filter(parent_id=comment.pk).exists():
            _tombstone(comment)
            RejectionNotice.objects.filter(comment=comment).delete()  # it holds the address
            result["comments_tombstoned"] += 1
        else:
            if comment.status != CommentStatus.DELETED:
                comment_set_status(
                    comment=comment,
                    status=CommentStatus.DELETED,
                    action=ModerationAction.DELETE,
                    source="erasure",
                )
            Comment.objects.filter(pk=comment.pk).delete()
            result["comments_deleted"] += 1
    if person.user is not None:
        result["votes_removed"] = _votes_withdraw(person.reader_key)
        result["flags_removed"] = _flags_withdraw(person.reader_key)
    ids = [c.pk for c in person.commenters]
    ModerationEvent.objects.filter(commenter_id__in=ids).update(commenter=None)
    # Others' mutes of this person hold (by the key), without the name they bore.
    Mute.objects.filter(commenter_id__in=ids).update(name="")
    # The publisher's id (sso_id) stays, like a key: a ban outlives the erasure.
    Commenter.objects.filter(pk__in=ids).update(
        display_name="", email="", notes="", user=None, ban_message="", avatar_url=""
    )
    if person.user is not None:
        ModerationEvent.objects.filter(actor=person.user).update(actor=None)
        ApiToken.objects.filter(user=person.user).delete()
        person.user.delete()
        result["accounts_deleted"] = 1
    return result


def _tombstone(comment: Comment) -> None:
    if comment.status != CommentStatus.DELETED:
        comment_set_status(
            comment=comment,
            status=CommentStatus.DELETED,
            action=ModerationAction.DELETE,
            source="erasure",
        )
    comment.revisions.all().delete()
    Comment.objects.filter(pk=comment.pk).update(
        author_name="",
        author_email="",
        author_avatar="",
        ip_address=None,
        user=None,
        commenter=None,
        edit_token_hash="",
        body="",
        body_html="",
    )


def _votes_withdraw(key: str) -> int:
    votes = list(Vote.objects.filter(voter_key=key))
    for vote in votes:
        up, down = int(vote.value == 1), int(vote.value == -1)
        Comment.objects.filter(pk=vote.comment_id).update(
            upvotes=F("upvotes") - up,
            downvotes=F("downvotes") - down,
            score=F("score") - up + down,
        )
        vote.delete()
        comment = Comment.objects.only("upvotes", "downvotes").get(pk=vote.comment_id)
        Comment.objects.filter(pk=comment.pk).update(
            wilson=wilson_lower_bound(comment.upvotes, comment.downvotes),
            controversy=controversy(comment.upvotes, comment.downvotes),
        )
    return len(votes)


def _flags_withdraw(key: str) -> int:
    flags = list(Flag.objects.filter(reporter_key=key))
    for flag in flags:
        Comment.objects.filter(pk=flag.comment_id, flag_count__gt=0).update(
            flag_count=F("flag_count") - 1
        )
        flag.delete()
    return len(flags)
