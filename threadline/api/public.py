"""The public JSON API under /api/v1/: stories, threads, comments, votes, flags, counts."""

from __future__ import annotations

import json
from datetime import datetime
from functools import partial

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Query, Router
from ninja.responses import NinjaJSONEncoder, Status

from threadline import errors, queries
from threadline.actions.comments import comment_delete, comment_edit, comment_post
from threadline.actions.stories import canonical_url, story_lookup_or_create
from threadline.actions.votes import flag_create, vote_cast
from threadline.api.base import actor_for
from threadline.api.schemas import (
    CommentDeleteIn,
    CommentIn,
    CommentOut,
    CommentPatch,
    CountsOut,
    ErrorOut,
    FlagIn,
    PostedOut,
    StoryLookupOut,
    StoryOut,
    ThreadOut,
    VoteIn,
)
from threadline.domain.guidelines import guidelines_link
from threadline.models import Comment, Site, Story
from threadline.oidc import oidc_config
from threadline.scoring.policy import public_reasons
from threadline.server import conditional, countcache, threadcache
from threadline.server.clientaddr import client_ip

router = Router(tags=["public"])
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    415: ErrorOut,
    429: ErrorOut,
}


def story_json(story: Story) -> dict:
    return {
        "id": story.pk,
        "site": story.site.name,
        "url": story.url,
        "title": story.title,
        "is_open": story.is_open,
        "comment_count": story.comment_count,
    }


def _to_millis(value: datetime | None) -> datetime | None:
    """The time as JSON carries it (milliseconds), so that encoding it directly gives the
    same text as Ninja's validate-then-encode: within the first millisecond of a second the
    two used to differ ("…24.000Z" against "…24Z")."""
    return value.replace(microsecond=value.microsecond // 1000 * 1000) if value else None


def posted_json(comment: Comment, edit_token: str | None = None) -> dict:
    return {
        "id": comment.pk,
        "status": comment.status_for_writer,  # its writer's view: a shadow ban is not told
        "story_id": comment.story_id,
        "parent_id": comment.parent_id,
        "body": comment.body,
        "body_html": comment.body_html,
        "author": {
            "name": comment.author_name,
            "registered": comment.user_id is not None,
            "badge": comment.author_badge or None,
            "avatar_url": comment.author_avatar or None,
        },
        "created_at": _to_millis(comment.created_at),
        "edited_at": _to_millis(comment.edited_at),
        "edit_token": edit_token,
        "reasons": [],
    }


def _link_guidelines(request: HttpRequest, site: Site, exc: errors.ThreadlineError) -> None:
    """The nudge links the site's community guidelines (``data.guidelines_url``, absolute:
    the widget runs on the publisher's origin), when the site has any."""
    link = guidelines_link(site)
    if link:
        exc.data["guidelines_url"] = request.build_absolute_uri(link)


@router.get("/stories/lookup", response={200: StoryLookupOut, **ERRORS}, exclude_none=True)
def story_lookup(request: HttpRequest, url: str, title: str = "") -> dict:
    """The story for a page URL; created on first call when the URL's origin is allowed.
    ``title`` is only a suggestion: it never replaces a story's title (docs/api.md). The
    widget's first call, so it also says whether readers may sign in with the operator's
    OpenID Connect provider (``oidc``, absent when that is off)."""
    story = story_lookup_or_create(url=url[:1000], title=title, ip=client_ip(request))
    return {**story_json(story), "oidc": _oidc_json(request)}


def _oidc_json(request: HttpRequest) -> dict | None:
    config = oidc_config()
    if config is None:
        return None
    # Built from the request, as the provider's redirect URI is (docs/accounts.md).
    start_url = request.build_absolute_uri(reverse("web:oidc-login"))
    return {"label": config.label, "start_url": start_url}


@router.get("/stories/{story_id}", response={200: StoryOut, **ERRORS})
def story_detail(request: HttpRequest, story_id: int) -> dict:
    return story_json(queries.access_story_for_reader(story_id=story_id))


@router.get("/stories/{story_id}/comments", response={200: ThreadOut, **ERRORS})
def thread(
    request: HttpRequest,
    story_id: int,
    sort: str = "best",
    cursor: str = "",
    limit: int = Query(50, ge=1, le=20000),
    depth: int | None = Query(None, ge=0, le=100),
    featured: bool = False,
) -> HttpResponse:
    """One page of top-level comments, each with its replies nested (to ``depth`` levels;
    ``more_replies`` counts what was cut), and the cursor of the next page. ``featured=1``:
    the story's featured comments instead, at any depth, flat and without replies."""
    story = queries.access_story_for_reader(story_id=story_id)
    if sort not in queries.SORTS:
        raise errors.ValidationError(
            f"sort must be one of {', '.join(queries.SORTS)}", field="sort"
        )
    if cursor:
        queries.decode_cursor(cursor, sort)  # before it becomes part of a cache key
    shape = threadcache.site_shape_of(story.site)
    key = threadcache.thread_key(
        story.pk, story.version, shape, sort, cursor, limit, depth, featured=featured
    )
    build = partial(_thread_json, story, sort, cursor, limit, depth, featured)
    return conditional.page_response(request, key, build)


def _thread_json(
    story: Story, sort: str, cursor: str, limit: int, depth: int | None, featured: bool
) -> bytes:
    """The thread page as the cache keeps it: compact JSON, UTF-8."""
    page = queries.thread_page(
        story=story,
        sort=sort,
        cursor=cursor or None,
        limit=limit,
        max_depth=depth,
        featured=featured,
    )
    return json.dumps(
        {
            "story_id": story.pk,
            "sort": sort,
            "total": page.total,
            "comments": page.comments,
            "next_cursor": page.next_cursor,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


@router.post("/stories/{story_id}/comments", response={201: PostedOut, 202: PostedOut, **ERRORS})
def post_comment(request: HttpRequest, story_id: int, payload: CommentIn) -> HttpResponse:
    """Post a comment or reply: 201 when published, 202 when held for review (or rejected)."""
    story = queries.access_story_for_reader(story_id=story_id)
    try:
        result = comment_post(
            story=story,
            actor=actor_for(request),
            body=payload.body,
            parent_id=payload.parent_id,
            author_name=payload.author_name,
            author_email=payload.author_email,
            confirm=payload.confirm,
            honeypot=payload.website,
        )
    except errors.NeedsConfirmationError as exc:
        _link_guidelines(request, story.site, exc)
        raise
    out = posted_json(result.comment, result.edit_token)
    del out["edited_at"]  # exactly PostedOut's fields (a new comment was never edited)
    published = out["status"] == "published"
    if not published:
        out["reasons"] = public_reasons(result.decision.reasons)
    # Encoded here rather than validated against PostedOut again: this is the hottest write
    # path and the dict is built to that schema (tests/api/test_comments.py checks it).
    return HttpResponse(
        json.dumps(out, cls=NinjaJSONEncoder),
        status=201 if published else 202,
        content_type="application/json; charset=utf-8",
    )


@router.get("/comments/{comment_id}", response={200: dict, **ERRORS})
def comment_detail(request: HttpRequest, comment_id: int, sort: str = "best") -> dict:
    """One comment with the replies below it and its ancestors (for permalinks)."""
    comment = queries.access_comment_for_reader(comment_id=comment_id)
    return {
        "story": story_json(comment.story),
        "comment": queries.subtree(comment=comment, sort=sort),
        "ancestors": queries.ancestors(comment=comment),
    }


@router.get("/comments/{comment_id}/replies", response={200: CommentOut, **ERRORS})
def comment_replies(request: HttpRequest, comment_id: int, sort: str = "best") -> dict:
    """ "Continue this thread": the subtree below a comment that a page cut off."""
    comment = queries.access_comment_for_reader(comment_id=comment_id)
    return queries.subtree(comment=comment, sort=sort)


@router.get("/comments/{comment_id}/source", response={200: PostedOut, **ERRORS})
def comment_source(request: HttpRequest, comment_id: int, edit_token: str = "") -> dict:
    """The Markdown source and status of the caller's own comment (held ones too)."""
    from threadline.actions.comments import can_change

    comment = queries.access_comment_for_change(comment_id=comment_id)
    if not can_change(comment=comment, actor=actor_for(request), edit_token=edit_token):
        raise errors.NotYourCommentError()
    return posted_json(comment)


@router.patch("/comments/{comment_id}", response={200: PostedOut, 202: PostedOut, **ERRORS})
def edit_comment(request: HttpRequest, comment_id: int, payload: CommentPatch) -> Status:
    comment = queries.access_comment_for_change(comment_id=comment_id)
    try:
        updated = comment_edit(
            comment=comment,
            actor=actor_for(request),
            body=payload.body,
            edit_token=payload.edit_token,
            confirm=payload.confirm,
        )
    except errors.NeedsConfirmationError as exc:
        _link_guidelines(request, comment.site, exc)
        raise
    out = posted_json(updated)
    if out["status"] != "published":
        out["reasons"] = public_reasons(updated.moderation_reasons)
    return Status(200 if out["status"] == "published" else 202, out)


@router.delete("/comments/{comment_id}", response={200: dict, **ERRORS})
def delete_comment(
    request: HttpRequest, comment_id: int, payload: CommentDeleteIn | None = None
) -> dict:
    comment = queries.access_comment_for_change(comment_id=comment_id)
    token = (payload.edit_token if payload else "") or request.META.get("HTTP_X_EDIT_TOKEN", "")
    deleted = comment_delete(comment=comment, actor=actor_for(request), edit_token=token)
    return {"id": deleted.pk, "status": deleted.status}


@router.post("/comments/{comment_id}/votes", response={200: dict, **ERRORS})
def vote(request: HttpRequest, comment_id: int, payload: VoteIn) -> dict:
    comment = queries.access_comment_for_reader(comment_id=comment_id)
    updated = vote_cast(comment=comment, actor=actor_for(request), value=payload.value)
    return {
        "id": updated.pk,
        "upvotes": updated.upvotes,
        "downvotes": updated.downvotes,
        "score": updated.score,
        "your_vote": payload.value,
    }


@router.post("/comments/{comment_id}/flags", response={201: dict, **ERRORS})
def flag(request: HttpRequest, comment_id: int, payload: FlagIn) -> Status:
    comment = queries.access_comment_for_reader(comment_id=comment_id)
    created = flag_create(
        comment=comment, actor=actor_for(request), reason=payload.reason, note=payload.note
    )
    return Status(201, {"id": created.pk, "reason": created.reason})


@router.get("/counts", response={200: CountsOut, **ERRORS})
def counts(request: HttpRequest, url: list[str] = Query(...)) -> dict:
    """Comment counts for many pages at once (unknown pages count 0)."""
    if len(url) > 200:
        raise errors.ValidationError("At most 200 URLs at once.", field="url")
    wanted = {}
    for u in url:
        try:
            wanted[canonical_url(u[:1000])] = u
        except errors.ThreadlineError:
            continue
    found = countcache.counts_for_urls(list(wanted))
    return {"counts": {original: found.get(canon, 0) for canon, original in wanted.items()}}
