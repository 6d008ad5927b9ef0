"""Threadline's own export: JSON Lines, one object per line, streamed.

Line 1 is the header ``{"format": "threadline-export", "version": 1, "site": {...}}``;
then ``user``, ``commenter``, ``story``, ``comment`` (parents before replies, with their
revisions, votes and flags) and ``event`` records, each with a ``"type"``. References
between records use keys (a story's or comment's external id, or ``tl:<id>`` for rows
born here; a commenter's key; a user's username), never database ids. The format is
documented in docs/import-export.md; ``threadline.importers.threadline_json`` reads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from threadline.models import Comment, Commenter, ModerationEvent, Site, Story

FORMAT = "threadline-export"
VERSION = 1
# The SSO secret is a secret: in the header only ``with_secrets`` (export_lines).
SITE_SKIP = {"id", "name", "moderators", "created_at", "sso_secret"}
CHUNK = 2000


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def row_key(external_id: str, pk: int) -> str:
    return external_id or f"tl:{pk}"


def site_json(site: Site) -> dict[str, Any]:
    data = {
        f.name: getattr(site, f.name) for f in Site._meta.concrete_fields if f.name not in SITE_SKIP
    }
    data["name"] = site.name
    data["created_at"] = _iso(site.created_at)
    data["moderators"] = sorted(site.moderators.values_list("username", flat=True))
    return data


def export_lines(
    *, site: Site, story_url: str | None = None, with_secrets: bool = False
) -> Iterator[str]:
    """The whole site (or one story) as export lines; memory stays flat."""
    stories = Story.objects.filter(site=site).order_by("id")
    if story_url is not None:
        stories = stories.filter(url=story_url)
    comments = Comment.objects.filter(site=site, story__in=stories)
    yield _line(
        {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": _iso(timezone.now()),
            "with_secrets": with_secrets,
            "site": site_json(site) | ({"sso_secret": site.sso_secret} if with_secrets else {}),
        }
    )
    yield from _users(site, comments, story_url is not None, with_secrets)
    yield from _commenters(site, comments, story_url is not None)
    for story in stories.iterator(chunk_size=CHUNK):
        yield _line(story_record(story))
        for comment in _story_comments(story):
            yield _line(comment_record(comment, with_secrets=with_secrets))
    yield from _events(site, comments, story_url is not None)


def _users(site: Site, comments: Any, one_story: bool, with_secrets: bool) -> Iterator[str]:
    User = get_user_model()
    wanted = Q(pk__in=comments.values("user_id")) | Q(
        pk__in=comments.values("revisions__edited_by")
    )
    if not one_story:
        wanted |= Q(moderated_sites=site) | Q(
            pk__in=Commenter.objects.filter(site=site).values("user_id")
        )
        wanted |= Q(pk__in=ModerationEvent.objects.filter(site=site).values("actor_id"))
    for user in User.objects.filter(wanted).distinct().order_by("id").iterator(chunk_size=CHUNK):
        yield _line(user_record(user, with_secrets=with_secrets))


def user_record(user: Any, *, with_secrets: bool) -> dict[str, Any]:
    data = {
        "type": "user",
        "username": user.get_username(),
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "date_joined": _iso(user.date_joined),
    }
    if with_secrets:
        data["password"] = user.password
    return data


def _commenters(site: Site, comments: Any, one_story: bool) -> Iterator[str]:
    rows = Commenter.objects.filter(site=site).select_related("user").order_by("id")
    if one_story:
        rows = rows.filter(pk__in=comments.values("commenter_id"))
    for c in rows.iterator(chunk_size=CHUNK):
        yield _line(
            {
                "type": "commenter",
                "key": c.key,
                "user": c.user.get_username() if c.user else None,
                "display_name": c.display_name,
                "email": c.email,
                "comments_total": c.comments_total,
                "comments_published": c.comments_published,
                "comments_rejected": c.comments_rejected,
                "flags_received": c.flags_received,
                "banned_until": _iso(c.banned_until),
                "banned_forever": c.banned_forever,
                "ban_message": c.ban_message,
                "ban_shadow": c.ban_shadow,
                "always_premoderate": c.always_premoderate,
                "notes": c.notes,
                "sso_id": c.sso_id,
                "badge": c.badge,
                "avatar_url": c.avatar_url,
                "created_at": _iso(c.created_at),
            }
        )


def story_record(story: Story) -> dict[str, Any]:
    return {
        "type": "story",
        "key": row_key(story.external_id, story.pk),
        "url": story.url,
        "title": story.title,
        "lead_image_url": story.lead_image_url,
        "lead_image_caption": story.lead_image_caption,
        "body": story.body,
        "author": story.author,
        "published_at": _iso(story.published_at),
        "is_open": story.is_open,
        "premoderation": story.premoderation,
        "created_at": _iso(story.created_at),
    }


def _story_comments(story: Story) -> Iterator[Comment]:
    rows = (
        Comment.objects.filter(story=story)
        .order_by("path")
        .select_related("parent", "commenter", "user")
        .prefetch_related("revisions__edited_by", "votes", "flags")
    )
    yield from rows.iterator(chunk_size=CHUNK)


def comment_record(c: Comment, *, with_secrets: bool) -> dict[str, Any]:
    data = {
        "type": "comment",
        "key": row_key(c.external_id, c.pk),
        "story": row_key(c.story.external_id, c.story_id),
        "parent": row_key(c.parent.external_id, c.parent.pk) if c.parent else None,
        "commenter": c.commenter.key if c.commenter else None,
        "user": c.user.get_username() if c.user else None,
        "author_name": c.author_name,
        "author_email": c.author_email,
        "body": c.body,
        "body_html": c.body_html,
        "status": c.status,
        "upvotes": c.upvotes,
        "downvotes": c.downvotes,
        "flag_count": c.flag_count,
        "is_pinned": c.is_pinned,
        "is_featured": c.is_featured,
        "is_shadowed": c.is_shadowed,
        "moderation_reasons": c.moderation_reasons,
        "toxicity": c.toxicity,
        "created_at": _iso(c.created_at),
        "edited_at": _iso(c.edited_at),
        "revisions": [
            {
                "body": r.body,
                "edited_at": _iso(r.edited_at),
                "edited_by": r.edited_by.get_username() if r.edited_by else None,
            }
            for r in c.revisions.all()
        ],
        "votes": [
            {"voter_key": v.voter_key, "value": v.value, "created_at": _iso(v.created_at)}
            for v in sorted(c.votes.all(), key=lambda v: v.pk)
        ],
        "flags": [
            {
                "reporter_key": f.reporter_key,
                "reason": f.reason,
                "note": f.note,
                "resolved": f.resolved,
                "created_at": _iso(f.created_at),
            }
            for f in sorted(c.flags.all(), key=lambda f: f.pk)
        ],
    }
    if with_secrets:
        data["ip_address"] = c.ip_address
        data["edit_token_hash"] = c.edit_token_hash
    return data


def _events(site: Site, comments: Any, one_story: bool) -> Iterator[str]:
    rows = (
        ModerationEvent.objects.filter(site=site)
        .order_by("id")
        .select_related("comment", "commenter", "actor")
    )
    if one_story:
        rows = rows.filter(comment__in=comments)
    for e in rows.iterator(chunk_size=CHUNK):
        yield _line(
            {
                "type": "event",
                "comment": row_key(e.comment.external_id, e.comment.pk) if e.comment else None,
                "commenter": e.commenter.key if e.commenter else None,
                "actor": e.actor.get_username() if e.actor else None,
                "source": e.source,
                "action": e.action,
                "reason_code": e.reason_code,
                "reasons": e.reasons,
                "scores": e.scores,
                "model_version": e.model_version,
                "created_at": _iso(e.created_at),
            }
        )
