"""A site's community guidelines page: the text its moderators keep in the desk's site
settings, public and server-rendered, linked from the nudge and the comment forms."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from threadline import errors, queries
from threadline.domain.text import render_markdown


def site_guidelines(request: HttpRequest, site: str) -> HttpResponse:
    """The site's text (Markdown, cleaned as comments are), with a link to the publisher's
    own page when it has one; only that page: a redirect there; neither: 404."""
    found = queries.access_site_for_reader(name=site)
    if not found.guidelines_text.strip():
        if found.guidelines_url:
            return HttpResponseRedirect(found.guidelines_url)
        raise errors.NotFoundError("This site has published no community guidelines.")
    return render(
        request,
        "threadline/guidelines.html",
        {"site": found, "guidelines_html": render_markdown(found.guidelines_text)},
    )
