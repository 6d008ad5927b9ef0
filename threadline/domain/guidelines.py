"""Where a site's community guidelines are read: one answer for the nudge (API and pages)
and the comment forms, so the widget and the server-rendered page never link differently."""

from __future__ import annotations

from django.urls import reverse

from threadline.models import Site


def guidelines_link(site: Site) -> str:
    """The publisher's own page when the site names one, else Threadline's page of the
    site's text (a path: callers that answer another origin make it absolute); "" when the
    site has neither. No queries."""
    if site.guidelines_url:
        return site.guidelines_url
    if site.guidelines_text.strip():
        return reverse("web:guidelines", args=[site.name])
    return ""
