"""Demo data: a news site with a few stories and discussions of realistic shape."""

from __future__ import annotations

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from threadline.actions.comments import comment_insert_trusted
from threadline.actions.sites import site_add_moderator, site_create
from threadline.actions.stories import story_create
from threadline.models import Comment, Site

STORIES = [
    ("https://news.example/2017/09/deir-ezzor", "Fighting intensifies around Deir ez-Zor",
     "Government forces and their allies pushed east of the Euphrates on Sunday as the siege of "
     "the city entered its final phase.\n\nAid agencies warned that **tens of thousands** of "
     "civilians remain trapped.", "https://picsum.photos/id/1043/960/480",
     "Smoke rises over the outskirts of the city.", 320),
    ("https://news.example/2017/09/ceasefire-talks", "Ceasefire talks resume in Geneva",
     "Delegations met for the first time in three months. The mediator called the mood "
     "*cautiously constructive*.", "", "", 160),
    ("https://news.example/2017/09/refugees", "Refugee numbers reach a new high, UN says",
     "The agency counted more displaced people than at any point since records began.", "", "", 90),
    ("https://news.example/2017/09/tram-line", "City council approves the new tram line",
     "After years of debate the council voted 31 to 12 for the eastern extension.", "", "", 40),
]

OPENERS = ["Thanks for the report.", "Good article.", "I disagree.", "Interesting.",
           "This is heartbreaking.", "Finally some balanced coverage.", "Hard to read, but important.",
           "Does anyone know", "I was there in 2015.", "Not sure about this.", "Exactly right."]
BODIES = [
    "The ceasefire will not hold unless both sides agree on monitoring.",
    "Civilians always pay the highest price in these sieges.",
    "Where do the casualty figures come from? I would like to see the source.",
    "Here is the UN report the article mentions: https://www.unhcr.org/",
    "My family left the region in 2013; we still hear from neighbours who stayed.",
    "The map in the second paragraph is out of date, the front moved last week.",
    "I think the article underestimates how much the supply routes matter.",
    "Journalists on the ground deserve more credit for this kind of work.",
    "What happens to the people in the camps when winter comes?",
    "The previous agreement collapsed within a month; why would this one be different?",
    "Aid convoys need guaranteed corridors, otherwise nothing reaches the city.",
    "Good point, but the article does say that in the last section.",
    "Can someone explain who controls the bridge now?",
    "I agree with the comment above, the **timeline** matters here.",
    "> Aid agencies warned\n\nThey have been warning for months and nobody listened.",
]
REPLIES = ["Agreed.", "Thanks, that is helpful.", "I see it differently.", "Source?",
           "Good question.", "That matches what I read elsewhere.", "Not quite: the report says otherwise.",
           "Fair point.", "Could you explain why?", "Exactly, well said."]
NAMES = ["Amira", "Jonas", "Leyla", "Tom K.", "Marta", "Yusuf", "Sophie", "Omar", "Ingrid", "Pavel",
         "Hannah", "Karim", "Eleni", "David", "Nour", "Lukas", "Rania", "Mehmet", "Clara", "Sami"]


def _body(rng: random.Random, reply: bool) -> str:
    if reply and rng.random() < 0.5:
        return rng.choice(REPLIES) + " " + rng.choice(BODIES)
    return rng.choice(OPENERS) + " " + rng.choice(BODIES)


@transaction.atomic
def load_demo(*, origins: list[str], seed: int = 2017) -> Site:
    """Create the demo site, a moderator ("moderator" / "moderator-demo") and the stories."""
    rng = random.Random(seed)
    site = Site.objects.filter(name="demo").first() or site_create(
        name="demo", title="News Example", origins=origins
    )
    User = get_user_model()
    if not User.objects.filter(username="moderator").exists():
        mod = User.objects.create_user("moderator", password="moderator-demo", is_staff=True)
        site_add_moderator(site=site, user=mod)
    now = timezone.now()
    for i, (url, title, body, image, caption, count) in enumerate(STORIES):
        story = story_create(site=site, url=url, title=title, body=body, author="Newsdesk",
                             lead_image_url=image, lead_image_caption=caption,
                             published_at=now - timedelta(days=i, hours=3))
        made: list[Comment] = []
        start = now - timedelta(days=i, hours=3)
        step = timedelta(hours=2.5) / count
        for n in range(count):
            parent = None
            if made and rng.random() < 0.55:
                # Prefer recent and deep comments so chains reach five levels and beyond.
                parent = rng.choice(made[-12:])
            created = start + step * n + timedelta(seconds=rng.randint(0, 30))
            made.append(comment_insert_trusted(
                story=story, parent=parent, author_name=rng.choice(NAMES),
                body=_body(rng, parent is not None), created_at=created,
                upvotes=rng.choice([0, 0, 1, 2, 3, 5, 8, 13]), downvotes=rng.choice([0, 0, 0, 1, 2, 4]),
                source="demo",
            ))
    return site
