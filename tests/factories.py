"""factory_boy factories. Comments are made through the posting action so their tree
fields and counters are what production would store."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from threadline.models import Site, Story
from threadline.scoring.wordlists import DEFAULT_SUSPECT_WORDS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"reader{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery")


class SiteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Site

    name = factory.Sequence(lambda n: f"site{n}")
    title = factory.LazyAttribute(lambda s: s.name.title())
    allowed_origins = factory.LazyAttribute(lambda s: [f"https://{s.name}.example"])
    suspect_words = DEFAULT_SUSPECT_WORDS


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    site = factory.SubFactory(SiteFactory)
    url = factory.LazyAttributeSequence(lambda s, n: f"{s.site.allowed_origins[0]}/news/{n}")
    title = factory.Sequence(lambda n: f"Story {n}")


def post_comment(
    story: Story,
    body: str = "A civil comment.",
    *,
    parent=None,
    name: str = "Ann",  # noqa: ANN001
    **kw,
):  # noqa: ANN003,ANN201
    """Post through the action, bypassing rate limits; returns the PostResult."""
    from django.conf import settings
    from django.test import override_settings

    from threadline.actions.comments import comment_post
    from threadline.domain.identity import Actor

    limits = {
        **settings.THREADLINE,
        "RATE_LIMIT_POST_IP": "",
        "RATE_LIMIT_POST_AUTHOR": "",
        "VELOCITY_PER_MINUTE": 10**6,
        "VELOCITY_IP_PER_MINUTE": 10**6,
    }
    actor = kw.pop("actor", None) or Actor(guest_key=f"guest-{name}", ip="127.0.0.1")
    with override_settings(THREADLINE=limits):
        return comment_post(
            story=story,
            actor=actor,
            body=body,
            parent_id=parent.pk if parent is not None else None,
            author_name=name,
            **kw,
        )
