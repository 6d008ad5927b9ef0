"""Posting, editing and deleting comments, and every change of a comment's status.

Side effects (cache invalidation via the story version, live events, jobs) are queued with
``transaction.on_commit`` so nothing is announced that was rolled back.
"""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from threadline import errors
from threadline.actions.account_email import account_email_confirmed
from threadline.actions.bans import ban_check
from threadline.actions.comment_counters import count_status_change, path_set
from threadline.actions.commenters import commenter_for, commenter_save
from threadline.actions.moderation import (
    comment_score,
    commenter_ban_check,
    commenter_is_shadow_banned,
    decision_record,
)
from threadline.db import sqlfast
from threadline.delivery import events
from threadline.domain.identity import Actor, digest
from threadline.domain.names import check_guest_name
from threadline.domain.text import (
    clean_email,
    clean_line,
    clean_name,
    clean_text,
    html_text,
    render_markdown,
)
from threadline.models import (
    Badge,
    Comment,
    Commenter,
    CommentRevision,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
    Site,
    Story,
)
from threadline.models.comments import PATH_SEGMENT
from threadline.queries import is_moderator
from threadline.scoring.base import ScoringContext
from threadline.scoring.policy import Decision, check_nudge
from threadline.server.ratelimit import check_rate


@dataclass
class PostResult:
    comment: Comment
    edit_token: str  # shown once; only its hash is stored
    decision: Decision


def _validated_body(body: str, *, max_length: int) -> str:
    body = clean_text(body)
    if not body.strip():
        raise errors.EmptyBodyError(field="body")
    if len(body) > max_length:
        raise errors.BodyTooLongError(
            f"The comment is {len(body)} characters long; the limit is {max_length}.",
            field="body",
            data={"max_length": max_length},
        )
    return body.strip("\n")


def _author(actor: Actor, name: str, email: str) -> tuple[str, str]:
    if actor.is_authenticated and actor.user is not None:
        user = actor.user
        display = (getattr(user, "first_name", "") or user.get_username()).strip()
        # Only a confirmed address goes with the comment: reply e-mails are sent to it.
        account = actor.account
        return display[:100], account_email_confirmed(user=account) if account else ""
    name = clean_name(name, field="author_name", max_length=100, required=True)
    return name, clean_email(email, field="author_email")


def _badge(site: Site, actor: Actor, commenter: Commenter) -> str:
    """The staff badge an account posts with: the one its publisher's sign-in gave
    (``actions.sso``), else "moderator" for the site's moderators (a query, for accounts
    only). Guests never carry one."""
    if not actor.is_authenticated:
        return ""
    if commenter.badge:
        return commenter.badge
    return Badge.MODERATOR if is_moderator(actor.user, site.pk) else ""


def _parent(story: Story, parent_id: int | None) -> Comment | None:
    if parent_id is None:
        return None
    parent = sqlfast.get_unique(Comment, pk=parent_id, story_id=story.pk)
    if parent is None:
        raise errors.InvalidParentError(field="parent_id")
    if parent.status == CommentStatus.PUBLISHED:
        return parent
    if parent.status == CommentStatus.PENDING and story.site.allow_replies_to_held:
        return parent
    if parent.is_shadowed:  # its writer alone may answer it (``comment_post``)
        return parent
    raise errors.ParentNotOpenError(field="parent_id")


SHADOW_REASON = "Author shadow-banned"


def _shadowed(decision: Decision) -> Decision:
    """A comment the pipeline would publish, from a shadow-banned writer: stored rejected
    (audited as such, with the pipeline's reasons), shown to its writer as published."""
    return dataclasses.replace(
        decision, action=ModerationAction.REJECT, reasons=[*decision.reasons, SHADOW_REASON]
    )


def comment_post(
    *,
    story: Story,
    actor: Actor,
    body: str,
    parent_id: int | None = None,
    author_name: str = "",
    author_email: str = "",
    confirm: bool = False,
    honeypot: str = "",
    created_at: datetime | None = None,
) -> PostResult:
    """Validate, score and store a new comment or reply in one transaction.

    The comment belongs to the commenter the server can verify (``commenter_key``: account,
    confirmed address, browser key, else one of its own), never to the typed address.
    Raises a ThreadlineError (nothing stored) for bad input, a closed story, a ban (of the
    commenter, or of the post's address or IP), a rate limit, or the "think twice" nudge
    (``needs_confirmation``) when ``confirm`` is false.

    A shadow-banned commenter (``Commenter.ban_shadow``) is refused nothing: a comment the
    pipeline would publish is stored rejected with ``is_shadowed``, which its writer is
    shown as published (``Comment.status_for_writer``) and nobody else sees; held ones are
    held as anyone's. Replies to a shadowed comment come from its writer alone.
    """
    site = story.site
    if not story.is_open:
        raise errors.StoryClosedError()
    if not site.guest_posting and not actor.is_authenticated:
        raise errors.GuestPostingDisabledError()
    body = _validated_body(body, max_length=site.max_body_length)
    name, email = _author(actor, author_name, author_email)
    if not actor.is_authenticated:
        check_guest_name(site=site, name=name)  # no staff or reserved names for guests
    parent = _parent(story, parent_id)
    check_rate(name="post-ip", key=actor.ip or "unknown", setting="RATE_LIMIT_POST_IP")
    # A first-time commenter is stored with the comment, in its transaction. The typed
    # address does not pick the commenter (commenter_key); a moderator may ban it as such.
    commenter = commenter_for(site=site, actor=actor, name=name, email=email, create=False)
    commenter_ban_check(commenter=commenter)
    # A ban on an account's address holds before the address is confirmed, too.
    claimed = email or getattr(actor.account, "email", "")
    ban_check(site_id=site.pk, email=claimed, ip=actor.ip)
    shadow_banned = commenter_is_shadow_banned(commenter=commenter)
    own_shadowed = shadow_banned and parent is not None and commenter.pk == parent.commenter_id
    if parent is not None and parent.is_shadowed and not own_shadowed:
        raise errors.ParentNotOpenError(field="parent_id")
    check_rate(name="post-author", key=commenter.key, setting="RATE_LIMIT_POST_AUTHOR")
    body_html = render_markdown(body)  # once: stored, and its words scored
    ctx = ScoringContext(
        site=site,
        story=story,
        body=body,
        text=html_text(body_html),
        commenter=commenter,
        parent=parent,
        ip=actor.ip,
        honeypot=honeypot,
        now=timezone.now(),
    )
    decision = comment_score(ctx=ctx)
    check_nudge(site=site, decision=decision, confirm=confirm)
    shadow = shadow_banned and decision.action == ModerationAction.PUBLISH
    if shadow:
        decision = _shadowed(decision)
    token = secrets.token_urlsafe(24)
    comment = _comment_insert(
        story=story,
        parent=parent,
        commenter=commenter,
        actor=actor,
        name=name,
        email=email,
        badge=_badge(site, actor, commenter),
        body=body,
        body_html=body_html,
        decision=decision,
        token_hash=digest(token),
        created_at=created_at,
        shadowed=shadow,
    )
    return PostResult(comment=comment, edit_token=token, decision=decision)


@transaction.atomic
def _comment_insert(
    *,
    story: Story,
    parent: Comment | None,
    commenter: Commenter,
    actor: Actor,
    name: str,
    email: str,
    badge: str = "",
    body: str,
    body_html: str,
    decision: Decision,
    token_hash: str,
    created_at: datetime | None,
    shadowed: bool = False,
) -> Comment:
    # Every statement here runs on each post: prepared ones (sqlfast, comment_counters),
    # not ORM-compiled ones, which cost more than SQLite spends running them.
    if commenter.pk is None:
        commenter = commenter_save(commenter)
    comment = sqlfast.insert(
        Comment(
            site_id=story.site_id,
            story=story,
            parent=parent,
            root_id=(parent.root_id or parent.pk) if parent else None,
            depth=parent.depth + 1 if parent else 0,
            commenter=commenter,
            user_id=actor.user_id,
            author_name=name,
            author_email=email,
            author_badge=badge,
            author_avatar=commenter.avatar_url if actor.is_authenticated else "",
            ip_address=actor.ip,
            body=body,
            body_html=body_html,
            status=decision.status,
            edit_token_hash=token_hash,
            moderation_reasons=decision.reasons,
            toxicity=decision.toxicity,
            is_shadowed=shadowed,
            created_at=created_at or timezone.now(),
        )
    )
    segment = str(comment.pk).zfill(PATH_SEGMENT)
    path_set(comment, f"{parent.path}/{segment}" if parent else segment)
    version = count_status_change(comment, old=None, new=comment.status, new_comment=True)
    decision_record(comment=comment, decision=decision)
    _announce(comment, "posted", version)
    return comment


def _announce(comment: Comment, kind: str, version: int | None) -> None:
    """Tell listeners after commit, with the state this transaction leaves (when known)."""
    state = None
    if version is not None:
        state = events.CommentState(
            story_id=comment.story_id,
            site_id=comment.site_id,
            parent_id=comment.parent_id,
            status=str(comment.status),
            version=version,
            notify=_may_notify(comment, kind),
        )
    pk = comment.pk
    transaction.on_commit(lambda: events.comment_changed(comment_id=pk, kind=kind, state=state))


def _may_notify(comment: Comment, kind: str) -> bool:
    """Whether a reader may have to be told (``events.CommentState.notify``), from what is
    at hand: no query on the posting path, where the parent came loaded."""
    if kind == "rejected":
        return bool(comment.author_email)
    if kind not in ("posted", "approved") or comment.status != CommentStatus.PUBLISHED:
        return False
    if "@" in comment.body:
        return True
    if not Comment.parent.is_cached(comment):  # type: ignore[attr-defined]
        return comment.parent_id is not None  # approved: the job looks
    parent = comment.parent
    return parent is not None and parent.user_id is not None and parent.user_id != comment.user_id


def can_change(*, comment: Comment, actor: Actor, edit_token: str = "") -> bool:
    if actor.is_authenticated and comment.user_id == actor.user_id:
        return True
    return bool(edit_token) and secrets.compare_digest(digest(edit_token), comment.edit_token_hash)


def _check_owner(comment: Comment, actor: Actor, edit_token: str) -> None:
    if comment.status == CommentStatus.DELETED or (
        comment.status == CommentStatus.REJECTED and not comment.is_shadowed
    ):
        raise errors.CommentNotEditableError()
    if not can_change(comment=comment, actor=actor, edit_token=edit_token):
        if edit_token:
            raise errors.InvalidTokenError(field="edit_token")
        raise errors.NotYourCommentError()
    window = comment.site.edit_window_seconds
    if (timezone.now() - comment.created_at).total_seconds() > window:
        raise errors.EditWindowClosedError()


def comment_edit(
    *, comment: Comment, actor: Actor, body: str, edit_token: str = "", confirm: bool = False
) -> Comment:
    """The author changes their text within the edit window; the old text is kept and the
    new one is scored again, so an edit can send a published comment to review."""
    _check_owner(comment, actor, edit_token)
    body = _validated_body(body, max_length=comment.site.max_body_length)
    if body == comment.body:
        return comment
    body_html = render_markdown(body)
    ctx = ScoringContext(
        site=comment.site,
        story=comment.story,
        body=body,
        text=html_text(body_html),
        commenter=comment.commenter,
        parent=comment.parent,
        comment_id=comment.pk,
        ip=actor.ip,
        is_edit=True,
        now=timezone.now(),
    )
    decision = comment_score(ctx=ctx)
    check_nudge(site=comment.site, decision=decision, confirm=confirm)
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        CommentRevision.objects.create(
            comment=locked,
            body=locked.body,
            edited_at=timezone.now(),
            edited_by=actor.account,
        )
        old = locked.status
        # An edit never publishes a comment a moderator is holding or has rejected.
        new = decision.status if old == CommentStatus.PUBLISHED else old
        if old == CommentStatus.PENDING and decision.status == CommentStatus.REJECTED:
            new = CommentStatus.REJECTED
        locked.body, locked.body_html = body, body_html
        locked.edited_at, locked.status = timezone.now(), new
        locked.moderation_reasons, locked.toxicity = decision.reasons, decision.toxicity
        locked.save(
            update_fields=[
                "body",
                "body_html",
                "edited_at",
                "status",
                "moderation_reasons",
                "toxicity",
            ]
        )
        version = count_status_change(locked, old=old, new=new)
        decision_record(comment=locked, decision=decision, source="pipeline:edit")
        _announce(locked, "edited", version)
    return locked


def comment_delete(*, comment: Comment, actor: Actor, edit_token: str = "") -> Comment:
    """The author deletes their comment; it stays as a tombstone while replies hang below it."""
    _check_owner(comment, actor, edit_token)
    return comment_set_status(
        comment=comment,
        status=CommentStatus.DELETED,
        action=ModerationAction.DELETE,
        actor_user=actor.user if actor.is_authenticated else None,
        source="author",
    )


@transaction.atomic
def comment_set_status(
    *,
    comment: Comment,
    status: CommentStatus,
    action: ModerationAction,
    actor_user=None,  # noqa: ANN001
    source: str = "moderator",
    reason_code: str = "",
    reasons: list[str] | None = None,
) -> Comment:
    """Move a comment to ``status`` with counters and an audit row; the one way status changes
    after posting (approve, reject, delete, restore, automatic holds)."""
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    old = locked.status
    if old != status:
        locked.status = status
        fields = ["status"]
        if locked.is_shadowed and status in (CommentStatus.PUBLISHED, CommentStatus.PENDING):
            locked.is_shadowed = False  # a moderator let it out: it is everyone's now
            fields.append("is_shadowed")
        if status == CommentStatus.DELETED:
            locked.body, locked.body_html = "", ""
            fields += ["body", "body_html"]
        locked.save(update_fields=fields)
        version = count_status_change(locked, old=old, new=status)
    else:
        version = None  # the story did not change: listeners read what they need
    ModerationEvent.objects.create(
        site_id=locked.site_id,
        comment=locked,
        commenter_id=locked.commenter_id,
        actor=actor_user,
        source=source,
        action=action,
        reason_code=reason_code,
        reasons=reasons or [],
    )
    kind = {"published": "approved", "rejected": "rejected", "deleted": "deleted"}.get(
        status, "held"
    )
    _announce(locked, kind, version)
    return locked


def comment_insert_trusted(
    *,
    story: Story,
    parent: Comment | None,
    author_name: str,
    body: str,
    created_at: datetime | None = None,
    author_email: str = "",
    status: str = CommentStatus.PUBLISHED,
    upvotes: int = 0,
    downvotes: int = 0,
    external_id: str = "",
    source: str = "import",
) -> Comment:
    """Store a comment that needs no scoring or limits (demo data, imports): the tree
    fields, counters and audit row are kept exactly as for a posted comment."""
    from threadline.domain.ranking import controversy, wilson_lower_bound

    actor = Actor(guest_key=f"{source}:{author_email or author_name}")
    name = clean_line(author_name, max_length=100)  # an export may carry anything
    # The export's address stands for its author here: the operator vouches for the file.
    commenter = commenter_for(site=story.site, actor=actor, name=name, address=author_email)
    actions: dict[str, ModerationAction] = {
        CommentStatus.PUBLISHED: ModerationAction.PUBLISH,
        CommentStatus.PENDING: ModerationAction.HOLD,
    }
    action = actions.get(status, ModerationAction.REJECT)
    decision = Decision(action=action, reasons=[f"Imported ({source})"])
    with transaction.atomic():
        comment = _comment_insert(
            story=story,
            parent=parent,
            commenter=commenter,
            actor=actor,
            name=name,
            email=author_email,
            body=body,
            body_html=render_markdown(body),
            decision=decision,
            token_hash="",
            created_at=created_at,
        )
        if status == CommentStatus.DELETED:
            comment = comment_set_status(
                comment=comment,
                status=CommentStatus.DELETED,
                action=ModerationAction.DELETE,
                source=source,
            )
        if upvotes or downvotes or external_id:
            comment.upvotes, comment.downvotes, comment.external_id = (
                upvotes,
                downvotes,
                external_id,
            )
            comment.score = upvotes - downvotes
            comment.wilson = wilson_lower_bound(upvotes, downvotes)
            comment.controversy = controversy(upvotes, downvotes)
            comment.save(
                update_fields=[
                    "upvotes",
                    "downvotes",
                    "score",
                    "wilson",
                    "controversy",
                    "external_id",
                ]
            )
    return comment
