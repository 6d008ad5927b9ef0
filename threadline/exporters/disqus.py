"""A Disqus-compatible XML export, so a site can go back: one ``<thread>`` per story and
one ``<post>`` per comment (spam as ``isSpam``, deleted as ``isDeleted``, held ones with
``isApproved`` false). Streamed; ``threadline.importers.disqus`` reads it back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

from threadline.domain.text import xml_safe
from threadline.models import Comment, CommentStatus, Site, Story

HEADER = (
    '<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
    'xmlns:dsq="http://disqus.com/disqus-internals">\n'
)


def _when(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def escape(text: str) -> str:
    """Element text: escaped, and without the characters XML 1.0 cannot carry."""
    return _escape(xml_safe(text))


def _cdata(text: str) -> str:
    return "<![CDATA[" + xml_safe(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _thread(site: Site, story: Story) -> str:
    return (
        f"<thread dsq:id={quoteattr(str(story.pk))}>\n<id>{escape(story.external_id)}</id>\n"
        f"<forum>{escape(site.name)}</forum>\n<link>{escape(story.url)}</link>\n"
        f"<title>{escape(story.title)}</title>\n<createdAt>{_when(story.created_at)}</createdAt>\n"
        f"<isClosed>{_bool(not story.is_open)}</isClosed>\n<isDeleted>false</isDeleted>\n"
        "</thread>\n"
    )


def _post(c: Comment, with_secrets: bool) -> str:
    parent = f'<parent dsq:id="{c.parent_id}"/>\n' if c.parent_id else ""
    email = f"<email>{escape(c.author_email)}</email>\n" if c.author_email else ""
    ip = f"<ipAddress>{escape(c.ip_address)}</ipAddress>\n" if with_secrets and c.ip_address else ""
    return (
        f'<post dsq:id="{c.pk}">\n<id>{escape(c.external_id)}</id>\n'
        f"<message>{_cdata(c.body_html)}</message>\n<createdAt>{_when(c.created_at)}</createdAt>\n"
        f"<isDeleted>{_bool(c.status == CommentStatus.DELETED)}</isDeleted>\n"
        f"<isSpam>{_bool(c.status == CommentStatus.REJECTED)}</isSpam>\n"
        f"<isApproved>{_bool(c.status != CommentStatus.PENDING)}</isApproved>\n"
        f"<author>\n<name>{escape(c.author_name)}</name>\n{email}"
        f"<isAnonymous>{_bool(c.user_id is None)}</isAnonymous>\n</author>\n{ip}"
        f'<thread dsq:id="{c.story_id}"/>\n{parent}</post>\n'
    )


def export_disqus(
    *, site: Site, story_url: str | None = None, with_secrets: bool = False
) -> Iterator[str]:
    """Threads first, then posts in thread order (parents before replies)."""
    stories = Story.objects.filter(site=site).order_by("id")
    if story_url is not None:
        stories = stories.filter(url=story_url)
    yield HEADER
    for story in stories.iterator(chunk_size=2000):
        yield _thread(site, story)
    comments = (
        Comment.objects.filter(story__in=stories)
        .order_by("story_id", "path")
        .only(
            "id",
            "parent_id",
            "story_id",
            "author_name",
            "author_email",
            "user_id",
            "ip_address",
            "body_html",
            "status",
            "created_at",
            "external_id",
        )
    )
    for comment in comments.iterator(chunk_size=2000):
        yield _post(comment, with_secrets)
    yield "</disqus>\n"
