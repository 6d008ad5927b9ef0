from __future__ import annotations

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models


class PremoderationMode(models.TextChoices):
    OFF = "off", "Off"
    ALL = "all", "All comments"
    NEW = "new", "New commenters"
    LINKS = "links", "Comments with links"


class Site(models.Model):
    """A publisher. Per-site policy lives here and is edited in the moderator desk."""

    name = models.SlugField(max_length=64, unique=True)
    title = models.CharField(max_length=200, blank=True)
    allowed_origins = models.JSONField(default=list, blank=True)
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="moderated_sites"
    )

    # Reader-facing policy.
    guest_posting = models.BooleanField(default=True)
    edit_window_seconds = models.PositiveIntegerField(default=15 * 60)
    max_depth = models.PositiveSmallIntegerField(default=6)
    max_body_length = models.PositiveIntegerField(default=10_000)
    allow_replies_to_held = models.BooleanField(default=False)

    # Moderation policy (scores are 0..1).
    premoderation = models.CharField(
        max_length=8, choices=PremoderationMode.choices, default=PremoderationMode.OFF
    )
    # Checked on a validation split by scripts/train_toxicity.py (docs/moderation.md): hold
    # at <= 3 % false positives on civil text (2.3 % at 0.7), the "think twice" nudge at <= 6 %.
    hold_threshold = models.FloatField(default=0.7)
    reject_threshold = models.FloatField(default=0.98)
    warn_threshold = models.FloatField(default=0.51)
    nudge_enabled = models.BooleanField(default=True)
    banned_words = models.TextField(blank=True, default="")
    suspect_words = models.TextField(blank=True, default="")
    max_links = models.PositiveSmallIntegerField(default=2)
    denied_domains = models.TextField(blank=True, default="")
    hold_first_link = models.BooleanField(default=True)
    # Off by default: most strong profanity on news sites is aimed at nobody ("this fucking
    # weather"); the semantic model still holds profanity aimed at someone.
    hold_profanity = models.BooleanField(
        "Hold comments with strong profanity",
        default=True,
        help_text="Off: profanity alone no longer holds a comment; the model still holds "
        "profanity aimed at someone.",
    )
    # Domains a first-time commenter may link to without being held, one a line, on top of
    # the built-in news and reference sites (scoring/links.py) unless that list is off.
    trusted_domains = models.TextField(blank=True, default="")
    use_default_trusted_domains = models.BooleanField(default=True)
    new_commenter_threshold = models.PositiveSmallIntegerField(default=0)
    trusted_after = models.PositiveSmallIntegerField(default=10)
    max_rejection_rate = models.FloatField(default=0.5)
    flag_hold_count = models.PositiveSmallIntegerField(default=3)

    # Which page URLs may become stories on a reader's first lookup (threadline.domain.storypaths):
    # path prefixes or ``*`` patterns, one a line; empty: any page on an allowed origin.
    story_paths = models.TextField(
        "Story URL paths",
        blank=True,
        default="",
        help_text="One a line: a path prefix (/news/) or a pattern over path and query where "
        "* stands for any run of characters but ? (/20*/*). Empty: any page of your origins.",
    )
    # Off: a reader's lookup never titles a story; titles come from the desk, imports and the
    # operators' tools only (docs/api.md, "Story titles").
    accept_suggested_titles = models.BooleanField(
        "Title new stories from the page",
        default=True,
        help_text="The first reader's widget sends the page's title; it stays a suggestion "
        "until you set the title in the desk.",
    )

    # The site's community guidelines: the publisher's own page, or a text Threadline shows
    # at /guidelines/<site>/. The "think twice" nudge and the comment forms link whichever
    # is set (threadline.domain.guidelines), so a reader told to rephrase can read the rules.
    guidelines_url = models.URLField(
        "Community guidelines page",
        max_length=500,
        blank=True,
        default="",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="The rules on your own site (https://…): the nudge and the comment forms "
        "link it. Empty: they link the text below, when there is one.",
    )
    guidelines_text = models.TextField(
        "Community guidelines",
        blank=True,
        default="",
        max_length=20_000,
        help_text="Markdown, shown at /guidelines/<site name>/ (with a link to your own page "
        "when you gave one).",
    )

    # Sign-in with the publisher's own accounts (threadline.actions.sso): the HS256 key of
    # the tokens its pages hand the widget. Empty: SSO is off. Never exported.
    sso_secret = models.CharField(max_length=128, blank=True, default="", editable=False)
    # Names guests may not post under, one a line, on top of staff and moderators' names.
    reserved_names = models.TextField(
        "Reserved names",
        blank=True,
        default="",
        help_text="One a line. Guests cannot post under these names, nor under the name of a "
        "moderator or of a staff member signed in from your site; case, spacing, accents and "
        "look-alike letters do not matter.",
    )

    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title or self.name

    @staticmethod
    def word_lines(text: str) -> list[str]:
        return [
            line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
        ]
