"""/favicon.ico for clients that ask for it without reading the page's ``<link rel=icon>``
(feeds, the API's JSON, some bookmarks): a redirect to the static SVG."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.templatetags.static import static


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(static("threadline/favicon.svg"))
