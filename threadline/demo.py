"""Demo data: a war-news site whose comment sections look like real ones.

Hundreds of short, mostly civil comments (thanks, agreement, a question, a link), reply
chains six levels deep, one deleted comment whose replies stay as a tombstone, a closed
story, and a few abusive comments that went through the real scoring pipeline and wait in
the moderators' queue with their reasons. Lead images are local SVGs: no third-party
requests, and the demo works on an intranet.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.templatetags.static import static
from django.test.utils import override_settings
from django.utils import timezone

from threadline.actions.comments import comment_insert_trusted, comment_post, comment_set_status
from threadline.actions.sites import site_add_moderator, site_create
from threadline.actions.stories import story_create, story_set_open
from threadline.domain.identity import Actor
from threadline.models import Comment, CommentStatus, ModerationAction, Site, Story

# The local demo's moderator; the password is in the README, so only a local install gets
# it (demo_moderator_password).
DEMO_MODERATOR = "moderator"
DEMO_PASSWORD = "moderator-demo"


@dataclass(frozen=True)
class DemoStory:
    url: str
    title: str
    body: str
    image: str
    caption: str
    comments: int
    is_open: bool = True


STORIES = [
    DemoStory(
        "https://news.example/2017/09/deir-ezzor",
        "Fighting intensifies around Deir ez-Zor",
        "Government forces and their allies pushed east of the Euphrates on Sunday as the siege "
        "of the city entered its final phase.\n\nAid agencies warned that **tens of thousands** "
        "of civilians remain trapped in the eastern districts, with little food and no working "
        'hospital.\n\n> "Every road out of the city is a front line," said one aid worker.',
        "deir-ezzor.svg",
        "Smoke rises over the outskirts of the city on Sunday. (Illustration)",
        300,
    ),
    DemoStory(
        "https://news.example/2017/09/ceasefire-talks",
        "Ceasefire talks resume in Geneva",
        "Delegations met for the first time in three months. The mediator called the mood "
        "*cautiously constructive* and said monitoring of the truce lines would be the first "
        "item on the agenda.",
        "geneva.svg",
        "The negotiating table before the first session. (Illustration)",
        180,
    ),
    DemoStory(
        "https://news.example/2017/09/refugees",
        "Refugee numbers reach a new high, UN says",
        "The agency counted more displaced people than at any point since records began. Camps "
        "near the border are at twice their planned size as winter approaches.",
        "camp.svg",
        "A camp near the border, now home to 40,000 people. (Illustration)",
        110,
    ),
    DemoStory(
        "https://news.example/2017/09/tram-line",
        "City council approves the new tram line",
        "After years of debate the council voted 31 to 12 for the eastern extension. Building "
        "starts in spring.",
        "tram.svg",
        "A tram on the existing western line. (Illustration)",
        40,
        is_open=False,
    ),
]

OPENERS = [
    "Thanks for the report.",
    "Thank you to the reporters on the ground.",
    "Good, clear piece. The map helps a lot.",
    "Hard to read, but important that this is reported.",
    "Is there any news from the hospitals in the eastern districts?",
    "How many civilians are still in the old town?",
    "The UN figures are here for anyone who wants them: https://reliefweb.int/",
    "Where can I donate to help the people who are trapped?",
    "Any word on whether the aid convoy got through?",
    "The ceasefire will not hold unless both sides agree on monitoring.",
    "My family left the region in 2013; we still hear from neighbours who stayed.",
    "Can someone explain who controls the bridge now?",
    "The map is out of date, the front moved last week.",
    "Journalists on the ground deserve more credit for this kind of work.",
    "What happens to the people in the camps when winter comes?",
    "The previous agreement collapsed within a month. Why would this one be different?",
    "Aid convoys need guaranteed corridors, otherwise nothing reaches the city.",
    "> Aid agencies warned\n\nThey have been warning for months.",
    "Good to see *named sources* in this piece.",
    "Does anyone know if the border crossing is open again?",
    "Thank you. Please keep covering this after the cameras leave.",
    "Praying for everyone in the city tonight.",
]
REPLIES = [
    "Agreed.",
    "Thanks, that is helpful.",
    "Thank you for the link.",
    "Good question.",
    "Source?",
    "Fair point.",
    "I see it differently, but thanks for explaining.",
    "Exactly, well said.",
    "That matches what I read elsewhere.",
    "The article says so in the last paragraph.",
    "Here is the report: https://www.unhcr.org/",
    "Not quite: the report says otherwise.",
    "Could you explain why?",
    "I hope you are right.",
    "Last I heard the crossing was closed again.",
    "Same here. My cousin says the same.",
    "Well put.",
    "Thanks for sharing this.",
    "Do you have a link for that?",
    "It is on page 3 of the report: https://reliefweb.int/",
    "Yes, the **timeline** matters here.",
    "Good to know, thank you.",
]
# A back-and-forth that makes the deep chains read like a conversation.
DIALOGUE = [
    "Who is actually monitoring the truce lines?",
    "The UN mission, as far as I know.",
    "It has twelve observers for the whole province. That is not monitoring.",
    "Fair, but twelve is better than none.",
    "Source for the twelve?",
    "Their own mandate: https://peacekeeping.un.org/",
    "Thanks, I stand corrected.",
    "No problem, it is buried on page 9.",
]
NAMES = [
    "Amira",
    "Jonas",
    "Leyla",
    "Tom K.",
    "Marta",
    "Yusuf",
    "Sophie",
    "Omar",
    "Ingrid",
    "Pavel",
    "Hannah",
    "Karim",
    "Eleni",
    "David",
    "Nour",
    "Lukas",
    "Rania",
    "Mehmet",
    "Clara",
    "Sami",
]
# Sent through the real pipeline (story index, text, reply?): each one is held with reasons.
HELD = [
    (0, "You are an idiot and a moron, shut up.", True),
    (0, "(((They))) own the media, rootless cosmopolitans as always.", False),
    (0, "Cheap watches and phones here https://cheap-watches.example/buy now", False),
    (1, "The Zionist-occupied government controls the press, wake up goyim.", True),
    (1, "Khazarian mafia strikes again.", False),
    (2, "Go back to where you came from, vermin.", True),
]


class _Thread:
    """Builds one story's discussion in time order, so every reply is younger than its parent."""

    def __init__(self, story: Story, rng: random.Random, start: datetime, count: int) -> None:
        self.story, self.rng, self.count = story, rng, count
        self.clock, self.step = start, timedelta(hours=3) / max(count, 1)
        self.made: list[Comment] = []

    def add(self, body: str, parent: Comment | None, name: str | None = None) -> Comment:
        self.clock += self.step
        up = min(int(self.rng.paretovariate(1.3)) - 1, 60)
        comment = comment_insert_trusted(
            story=self.story,
            parent=parent,
            author_name=name or self.rng.choice(NAMES),
            body=body,
            created_at=self.clock,
            upvotes=up,
            downvotes=self.rng.choice([0, 0, 0, 0, 1, 2]),
            source="demo",
        )
        self.made.append(comment)
        return comment

    def dialogue(self, parent: Comment) -> None:
        """Two readers answering each other: a chain of six or more replies."""
        pair = self.rng.sample(NAMES, 2)
        for i, line in enumerate(DIALOGUE[: self.rng.randint(6, len(DIALOGUE))]):
            parent = self.add(line, parent, pair[i % 2])

    def build(self) -> None:
        rng = self.rng
        while len(self.made) < self.count:
            roll = rng.random()
            shallow = [c for c in self.made[-30:] if c.depth < 4]
            if not self.made or roll < 0.35 or not shallow:
                self.add(rng.choice(OPENERS), None)
            elif roll < 0.42 and self.count - len(self.made) > len(DIALOGUE):
                self.dialogue(rng.choice([c for c in self.made if c.depth == 0]))
            else:
                self.add(rng.choice(REPLIES), rng.choice(shallow))


def _tombstone(thread: _Thread) -> None:
    """A comment its author deleted after others replied: the replies stay below it."""
    gone = thread.add("I was there in 2015 and the bridge was already closed.", None, "Pavel")
    thread.add("Which bridge do you mean?", gone, "Leyla")
    thread.add("Thanks for the first-hand account.", gone, "Omar")
    comment_set_status(
        comment=gone, status=CommentStatus.DELETED, action=ModerationAction.DELETE, source="author"
    )


def _held(stories: list[Story]) -> None:
    """Abusive comments posted the way readers post them (rate limits off), so the scorers
    hold them with real reasons and the moderator desk has a queue to work through."""
    limits_off = {**settings.THREADLINE, "RATE_LIMIT_POST_IP": "", "RATE_LIMIT_POST_AUTHOR": ""}
    with override_settings(THREADLINE=limits_off):
        for i, (index, text, reply) in enumerate(HELD):
            story = stories[index]
            parent_id = None
            if reply:
                parent = (
                    story.comments.filter(depth=0, status=CommentStatus.PUBLISHED)
                    .order_by("id")
                    .first()
                )
                assert parent is not None  # the demo's stories all have published comments
                parent_id = parent.pk
            comment_post(
                story=story,
                actor=Actor(guest_key=f"demo-held:{i}", ip=f"203.0.113.{10 + i}"),
                body=text,
                parent_id=parent_id,
                author_name=["Truthteller", "Anon99", "DealsBot", "WakeUp", "Patriot77", "Max"][i],
                confirm=True,  # they clicked "post anyway" after the think-twice warning
            )


def is_local_install() -> bool:
    """True for the local default — DEBUG, or SQLite inside the data directory with a plain
    http public URL and cookies not https-only. Anything else may be reachable by others,
    where a password printed in the README would be a way in."""
    if settings.DEBUG:
        return True
    db = settings.DATABASES["default"]
    in_data_dir = db["ENGINE"].endswith("sqlite3") and Path(
        str(db["NAME"])
    ).resolve().is_relative_to(Path(settings.DATA_DIR).resolve())
    plain_http = not settings.PUBLIC_URL.startswith("https://")
    return in_data_dir and plain_http and not settings.SESSION_COOKIE_SECURE


def demo_moderator_password() -> str:
    """The fixed demo password on a local install, a fresh random one anywhere else."""
    return DEMO_PASSWORD if is_local_install() else secrets.token_urlsafe(12)


def _moderator(site: Site, password: str) -> None:
    User = get_user_model()
    if not User.objects.filter(username=DEMO_MODERATOR).exists():
        mod = User.objects.create_user(DEMO_MODERATOR, password=password, is_staff=True)
        site_add_moderator(site=site, user=mod)


@transaction.atomic
def load_demo(
    *, origins: list[str], seed: int = 2017, moderator_password: str = DEMO_PASSWORD
) -> Site:
    """Create the demo site, a staff moderator ("moderator" with ``moderator_password``,
    unless that user exists) and the stories."""
    rng = random.Random(seed)
    site = Site.objects.filter(name="demo").first() or site_create(
        name="demo", title="News Example", origins=origins
    )
    _moderator(site, moderator_password)
    now = timezone.now()
    stories = []
    for i, spec in enumerate(STORIES):
        published = now - timedelta(days=i, hours=4)
        story = story_create(
            site=site,
            url=spec.url,
            title=spec.title,
            body=spec.body,
            author="Newsdesk",
            lead_image_url=static(f"threadline/demo/{spec.image}"),
            lead_image_caption=spec.caption,
            published_at=published,
        )
        thread = _Thread(story, rng, published, spec.comments)
        if i == 0:
            _tombstone(thread)
        thread.build()
        stories.append(story)
    _held(stories)
    for spec, story in zip(STORIES, stories, strict=True):
        if not spec.is_open:
            story_set_open(story=story, is_open=False)
    return site
