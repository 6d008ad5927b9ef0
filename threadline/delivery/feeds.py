"""Atom feeds: the latest published comments of one story, and of a whole site."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from xml.sax.xmlreader import AttributesImpl

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.xmlutils import SimplerXMLGenerator

from threadline import errors, queries
from threadline.domain.text import xml_safe
from threadline.models import Comment, CommentStatus, Site, Story

ITEMS = 50


def _latest(qs: QuerySet[Comment]) -> list[Comment]:
    return list(
        qs.filter(status=CommentStatus.PUBLISHED)
        .select_related("story")
        .order_by("-created_at", "-id")[:ITEMS]
    )


class _XmlSafeGenerator(SimplerXMLGenerator):
    """Drops what XML 1.0 cannot carry from text and attributes, instead of Django's
    UnserializableContentError (a 500 for the whole feed) on C0 controls and silently
    ill-formed output on U+FFFE and friends."""

    def characters(self, content: str) -> None:
        super().characters(xml_safe(content))

    def startElement(  # noqa: N802
        self, name: str, attrs: AttributesImpl[str] | Mapping[str, str] | None
    ) -> None:
        clean = {k: xml_safe(v) for k, v in (attrs or {}).items()}
        # django-stubs types attrs as AttributesImpl; Django's feed generators pass dicts.
        super().startElement(name, clean)  # type: ignore[arg-type]


class SafeAtom1Feed(Atom1Feed):
    def write(self, outfile: Any, encoding: str) -> None:
        # Atom1Feed.write with the generator above.
        handler = _XmlSafeGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")


class _CommentFeed(Feed):
    feed_type = SafeAtom1Feed

    def item_title(self, item: Comment) -> str:
        return f"{item.author_name} on {item.story.title or item.story.url}"

    def item_description(self, item: Comment) -> str:
        return item.body_html

    def item_link(self, item: Comment) -> str:
        return settings.PUBLIC_URL + reverse("web:comment-permalink", args=[item.pk])

    def item_author_name(self, item: Comment) -> str:
        return item.author_name

    def item_pubdate(self, item: Comment) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Comment) -> datetime:
        return item.edited_at or item.created_at


class StoryCommentsFeed(_CommentFeed):
    def get_object(self, request: HttpRequest, story_id: int) -> Story:
        try:
            return queries.access_story_for_reader(story_id=story_id)
        except errors.NotFoundError as exc:
            raise Http404("No such story.") from exc

    def title(self, obj: Story) -> str:
        return f"Comments on {obj.title or obj.url}"

    def link(self, obj: Story) -> str:
        return obj.url

    def subtitle(self, obj: Story) -> str:
        return f"The latest {ITEMS} comments on this story."

    def items(self, obj: Story) -> list[Comment]:
        return _latest(Comment.objects.filter(story=obj))


class SiteCommentsFeed(_CommentFeed):
    def get_object(self, request: HttpRequest, site: str) -> Site:
        found = Site.objects.filter(name=site).first()
        if found is None:
            raise Http404("No such site.")
        return found

    def title(self, obj: Site) -> str:
        return f"Latest comments on {obj}"

    def link(self, obj: Site) -> str:
        return (obj.allowed_origins or [settings.PUBLIC_URL])[0]

    def subtitle(self, obj: Site) -> str:
        return f"The latest {ITEMS} comments on {obj}."

    def items(self, obj: Site) -> list[Comment]:
        return _latest(Comment.objects.filter(site=obj))
