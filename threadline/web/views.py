"""Server-rendered reader pages: they work without JavaScript (forms post as forms)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from threadline import errors, queries
from threadline.actions.accounts import user_register
from threadline.actions.comments import comment_delete, comment_edit, comment_post
from threadline.actions.votes import flag_create, vote_cast
from threadline.api.base import client_ip
from threadline.identity import Actor
from threadline.models import FlagReason, Story
from threadline.text import render_markdown


def _actor(request: HttpRequest) -> Actor:
    if not request.session.session_key:
        request.session.save()
    return Actor(user=request.user, guest_key="session:" + (request.session.session_key or ""),
                 ip=client_ip(request))


def _tokens(request: HttpRequest) -> dict[str, str]:
    return request.session.setdefault("edit_tokens", {})


def story_list(request: HttpRequest) -> HttpResponse:
    stories = Story.objects.select_related("site").order_by("-published_at", "-id")[:100]
    return render(request, "threadline/story_list.html", {"stories": stories})


def story_detail(request: HttpRequest, story_id: int) -> HttpResponse:
    story = queries.access_story_for_reader(story_id=story_id)
    sort = request.GET.get("sort", "best")
    sort = sort if sort in queries.SORTS else "best"
    page = queries.thread_page(story=story, sort=sort, cursor=request.GET.get("cursor") or None,
                               limit=50)
    return render(request, "threadline/story_detail.html", {
        "story": story, "story_html": render_markdown(story.body), "page": page, "sort": sort,
        "sorts": list(queries.SORTS), "mine": set(_tokens(request)),
        "flag_reasons": FlagReason.choices,
    })


def comment_permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = queries.access_comment_for_reader(comment_id=comment_id)
    return render(request, "threadline/permalink.html", {
        "story": comment.story, "comment": queries.subtree(comment=comment),
        "ancestors": queries.ancestors(comment=comment), "mine": set(_tokens(request)),
        "flag_reasons": FlagReason.choices,
    })


def _back(story_id: int, comment_id: int | None = None) -> HttpResponseRedirect:
    url = reverse("web:story-detail", args=[story_id])
    return HttpResponseRedirect(url + (f"#comment-{comment_id}" if comment_id else "#comments"))


@require_POST
def comment_create(request: HttpRequest, story_id: int) -> HttpResponse:
    story = queries.access_story_for_reader(story_id=story_id)
    parent = request.POST.get("parent_id") or None
    try:
        result = comment_post(
            story=story, actor=_actor(request), body=request.POST.get("body", ""),
            parent_id=int(parent) if parent and parent.isdigit() else None,
            author_name=request.POST.get("author_name", ""),
            author_email=request.POST.get("author_email", ""),
            confirm=request.POST.get("confirm") == "1", honeypot=request.POST.get("website", ""),
        )
    except errors.ThreadlineError as exc:
        return render(request, "threadline/form_error.html", {
            "story": story, "error": exc, "post": request.POST,
            "needs_confirmation": exc.code == "needs_confirmation",
        }, status=exc.status)
    _tokens(request)[str(result.comment.pk)] = result.edit_token
    request.session.modified = True
    if result.comment.status == "published":
        messages.success(request, "Your comment is published.")
    else:
        messages.info(request, "Your comment is held for review by a moderator.")
    return _back(story.pk, result.comment.pk)


@require_POST
def comment_update(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = queries.access_comment_for_change(comment_id=comment_id)
    try:
        comment_edit(comment=comment, actor=_actor(request), body=request.POST.get("body", ""),
                     edit_token=_tokens(request).get(str(comment_id), ""),
                     confirm=request.POST.get("confirm") == "1")
    except errors.ThreadlineError as exc:
        messages.error(request, exc.message)
    return _back(comment.story_id, comment_id)


@require_POST
def comment_remove(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = queries.access_comment_for_change(comment_id=comment_id)
    try:
        comment_delete(comment=comment, actor=_actor(request),
                       edit_token=_tokens(request).get(str(comment_id), ""))
        messages.success(request, "Your comment is deleted.")
    except errors.ThreadlineError as exc:
        messages.error(request, exc.message)
    return _back(comment.story_id, comment.parent_id)


@require_POST
def comment_vote(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = queries.access_comment_for_reader(comment_id=comment_id)
    try:
        vote_cast(comment=comment, actor=_actor(request), value=int(request.POST.get("value", "0")))
    except (errors.ThreadlineError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "Invalid vote."))
    return _back(comment.story_id, comment_id)


@require_POST
def comment_flag(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = queries.access_comment_for_reader(comment_id=comment_id)
    try:
        flag_create(comment=comment, actor=_actor(request), reason=request.POST.get("reason", ""),
                    note=request.POST.get("note", ""))
        messages.success(request, "Thank you; moderators will look at it.")
    except errors.ThreadlineError as exc:
        messages.error(request, exc.message)
    return _back(comment.story_id, comment_id)


def signup(request: HttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            user = user_register(username=request.POST.get("username", ""),
                                 password=request.POST.get("password", ""),
                                 email=request.POST.get("email", ""))
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return HttpResponseRedirect(request.POST.get("next") or "/")
        except errors.ThreadlineError as exc:
            error = exc.message
    return render(request, "registration/signup.html", {"error": error,
                                                          "next": request.GET.get("next", "/")})


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
