"""Export a lived-in site, empty the database, import the export: the same site comes back."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from tests.factories import SiteFactory, StoryFactory, UserFactory, post_comment
from threadline.actions.commenters import commenter_ban
from threadline.actions.comments import comment_edit, comment_set_status
from threadline.actions.imports import import_run
from threadline.actions.votes import flag_create, vote_cast
from threadline.domain.identity import Actor
from threadline.exporters.threadline_json import export_lines
from threadline.models import (
    Comment,
    Commenter,
    CommentStatus,
    ModerationAction,
    ModerationEvent,
    Site,
    Story,
)

pytestmark = pytest.mark.django_db
NO_LIMITS = {"RATE_LIMIT_POST_IP": "", "RATE_LIMIT_POST_AUTHOR": "", "RATE_LIMIT_VOTE_IP": ""}


def _key(c: Comment | None) -> str | None:
    return None if c is None else (c.external_id or f"tl:{c.pk}")


def canonical(site: Site) -> dict[str, Any]:
    """The site without database ids: rows keyed by their export keys."""
    keys = {c.pk: _key(c) for c in Comment.objects.filter(site=site)}
    comments = {}
    for c in Comment.objects.filter(site=site).select_related(
        "story", "commenter", "user", "parent"
    ):
        comments[_key(c)] = {
            "story": c.story.url,
            "parent": _key(c.parent),
            "root": keys.get(c.root_id),
            "depth": c.depth,
            "path": [keys[int(s)] for s in c.path.split("/")],
            "commenter": c.commenter.key if c.commenter else None,
            "user": c.user.username if c.user else None,
            **{
                f: getattr(c, f)
                for f in (
                    "author_name",
                    "author_email",
                    "ip_address",
                    "body",
                    "body_html",
                    "status",
                    "edit_token_hash",
                    "upvotes",
                    "downvotes",
                    "score",
                    "wilson",
                    "controversy",
                    "flag_count",
                    "reply_count",
                    "is_pinned",
                    "is_featured",
                    "moderation_reasons",
                    "toxicity",
                    "created_at",
                    "edited_at",
                )
            },
            "revisions": [
                (r.body, r.edited_at, r.edited_by_id and r.edited_by.username)
                for r in c.revisions.all()
            ],
            "votes": sorted((v.voter_key, v.value, v.created_at) for v in c.votes.all()),
            "flags": sorted(
                (f.reporter_key, f.reason, f.note, f.resolved, f.created_at) for f in c.flags.all()
            ),
        }
    stories = {
        s.url: {
            f: getattr(s, f)
            for f in (
                "title",
                "body",
                "author",
                "published_at",
                "is_open",
                "premoderation",
                "comment_count",
                "created_at",
            )
        }
        for s in Story.objects.filter(site=site)
    }
    commenters = {
        c.key: {
            f: getattr(c, f)
            for f in (
                "display_name",
                "email",
                "comments_total",
                "comments_published",
                "comments_rejected",
                "flags_received",
                "banned_until",
                "banned_forever",
                "ban_message",
                "always_premoderate",
                "notes",
                "created_at",
            )
        }
        | {"user": c.user.username if c.user else None}
        for c in Commenter.objects.filter(site=site).select_related("user")
    }
    events = sorted(
        (
            (
                keys.get(e.comment_id),
                e.commenter.key if e.commenter else None,
                e.actor.username if e.actor else None,
                e.source,
                e.action,
                e.reason_code,
                repr(e.reasons),
                repr(sorted(e.scores.items())),
                e.model_version,
                e.created_at,
            )
            for e in ModerationEvent.objects.filter(site=site).exclude(source="import:threadline")
        ),
        key=repr,
    )
    users = sorted(
        (u.username, u.email, u.first_name, u.is_staff, u.is_superuser, u.password, u.date_joined)
        for u in get_user_model().objects.all()
    )
    policy = {f.name: getattr(site, f.name) for f in Site._meta.concrete_fields if f.name != "id"}
    return {
        "site": policy,
        "moderators": sorted(site.moderators.values_list("username", flat=True)),
        "stories": stories,
        "comments": comments,
        "commenters": commenters,
        "events": events,
        "users": users,
    }


def build_site() -> Site:
    site = SiteFactory(name="news", title="News", hold_threshold=0.6)
    moderator = UserFactory(username="mod", is_staff=True)
    site.moderators.add(moderator)
    reader = UserFactory(username="reader", first_name="Réa")
    story = StoryFactory(site=site, title="Première — story", body="Body *md*")
    StoryFactory(site=site, title="Quiet story")
    with override_settings(
        THREADLINE={**__import__("django.conf").conf.settings.THREADLINE, **NO_LIMITS}
    ):
        top = post_comment(story, "Top comment ✓ with **bold** & <tags>", name="Ann")
        reply = post_comment(
            story, "A reply", parent=top.comment, name="Bob", author_email="bob@example.org"
        )
        deep = post_comment(
            story, "Deeper", parent=reply.comment, actor=Actor(user=reader, ip="10.0.0.9")
        )
        gone = post_comment(story, "Will be deleted", parent=top.comment, name="Cy")
        comment_edit(
            comment=reply.comment,
            actor=Actor(guest_key="guest-Bob"),
            body="A reply, edited",
            edit_token=reply.edit_token,
        )
        vote_cast(comment=top.comment, actor=Actor(user=reader, ip="1.1.1.1"), value=1)
        vote_cast(comment=top.comment, actor=Actor(guest_key="g2", ip="1.1.1.2"), value=-1)
        vote_cast(comment=deep.comment, actor=Actor(guest_key="g3", ip="1.1.1.3"), value=1)
        flag_create(
            comment=reply.comment,
            actor=Actor(guest_key="g4", ip="1.1.1.4"),
            reason="spam",
            note="looks like an ad",
        )
        comment_set_status(
            comment=gone.comment,
            status=CommentStatus.DELETED,
            action=ModerationAction.DELETE,
            actor_user=moderator,
        )
        held = post_comment(story, "Held one", name="Dee")
        comment_set_status(
            comment=held.comment,
            status=CommentStatus.PENDING,
            action=ModerationAction.HOLD,
            actor_user=moderator,
            reasons=["check"],
        )
        spam = post_comment(story, "Spammy", name="Eve")
        comment_set_status(
            comment=spam.comment,
            status=CommentStatus.REJECTED,
            action=ModerationAction.REJECT,
            actor_user=moderator,
        )
        Comment.objects.filter(pk=top.comment.pk).update(is_pinned=True)
        commenter_ban(commenter=spam.comment.commenter, actor=moderator, days=3, message="no")
    return site


def _export(site: Site, **kw: Any) -> str:
    return "".join(export_lines(site=site, **kw))


def test_export_then_import_into_empty_database_reproduces_the_site() -> None:
    site = build_site()
    before = canonical(site)
    text = _export(site, with_secrets=True)
    Site.objects.all().delete()
    get_user_model().objects.all().delete()
    report = import_run(site_name="news", fp=io.BytesIO(text.encode()))
    assert report.skipped_bad == 0 and report.created == 6
    assert canonical(Site.objects.get(name="news")) == before


def test_importing_the_export_again_changes_nothing() -> None:
    site = build_site()
    text = _export(site, with_secrets=True)
    Site.objects.all().delete()
    get_user_model().objects.all().delete()
    import_run(site_name="news", fp=io.BytesIO(text.encode()))
    once = canonical(Site.objects.get(name="news"))
    report = import_run(site_name="news", fp=io.BytesIO(text.encode()))
    assert (report.created, report.skipped_existing) == (0, 6)
    assert canonical(Site.objects.get(name="news")) == once


def test_export_without_secrets_has_no_password_hashes_or_ips() -> None:
    site = build_site()
    text = _export(site)
    assert '"password"' not in text and "10.0.0.9" not in text and "edit_token_hash" not in text
    assert text.splitlines()[0].startswith('{"format":"threadline-export","version":1')


def test_one_story_export_holds_only_that_story() -> None:
    site = build_site()
    quiet = Story.objects.get(title="Quiet story")
    lines = _export(site, story_url=quiet.url).splitlines()
    kinds = [line.split('"type":"')[1].split('"')[0] for line in lines[1:]]
    assert kinds == ["story"]
