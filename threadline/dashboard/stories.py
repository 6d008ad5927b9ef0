"""Stories in the desk: the list of a moderator's stories, and one story's page (its comment
stream in every state with the usual card actions, its counts, its open/close switch and
its title)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from threadline import errors
from threadline.actions.moderation_desk import REJECT_REASONS
from threadline.actions.stories import story_title_set
from threadline.dashboard.base import AuthenticatedHttpRequest, desk_view, int_param
from threadline.dashboard.cards import decorate
from threadline.dashboard.forms import StoryTitleForm
from threadline.models import Story
from threadline.queries import desk as desk_queries


@desk_view
def story_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The stories of the sites the moderator has (or one of them), newest first."""
    site_id = int_param(request.GET, "site")
    site_ids = desk_queries.access_site_ids_for_moderator(user=request.user, site_id=site_id)
    search = request.GET.get("q", "")[:200]
    page = desk_queries.stories_page(
        site_ids=site_ids, search=search, page=int_param(request.GET, "page", 1) or 1
    )
    sites = desk_queries.sites_by_id(site_ids=desk_queries.moderated_site_ids(user=request.user))
    return render(
        request,
        "threadline/dashboard/stories.html",
        {"page": page, "search": search, "site_id": site_id, "sites": sites},
    )


def _story_page(
    request: AuthenticatedHttpRequest, story: Story, form: StoryTitleForm, *, status: int = 200
) -> HttpResponse:
    queue = request.GET.get("queue") or "all"
    if queue not in desk_queries.QUEUES:
        raise errors.ValidationError("Unknown queue.", field="queue")
    search = request.GET.get("q", "")[:200]
    page = desk_queries.queue_page(
        user=request.user,
        queue=queue,
        site_id=story.site_id,
        story_id=story.pk,
        search=search,
        page=int_param(request.GET, "page", 1) or 1,
    )
    counts = desk_queries.queue_counts(site_ids=[story.site_id], story_id=story.pk)
    context = {
        "story": story,
        "form": form,
        "queue": queue,
        "search": search,
        "page": page,
        "comments": decorate(page.comments),
        # What the queue sidebar's counts partial reads (it refreshes itself by htmx).
        "site_id": story.site_id,
        "story_id": story.pk,
        "queue_rows": [(n, label, counts[n]) for n, label in desk_queries.QUEUES.items()],
        "reject_reasons": REJECT_REASONS,
    }
    return render(request, "threadline/dashboard/story.html", context, status=status)


@desk_view
def story_detail(request: AuthenticatedHttpRequest, story_id: int) -> HttpResponse:
    story = desk_queries.access_story_for_moderator(story_id=story_id, user=request.user)
    return _story_page(request, story, StoryTitleForm(initial={"title": story.title}))


@desk_view
def story_title(request: AuthenticatedHttpRequest, story_id: int) -> HttpResponse:
    """Set a story's title (a title saved here is the publisher's, final for readers'
    lookups: ``story_title_set``), then back to the story's page; a GET shows that page."""
    story = desk_queries.access_story_for_moderator(story_id=story_id, user=request.user)
    form = StoryTitleForm(request.POST or None, initial={"title": story.title})
    if request.method == "POST" and form.is_valid():
        story_title_set(story=story, title=form.cleaned_data["title"], actor=request.user)
        messages.success(request, "Title saved." if story.title else "Title cleared.")
        return HttpResponseRedirect(reverse("desk:story", args=[story.pk]) + "#title")
    return _story_page(request, story, form, status=400 if form.errors else 200)
