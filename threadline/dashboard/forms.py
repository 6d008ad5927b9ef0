"""The per-site settings form. It never saves: the view hands ``cleaned_data`` to
``site_update_settings`` (audited), and the backtest reads ``form.instance``, a copy of the
site carrying the unsaved values."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from django import forms

from threadline import errors
from threadline.actions.sites import SETTINGS_FIELDS
from threadline.domain import storypaths
from threadline.models import Site, Story

GROUPS = [
    ("Thresholds (model score, 0–1)", ["hold_threshold", "reject_threshold", "warn_threshold"]),
    ("Pre-moderation and nudge", ["premoderation", "nudge_enabled", "flag_hold_count"]),
    (
        "Word lists (one word or phrase a line)",
        ["banned_words", "suspect_words", "hold_profanity"],
    ),
    (
        "Links",
        [
            "max_links",
            "denied_domains",
            "hold_first_link",
            "trusted_domains",
            "use_default_trusted_domains",
        ],
    ),
    ("Trust", ["new_commenter_threshold", "trusted_after", "max_rejection_rate"]),
    (
        "Readers",
        [
            "guest_posting",
            "edit_window_seconds",
            "max_depth",
            "max_body_length",
            "allow_replies_to_held",
            "reserved_names",
        ],
    ),
    ("Stories", ["story_paths", "accept_suggested_titles"]),
    ("Community guidelines", ["guidelines_url", "guidelines_text"]),
]


LIST_FIELDS = (
    "banned_words",
    "suspect_words",
    "denied_domains",
    "trusted_domains",
    "story_paths",
    "reserved_names",
)
# Browsers send textareas with CRLF line ends: the lists and the guidelines are stored with LF.
TEXT_FIELDS = (*LIST_FIELDS, "guidelines_text")


class SiteSettingsForm(forms.ModelForm):
    # Declared for ``assume_scheme``: "news.example/rules" means https, as Django 6 will read it.
    guidelines_url = forms.URLField(
        label="Community guidelines page",
        help_text=str(Site._meta.get_field("guidelines_url").help_text),
        max_length=500,
        required=False,
        assume_scheme="https",
    )

    class Meta:
        model = Site
        fields = list(SETTINGS_FIELDS)
        widgets = {
            "banned_words": forms.Textarea(attrs={"rows": 6}),
            "suspect_words": forms.Textarea(attrs={"rows": 8}),
            "denied_domains": forms.Textarea(attrs={"rows": 3}),
            "trusted_domains": forms.Textarea(attrs={"rows": 3}),
            "story_paths": forms.Textarea(attrs={"rows": 3}),
            "guidelines_text": forms.Textarea(attrs={"rows": 8}),
            "reserved_names": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "flag_hold_count": "Hold after flags from N readers",
            "new_commenter_threshold": "Pre-moderate first N comments (0 = off)",
            "trusted_after": "Trusted after N published comments (skip the model)",
            "max_rejection_rate": "Hold when recent rejection rate is above",
            "hold_first_link": "Hold a first comment's links to untrusted domains",
            "trusted_domains": "Trusted domains (one a line, subdomains included)",
            "use_default_trusted_domains": "Also trust the built-in news and reference sites",
        }
        help_texts = {
            "trusted_domains": "Your own origins are always trusted. Denied domains still hold.",
        }

    def __init__(self, data: Mapping[str, Any] | None = None, *, site: Site, **kwargs: Any) -> None:
        # A copy: validating a ModelForm writes the values onto its instance.
        super().__init__(data, instance=copy.copy(site), **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        assert data is not None  # ModelForm.clean returns cleaned_data
        for name in TEXT_FIELDS:
            if isinstance(data.get(name), str):
                data[name] = data[name].replace("\r\n", "\n")
        for name in ("hold_threshold", "reject_threshold", "warn_threshold", "max_rejection_rate"):
            value = data.get(name)
            if value is not None and not 0.0 <= value <= 1.0:
                self.add_error(name, "Between 0 and 1.")
        if isinstance(data.get("story_paths"), str):
            try:
                storypaths.check(data["story_paths"])  # as site_update_settings will
            except errors.ValidationError as exc:
                self.add_error("story_paths", exc.message)
        return data

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[name] for name in names]) for title, names in GROUPS]

    def changes(self, site: Site) -> dict:
        """The settings that really differ from ``site``. Word lists come back from browsers
        with CRLF line ends and without the trailing newline; that alone is no change."""
        out = {}
        for name in SETTINGS_FIELDS:
            value = self.cleaned_data[name]
            if name in TEXT_FIELDS:
                value = value.replace("\r\n", "\n")
                if value.strip() == getattr(site, name).replace("\r\n", "\n").strip():
                    continue
            if value != getattr(site, name):
                out[name] = value
        return out


class StoryTitleForm(forms.Form):
    """A story's title as the desk sets it; ``story_title_set`` cleans and stores it."""

    title = forms.CharField(
        max_length=Story._meta.get_field("title").max_length,
        required=False,
        help_text="Empty: the next reader's page suggests one again.",
    )
