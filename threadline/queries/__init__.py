"""Permission-checked reads (``access_*``) and the thread-tree reads the pages and API share.

A thread page costs a fixed number of queries whatever its size: the top-level page (one
query) and every comment under those roots (one query), assembled in Python.

The package owns the domain's guarded reads: this module (the stories, threads and
permission checks everyone needs), ``desk`` (the moderator desk's and moderator API's
queues) and ``reader`` (a reader's reads about themselves: mutes, notifications, own
comments). It may import the models, ``db``, ``scoring``, ``domain``, ``errors`` and the
actions (``desk`` reads the bans' and the desk's helpers); never the views, ``delivery``,
``server`` or the commands. This module imports neither submodule, so ``desk`` and
``reader`` may import it.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from threadline import errors
from threadline.db import sqlfast
from threadline.models import ApiToken, Badge, Comment, CommentStatus, Site, Story

# Sort name -> keyset columns (field, descending). Pinned comments lead every sort.
SORTS: dict[str, list[tuple[str, bool]]] = {
    "best": [("is_pinned", True), ("wilson", True), ("score", True), ("id", True)],
    "top": [("is_pinned", True), ("score", True), ("id", True)],
    "newest": [("is_pinned", True), ("created_at", True), ("id", True)],
    "oldest": [("is_pinned", True), ("created_at", False), ("id", False)],
    "controversial": [("is_pinned", True), ("controversy", True), ("id", True)],
}

FIELDS = (
    "id",
    "parent_id",
    "root_id",
    "depth",
    "author_name",
    "author_badge",
    "author_avatar",
    "user_id",
    "body_html",
    "status",
    "created_at",
    "edited_at",
    "upvotes",
    "downvotes",
    "score",
    "wilson",
    "controversy",
    "reply_count",
    "is_pinned",
    "is_featured",
)


# --- counts (public: any page may show how many comments a story has) -----------------


def story_counts_by_url(urls: list[str]) -> dict[str, tuple[int, int]]:
    """(story id, published comment count) of the stories at these canonical URLs."""
    rows = Story.objects.filter(url__in=urls).values_list("url", "id", "comment_count")
    return {url: (story_id, count) for url, story_id, count in rows}


def story_counts_by_id(ids: list[int]) -> dict[int, int]:
    return dict(Story.objects.filter(pk__in=ids).values_list("id", "comment_count"))


# --- access guards --------------------------------------------------------------------


def access_story_for_reader(*, story_id: int) -> Story:
    """The story with its site; read on every post and page view, so the statement is
    prepared once (``sqlfast``) rather than compiled per call."""
    story = sqlfast.get_unique(Story, pk=story_id, related=("site",))
    if story is None:
        raise errors.NotFoundError("No such story.")
    return story


def access_site_for_reader(*, name: str) -> Site:
    """A site by its name, for its public pages (the guidelines): any reader may see one."""
    site = Site.objects.filter(name=name).first()
    if site is None:
        raise errors.NotFoundError("No such site.")
    return site


def _comment_with_context(comment_id: int) -> Comment | None:
    """The comment with its story, site, commenter and parent, in one query."""
    return (
        Comment.objects.select_related("story", "site", "commenter", "parent")
        .filter(pk=comment_id)
        .first()
    )


def access_comment_for_reader(*, comment_id: int) -> Comment:
    """A comment a reader may see: published, or a tombstone (deleted / removed)."""
    comment = _comment_with_context(comment_id)
    if comment is None or comment.status == CommentStatus.PENDING:
        raise errors.CommentNotFoundError()
    return comment


def access_comment_for_change(*, comment_id: int) -> Comment:
    """A comment its author may edit or delete (ownership is checked by the action)."""
    comment = _comment_with_context(comment_id)
    if comment is None:
        raise errors.CommentNotFoundError()
    return comment


def is_moderator(user: User | AnonymousUser | None, site_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False):
        return True
    return Site.moderators.through.objects.filter(site_id=site_id, user_id=user.pk).exists()


def access_sites_for_moderator(*, user: User | AnonymousUser) -> QuerySet[Site]:
    if not user.is_authenticated:
        return Site.objects.none()
    if getattr(user, "is_superuser", False):
        return Site.objects.all()
    return Site.objects.filter(moderators=user)


def access_comment_for_moderator(*, comment_id: int, user: User | AnonymousUser) -> Comment:
    comment = (
        Comment.objects.select_related("story", "site", "commenter").filter(pk=comment_id).first()
    )
    if comment is None or not is_moderator(user, comment.site_id):
        # Same answer for "absent" and "not yours": no probing of other sites' ids.
        raise errors.PermissionDeniedError()
    return comment


def access_site_for_moderator(*, site_id: int, user: User | AnonymousUser) -> Site:
    site = Site.objects.filter(pk=site_id).first()
    if site is None or not is_moderator(user, site.pk):
        raise errors.PermissionDeniedError()
    return site


# --- accounts -------------------------------------------------------------------------


def access_sessions_for_user(*, user: User) -> QuerySet[ApiToken]:
    """``user``'s live API tokens, newest first: theirs only, expired ones left out."""
    return ApiToken.objects.filter(user=user, expires_at__gt=timezone.now()).order_by(
        "-created_at", "-id"
    )


PROFILE_PAGE_SIZE = 20
_BADGE_ORDER: dict[str, int] = {Badge.STAFF: 0, Badge.JOURNALIST: 1, Badge.MODERATOR: 2}


@dataclass
class ReaderProfile:
    user_id: int
    name: str
    avatar_url: str  # from the publisher's sign-in; "" for initials
    badges: list[tuple[str, str]]  # (badge, site title; "" for every site)
    comments: list[Comment]  # published, newest first, each with its story
    total: int
    page: int
    pages: int
    is_own: bool


def access_profile_for_reader(
    *, user_id: int, page: int = 1, viewer: User | AnonymousUser | None = None
) -> ReaderProfile:
    """An account's public profile: the name it shows, its avatar and team badges, and its
    published comments (nothing held, rejected, shadowed or deleted), newest first,
    ``PROFILE_PAGE_SIZE`` a page. An account without a published comment has no public
    profile but its own viewer's; no such account, a disabled one and a page past the last
    are one ``NotFoundError``. Five queries, whatever the page or the history."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    is_own = viewer is not None and viewer.is_authenticated and viewer.pk == user_id
    published = Comment.objects.filter(user_id=user_id, status=CommentStatus.PUBLISHED)
    total = published.count() if user is not None else 0
    pages = max(1, math.ceil(total / PROFILE_PAGE_SIZE))
    if user is None or (total == 0 and not is_own) or not 1 <= page <= pages:
        raise errors.NotFoundError("No such reader, or no such page of their comments.")
    start = (page - 1) * PROFILE_PAGE_SIZE
    comments = list(
        published.select_related("story").order_by("-created_at", "-id")[
            start : start + PROFILE_PAGE_SIZE
        ]
    )
    records = user.commenter_set.select_related("site").order_by("-pk")
    avatar, badges = "", []
    for record in records:
        avatar = avatar or record.avatar_url
        if record.badge:
            badges.append((record.badge, record.site.title or record.site.name))
    if user.is_superuser:
        badges.append((Badge.MODERATOR, ""))
    else:
        for title, name in user.moderated_sites.values_list("title", "name"):
            badges.append((Badge.MODERATOR, title or name))
    badges.sort(key=lambda b: (_BADGE_ORDER.get(b[0], 9), b[1]))
    return ReaderProfile(
        user_id=user.pk,
        name=user.first_name or user.get_username(),
        avatar_url=avatar,
        badges=badges,
        comments=comments,
        total=total,
        page=page,
        pages=pages,
        is_own=is_own,
    )


def access_comment_author_for_reader(*, comment_id: int) -> int:
    """The account id of a published comment's author, for the link from the comment to
    its author's profile; ``NotFoundError`` for a guest's comment and for one nobody may
    see (held, removed, deleted). One query."""
    found = Comment.objects.filter(pk=comment_id, status=CommentStatus.PUBLISHED)
    user_id = found.values_list("user_id", flat=True).first()
    if user_id is None:
        raise errors.NotFoundError("This comment has no author's profile.")
    return user_id


# --- cursors --------------------------------------------------------------------------


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, default=str, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# The longest cursor encode_cursor writes is about 150 characters; anything far longer
# was not written by it.
MAX_CURSOR_LENGTH = 512
_BIGINT = 2**63


def decode_cursor(cursor: str, sort: str) -> list[Any]:
    """The keyset values of a cursor, each checked against its column's type: a cursor
    comes back from the client and may have been edited, and a wrong type reaching the
    database is a 500 (or an overflow) rather than a 400."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise errors.InvalidCursorError(field="cursor")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(SORTS[sort]):
            raise ValueError("wrong shape")
        return [
            _cursor_field(name, value) for (name, _), value in zip(SORTS[sort], values, strict=True)
        ]
    except (ValueError, UnicodeDecodeError, RecursionError, OverflowError) as exc:
        raise errors.InvalidCursorError(field="cursor") from exc


def _cursor_field(name: str, value: Any) -> Any:
    """One keyset value as its column stores it, or ValueError."""
    if name == "is_pinned":
        if not isinstance(value, bool):
            raise ValueError(name)
        return value
    if name == "created_at":
        when = parse_datetime(value) if isinstance(value, str) else None
        if when is None or when.tzinfo is None:
            raise ValueError(name)
        return when.astimezone(UTC)  # OverflowError at the ends of the calendar
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(name)
    if name in ("wilson", "controversy"):
        if not math.isfinite(value):
            raise ValueError(name)
        return float(value)
    if not isinstance(value, int) or not -_BIGINT < value < _BIGINT:
        raise ValueError(name)
    return value


def _keyset_filter(sort: str, values: list[Any]) -> Q:
    """Rows strictly after ``values`` in the sort order (OR over equal prefixes)."""
    columns = SORTS[sort]
    condition = Q()
    for i, (name, desc) in enumerate(columns):
        step = Q(**{f"{name}__{'lt' if desc else 'gt'}": values[i]})
        for j in range(i):
            step &= Q(**{columns[j][0]: values[j]})
        condition |= step
    return condition


def _sort_key(sort: str):  # noqa: ANN202
    columns = SORTS[sort]

    def key(row: dict[str, Any]) -> tuple:
        out = []
        for name, desc in columns:
            value = row[name]
            if name == "created_at":
                value = value.timestamp()
            elif isinstance(value, bool):
                value = int(value)
            out.append(-value if desc else value)
        return tuple(out)

    return key


# --- thread reads ---------------------------------------------------------------------

VISIBLE = Q(status=CommentStatus.PUBLISHED) | Q(reply_count__gt=0)


@dataclass
class ThreadPage:
    comments: list[dict[str, Any]]
    next_cursor: str | None
    total: int


def _public_row(row: dict[str, Any]) -> dict[str, Any]:
    tombstone = row["status"] != CommentStatus.PUBLISHED
    return {
        "id": row["id"],
        "parent_id": row["parent_id"],
        "depth": row["depth"],
        "author": {
            "name": "" if tombstone else row["author_name"],
            "registered": row["user_id"] is not None and not tombstone,
            "badge": None if tombstone else row["author_badge"] or None,
            "avatar_url": None if tombstone else row["author_avatar"] or None,
        },
        "body_html": "" if tombstone else row["body_html"],
        "status": "published"
        if not tombstone
        else ("deleted" if row["status"] == CommentStatus.DELETED else "removed"),
        "created_at": row["created_at"].isoformat(),
        "edited_at": row["edited_at"].isoformat() if row["edited_at"] and not tombstone else None,
        "upvotes": row["upvotes"],
        "downvotes": row["downvotes"],
        "score": row["score"],
        "reply_count": row["reply_count"],
        "pinned": row["is_pinned"],
        "featured": row["is_featured"],
        "replies": [],
        "more_replies": 0,
    }


def _assemble(
    roots: list[dict[str, Any]],
    below: list[dict[str, Any]],
    *,
    sort: str,
    max_depth: int,
    base_depth: int,
) -> list[dict[str, Any]]:
    """Nest ``below`` under ``roots``; cut at ``max_depth`` levels with a "more replies" count."""
    nodes = {r["id"]: _public_row(r) for r in roots}
    key = _sort_key(sort)
    children: dict[int, list[dict[str, Any]]] = {}
    for row in below:
        children.setdefault(row["parent_id"], []).append(row)
    for rows in children.values():
        rows.sort(key=key)
    out = [nodes[r["id"]] for r in roots]
    stack = list(out)
    while stack:
        node = stack.pop()
        rows = children.get(node["id"], [])
        if node["depth"] - base_depth >= max_depth:
            node["more_replies"] = node["reply_count"]  # rows below were not fetched
            continue
        for row in rows:
            if row["status"] != CommentStatus.PUBLISHED and not row["reply_count"]:
                continue
            child = _public_row(row)
            node["replies"].append(child)
            stack.append(child)
    return out


def thread_page(
    *,
    story: Story,
    sort: str = "best",
    cursor: str | None = None,
    limit: int = 50,
    max_depth: int | None = None,
    featured: bool = False,
) -> ThreadPage:
    """One page of top-level comments with their visible replies nested below them; with
    ``featured``, the editor's picks at any depth, flat (one query, no replies below)."""
    if sort not in SORTS:
        raise errors.ValidationError(f"sort must be one of {', '.join(SORTS)}", field="sort")
    depth = story.site.max_depth if max_depth is None else max_depth
    if featured:
        qs = Comment.objects.filter(
            story_id=story.pk, status=CommentStatus.PUBLISHED, is_featured=True
        )
    else:
        qs = Comment.objects.filter(VISIBLE, story_id=story.pk, depth=0)
    if cursor:
        qs = qs.filter(_keyset_filter(sort, decode_cursor(cursor, sort)))
    order = [f"-{n}" if d else n for n, d in SORTS[sort]]
    roots = list(qs.order_by(*order).values(*FIELDS)[: limit + 1])
    next_cursor = None
    if len(roots) > limit:
        roots = roots[:limit]
        last = roots[-1]
        next_cursor = encode_cursor([_cursor_value(last[n]) for n, _ in SORTS[sort]])
    below = []
    if roots and not featured:
        below = list(
            Comment.objects.filter(
                VISIBLE, story_id=story.pk, root_id__in=[r["id"] for r in roots], depth__lte=depth
            ).values(*FIELDS)
        )
    comments = _assemble(roots, below, sort=sort, max_depth=depth, base_depth=0)
    return ThreadPage(comments=comments, next_cursor=next_cursor, total=story.comment_count)


def _cursor_value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def subtree(
    *, comment: Comment, sort: str = "best", max_depth: int | None = None
) -> dict[str, Any]:
    """A comment with the replies below it ("continue this thread")."""
    if sort not in SORTS:
        raise errors.ValidationError(f"sort must be one of {', '.join(SORTS)}", field="sort")
    depth = comment.site.max_depth if max_depth is None else max_depth
    rows = list(
        Comment.objects.filter(
            VISIBLE,
            story_id=comment.story_id,
            path__startswith=comment.path + "/",
            depth__lte=comment.depth + depth,
        ).values(*FIELDS)
    )
    head = Comment.objects.filter(pk=comment.pk).values(*FIELDS)[0]
    return _assemble([head], rows, sort=sort, max_depth=depth, base_depth=comment.depth)[0]


def ancestors(*, comment: Comment) -> list[dict[str, Any]]:
    """The chain from the top-level comment down to this comment's parent (permalinks)."""
    ids = [int(seg) for seg in comment.path.split("/")[:-1] if seg]
    rows = {r["id"]: r for r in Comment.objects.filter(pk__in=ids).values(*FIELDS)}
    return [_public_row(rows[i]) for i in ids if i in rows]


def access_own_unseen_for_reader(
    *, story: Story, comment_ids: list[int], user: User | AnonymousUser
) -> list[Comment]:
    """The reader's own comments on ``story`` that no one else sees: held for review, or
    rejected — each with ``rejection``, the latest reject event, or None, and ``statement``,
    the statement of reasons it gives (``statement_of_reasons``) — or shadowed by a ban
    (``is_shadowed``: its writer is shown it as published, in the thread). Own means posted
    from this session (``comment_ids``, the session's edit tokens) or by the signed-in
    account. No query for a reader with neither; one, and one more when there are such
    comments."""
    from django.db.models import Prefetch

    from threadline.models import ModerationAction, ModerationEvent

    if not comment_ids and not user.is_authenticated:
        return []
    mine = Q(pk__in=comment_ids)
    if user.is_authenticated:
        mine |= Q(user_id=user.pk)
    rejects = ModerationEvent.objects.filter(action=ModerationAction.REJECT).order_by(
        "-created_at", "-id"
    )
    rows: list[Comment] = list(
        Comment.objects.filter(
            mine,
            story_id=story.pk,
            status__in=[CommentStatus.PENDING, CommentStatus.REJECTED],
        )
        .order_by("-created_at", "-id")
        .prefetch_related(Prefetch("events", queryset=rejects, to_attr="rejects"))[:20]
    )
    for comment in rows:
        found = getattr(comment, "rejects", [])
        comment.rejection = found[0] if found else None  # type: ignore[attr-defined]
        comment.statement = statement_of_reasons(comment.rejection)  # type: ignore[attr-defined]
    return rows


def statement_of_reasons(event: Any) -> list[str]:
    """What the writer of a rejected comment is told (the DSA statement of reasons): a
    moderator's category and note as given; the pipeline's reasons without the scores and
    counts (``public_reasons``), which would only help to word around them."""
    from threadline.scoring.policy import public_reasons

    if event is None:
        return []
    reasons = [str(r) for r in event.reasons]
    return reasons if event.source == "moderator" else public_reasons(reasons)


def comment_row(comment: Comment, *, status: str) -> dict[str, Any]:
    """A stored comment in the thread's shape (``thread_page``) as one reader may see it —
    its writer, a moderator — with its text whatever its stored status, and ``status``."""
    row = _public_row({**{f: getattr(comment, f) for f in FIELDS}, "status": "published"})
    row["status"] = status
    return row


def own_shadowed_merge(
    comments: list[dict[str, Any]], own: list[Comment], *, top: bool = True
) -> None:
    """Show its writer their comments a shadow ban keeps from everyone else, in place as
    if published: replies under their parent when it is on the page, top-level ones first
    (unless ``top`` is false: a permalink's subtree). ``comments`` is a nested page
    (``thread_page``), changed in place; no query."""
    nodes: dict[int, dict[str, Any]] = {}
    stack = list(comments)
    while stack:
        node = stack.pop()
        nodes[node["id"]] = node
        stack.extend(node["replies"])
    for comment in sorted(own, key=lambda c: (c.depth, c.created_at)):
        if not comment.is_shadowed or comment.status != CommentStatus.REJECTED:
            continue
        row = comment_row(comment, status="published")
        parent = nodes.get(comment.parent_id or 0)
        if comment.parent_id is None and top:
            comments.insert(0, row)
        elif parent is not None:
            parent["replies"].append(row)
        else:
            continue
        nodes[row["id"]] = row


def access_own_votes_for_reader(*, reader_key: str, comment_ids: list[int]) -> dict[str, int]:
    """{comment id: +1 or -1}: which way the reader under ``reader_key`` (``Actor.reader_key``)
    voted on these comments, so a page can show it and a second click withdraws it. One
    query whatever the page's size; none for a reader who never voted or an empty page."""
    from threadline.models import Vote

    if not reader_key or not comment_ids:
        return {}
    rows = Vote.objects.filter(comment_id__in=comment_ids, voter_key=reader_key)
    return {str(cid): value for cid, value in rows.values_list("comment_id", "value")}
