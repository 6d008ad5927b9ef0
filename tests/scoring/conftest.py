"""Helpers for scorer tests: a scoring context and comments written straight to the ORM
(not through the posting action, so the scorer under test is the only one that runs)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from threadline.models import Comment, Commenter, Site, Story
from threadline.scoring.base import ScoringContext


def make_ctx(site: Any, text: str, **kw: Any) -> ScoringContext:
    """A context for ``text``; ``site`` may be an unsaved Site for scorers without queries."""
    story = kw.pop("story", None) or Story(site=site, url="https://example.org/a")
    return ScoringContext(
        site=site,
        story=story,
        body=kw.pop("body", text),
        text=text,
        now=kw.pop("now", timezone.now()),
        **kw,
    )


def add_comment(
    story: Story,
    body: str,
    *,
    commenter: Commenter | None = None,
    ip: str | None = None,
    status: str = "published",
    minutes_ago: float = 1,
) -> Comment:
    return Comment.objects.create(
        site=story.site,
        story=story,
        commenter=commenter,
        author_name="x",
        body=body,
        body_html=body,
        ip_address=ip,
        status=status,
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
    )


@pytest.fixture
def commenter(site: Site) -> Commenter:
    return Commenter.objects.create(site=site, key="email:abc", display_name="Ann")
