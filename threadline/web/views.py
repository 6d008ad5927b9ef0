"""Server-rendered reader pages: they work without JavaScript (forms post as forms).

Every form carries ``next`` (the page it was on), so a vote, a flag or an edit brings the
reader back to the same page, sort and comment. New comments land where they are visible:
a top-level comment on the "newest" page, a reply on its parent's permalink page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from threadline import errors, queries
from threadline.actions.accounts import user_register
from threadline.actions.comments import comment_delete, comment_edit, comment_post
from threadline.actions.moderation_desk import REJECT_REASONS
from threadline.actions.mutes import mute_create, mute_remove
from threadline.actions.votes import flag_create, vote_cast
from threadline.domain.guidelines import guidelines_link
from threadline.domain.identity import Actor
from threadline.domain.text import render_markdown
from threadline.models import Comment, CommentStatus, FlagReason, Story
from threadline.queries import desk as desk_queries
from threadline.queries import reader as reader_queries
from threadline.server.clientaddr import client_ip
from threadline.server.ratelimit import check_rate
from threadline.web import profiles

# Nesting shown on a page: deeper replies are one "Continue this thread" click away, so a
# deep thread never squeezes the text on a phone. A site may show fewer (Site.max_depth).
PAGE_DEPTH = 5


def _actor(request: HttpRequest) -> Actor:
    if not request.session.session_key:
        request.session.save()
    return Actor(
        user=request.user,
        guest_key="session:" + (request.session.session_key or ""),
        ip=client_ip(request),
    )


def _tokens(request: HttpRequest) -> dict[str, str]:
    # get, not setdefault: reading must not create a session for every passing reader.
    return request.session.get("edit_tokens", {})


def _remember_token(request: HttpRequest, comment_id: int, token: str) -> None:
    request.session["edit_tokens"] = {**_tokens(request), str(comment_id): token}


def _editable(request: HttpRequest, story: Story) -> dict[str, str]:
    """{comment id: Markdown source} of this reader's comments on the story that are still
    in the edit window (one query), so Edit and Delete show only where they will work."""
    mine = Q(pk__in=[int(k) for k in _tokens(request)])
    if request.user.is_authenticated:
        mine |= Q(user_id=request.user.pk)
    since = timezone.now() - timedelta(seconds=story.site.edit_window_seconds)
    shown = Q(status=CommentStatus.PUBLISHED) | Q(is_shadowed=True, status=CommentStatus.REJECTED)
    rows = Comment.objects.filter(
        mine, shown, story_id=story.pk, created_at__gte=since
    ).values_list("pk", "body")
    return {str(pk): body for pk, body in rows}


def _context(request: HttpRequest, story: Story, **extra: Any) -> dict[str, Any]:
    return {
        "story": story,
        "editable": _editable(request, story),
        "next": request.get_full_path(),
        "flag_reasons": FlagReason.choices,
        "guidelines_url": guidelines_link(story.site),
        **extra,
    }


def _ids(nodes: list[dict[str, Any]]) -> list[int]:
    """Every comment id in a nested page (replies included)."""
    out: list[int] = []
    stack = list(nodes)
    while stack:
        node = stack.pop()
        out.append(node["id"])
        stack.extend(node["replies"])
    return out


def _moderation(
    request: HttpRequest, story: Story, nodes: list[dict[str, Any]], *, held: bool = True
) -> dict:
    """The in-stream tools' data for a moderator of the story's site; nothing for readers.
    The tools post to the desk's own URLs, which check the rights again."""
    found = desk_queries.stream_for_moderator(
        user=request.user, story=story, comment_ids=_ids(nodes), held_limit=50 if held else 0
    )
    return {"moderation": found, "reject_reasons": REJECT_REASONS} if found else {}


def _own_votes(request: HttpRequest, comment_ids: list[int]) -> dict[str, int]:
    """Which way this reader voted on the page's comments. The key is the one ``vote_cast``
    stored them under; reading never creates a session (``_actor`` does, on a write)."""
    session_key = request.session.session_key
    if not request.user.is_authenticated and not session_key:
        return {}
    reader = Actor(user=request.user, guest_key="session:" + (session_key or ""))
    return queries.access_own_votes_for_reader(
        reader_key=reader.reader_key, comment_ids=comment_ids
    )


def _depth(story: Story) -> int:
    return min(story.site.max_depth, PAGE_DEPTH)


def _featured(story: Story, cursor: str | None) -> list[dict]:
    """The editor's picks pinned above the thread, on its first page only (one query)."""
    if cursor:
        return []
    return queries.thread_page(story=story, sort="newest", limit=10, featured=True).comments


def story_list(request: HttpRequest) -> HttpResponse:
    stories = Story.objects.select_related("site").order_by("-published_at", "-id")[:100]
    return render(request, "threadline/story_list.html", {"stories": stories})


def story_detail(request: HttpRequest, story_id: int) -> HttpResponse:
    story = queries.access_story_for_reader(story_id=story_id)
    sort = request.GET.get("sort", "best")
    sort = sort if sort in queries.SORTS else "best"
    cursor = request.GET.get("cursor") or None
    page = queries.thread_page(
        story=story, sort=sort, cursor=cursor, limit=50, max_depth=_depth(story)
    )
    own = queries.access_own_unseen_for_reader(
        story=story, comment_ids=[int(k) for k in _tokens(request)], user=request.user
    )
    # Shadowed by a ban: its writer reads it in the thread, as published (no one else does).
    queries.own_shadowed_merge(page.comments, own if cursor is None else [])
    response = render(
        request,
        "threadline/story_detail.html",
        _context(
            request,
            story,
            story_html=render_markdown(story.body),
            page=page,
            sort=sort,
            sorts=list(queries.SORTS),
            cursor=cursor,
            featured=_featured(story, cursor),
            my_votes=_own_votes(request, _ids(page.comments)),
            own_unseen=[c for c in own if not c.is_shadowed],
            muted=reader_queries.access_muted_for_reader(user=request.user, story=story),
            **_moderation(request, story, page.comments),
        ),
    )
    return profiles.allow_pictures(response, profiles.thread_pictures(page.comments))


def comment_permalink(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = queries.access_comment_for_reader(comment_id=comment_id)
    comment.story.site = comment.site  # already loaded with the comment
    tree = queries.subtree(comment=comment, max_depth=_depth(comment.story))
    own = queries.access_own_unseen_for_reader(
        story=comment.story, comment_ids=[int(k) for k in _tokens(request)], user=request.user
    )
    queries.own_shadowed_merge([tree], own, top=False)
    response = render(
        request,
        "threadline/permalink.html",
        _context(
            request,
            comment.story,
            ancestors=queries.ancestors(comment=comment),
            comment=tree,
            my_votes=_own_votes(request, _ids([tree])),
            **_moderation(request, comment.story, [tree], held=False),
        ),
    )
    return profiles.allow_pictures(response, profiles.thread_pictures([tree]))


def _next(request: HttpRequest, fallback: str, anchor: str = "") -> HttpResponseRedirect:
    """Back to the page the form was on (same host only), at ``anchor``."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = fallback
    return HttpResponseRedirect(target.split("#")[0] + (f"#{anchor}" if anchor else ""))


def _story_url(story_id: int, query: str = "") -> str:
    return reverse("web:story-detail", args=[story_id]) + query


def _permalink(comment_id: int) -> str:
    return reverse("web:comment-permalink", args=[comment_id])


@require_POST
def comment_create(request: HttpRequest, story_id: int) -> HttpResponse:
    story = queries.access_story_for_reader(story_id=story_id)
    parent = request.POST.get("parent_id", "")
    try:
        result = comment_post(
            story=story,
            actor=_actor(request),
            body=request.POST.get("body", ""),
            parent_id=int(parent) if parent.isdigit() else None,
            author_name=request.POST.get("author_name", ""),
            author_email=request.POST.get("author_email", ""),
            confirm=request.POST.get("confirm") == "1",
            honeypot=request.POST.get("website", ""),
        )
    except errors.ThreadlineError as exc:
        action = reverse("web:comment-create", args=[story.pk])
        return _form_error(request, story, exc, action=action)
    comment = result.comment
    _remember_token(request, comment.pk, result.edit_token)
    shown = comment.status_for_writer
    # Remember the guest's name for the next reply (never shown to anyone else).
    guest = not request.user.is_authenticated
    request.session["guest_name"] = comment.author_name if guest else ""
    request.session["guest_email"] = comment.author_email if guest else ""
    if shown != CommentStatus.PUBLISHED:
        messages.info(
            request,
            "Thank you. Your comment is held for review by a moderator "
            "and will appear once it is approved.",
        )
        return _next(request, _story_url(story.pk), "comments")
    messages.success(request, "Your comment is published.")
    if comment.parent_id:
        return HttpResponseRedirect(f"{_permalink(comment.parent_id)}#comment-{comment.pk}")
    return HttpResponseRedirect(_story_url(story.pk, f"?sort=newest#comment-{comment.pk}"))


def _form_error(
    request: HttpRequest,
    story: Story,
    exc: errors.ThreadlineError,
    *,
    action: str,
    editing: bool = False,
) -> HttpResponse:
    """The form again, with the reader's text and the error next to it; for the "think
    twice" nudge, a button to post anyway (a moderator then reviews it)."""
    response = render(
        request,
        "threadline/form_error.html",
        {
            "story": story,
            "error": exc,
            "post": request.POST,
            "action": action,
            "editing": editing,
            "needs_confirmation": exc.code == "needs_confirmation",
            "guidelines_url": guidelines_link(story.site),
            "next": request.POST.get("next", ""),
        },
        status=exc.status,
    )
    if isinstance(exc, errors.RateLimitedError):
        response["Retry-After"] = str(exc.retry_after)
    return response


@require_POST
def comment_update(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = queries.access_comment_for_change(comment_id=comment_id)
    try:
        updated = comment_edit(
            comment=comment,
            actor=_actor(request),
            body=request.POST.get("body", ""),
            edit_token=_tokens(request).get(str(comment_id), ""),
            confirm=request.POST.get("confirm") == "1",
        )
    except errors.ThreadlineError as exc:
        action = reverse("web:comment-edit", args=[comment_id])
        return _form_error(request, comment.story, exc, action=action, editing=True)
    if updated.status_for_writer != CommentStatus.PUBLISHED:
        messages.info(request, "Your edit is held for review by a moderator.")
        return _next(request, _story_url(comment.story_id), "comments")
    messages.success(request, "Your comment is updated.")
    return _next(request, _story_url(comment.story_id), f"comment-{comment_id}")


@require_POST
def comment_remove(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = queries.access_comment_for_change(comment_id=comment_id)
    try:
        comment_delete(
            comment=comment,
            actor=_actor(request),
            edit_token=_tokens(request).get(str(comment_id), ""),
        )
        messages.success(request, "Your comment is deleted.")
    except errors.ThreadlineError as exc:
        messages.error(request, exc.message)
    anchor = f"comment-{comment.parent_id}" if comment.parent_id else "comments"
    if request.POST.get("next", "").startswith(_permalink(comment_id)):
        # The permalink page of a comment that vanished: go to the story instead.
        return HttpResponseRedirect(_story_url(comment.story_id, f"#{anchor}"))
    return _next(request, _story_url(comment.story_id), anchor)


@require_POST
def comment_vote(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = queries.access_comment_for_reader(comment_id=comment_id)
    try:
        vote_cast(comment=comment, actor=_actor(request), value=int(request.POST.get("value", "0")))
    except (errors.ThreadlineError, ValueError) as exc:
        messages.error(request, getattr(exc, "message", "Invalid vote."))
    return _next(request, _story_url(comment.story_id), f"comment-{comment_id}")


@require_POST
def comment_flag(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = queries.access_comment_for_reader(comment_id=comment_id)
    try:
        flag_create(
            comment=comment,
            actor=_actor(request),
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        )
        messages.success(request, "Thank you for the report; a moderator will look at it.")
    except errors.ThreadlineError as exc:
        messages.error(request, exc.message)
    return _next(request, _story_url(comment.story_id), f"comment-{comment_id}")


@require_POST
def comment_mute(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A signed-in reader mutes the writer of a comment (``mute_create``)."""
    comment = queries.access_comment_for_reader(comment_id=comment_id)
    if not request.user.is_authenticated:
        messages.error(request, "Sign in to mute a reader.")
    else:
        try:
            mute = mute_create(user=request.user, comment=comment)
            messages.success(request, f"You muted {mute.name}: their comments are folded away.")
        except errors.ThreadlineError as exc:
            messages.error(request, exc.message)
    return _next(request, _story_url(comment.story_id), f"comment-{comment_id}")


@require_POST
def mute_lift(request: HttpRequest, mute_id: int) -> HttpResponse:
    """Unmute (the reader's own mutes only; anyone else's is "not found")."""
    mute = reader_queries.access_mute_for_reader(user=request.user, mute_id=mute_id)
    mute_remove(mute=mute)
    messages.success(request, f"You unmuted {mute.name}.")
    return _next(request, reverse("web:story-list"), "comments")


def signup(request: HttpRequest) -> HttpResponse:
    error, field, status = None, None, 200
    next_url = request.POST.get("next") or request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    if request.method == "POST":
        try:
            _auth_rate(request)
            user = user_register(
                username=request.POST.get("username", ""),
                password=request.POST.get("password", ""),
                email=request.POST.get("email", ""),
                display_name=request.POST.get("display_name", ""),
            )
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            if user.email:
                messages.info(request, f"We sent a link to {user.email}: open it to confirm it.")
            return HttpResponseRedirect(next_url)
        except errors.ThreadlineError as exc:
            error, field, status = exc.message, exc.field, exc.status
    return render(
        request,
        "registration/signup.html",
        {
            "error": error,
            "field": field,
            "next": next_url,
            "post": request.POST,
        },
        status=status,
    )


def _auth_rate(request: HttpRequest) -> None:
    check_rate(name="auth-ip", key=client_ip(request) or "", setting="RATE_LIMIT_AUTH_IP")


class LoginView(auth_views.LoginView):
    """Django's sign-in page, with the same per-address limit as the API's /auth/login."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            _auth_rate(request)
        except errors.RateLimitedError as exc:
            response = render(request, "threadline/error.html", {"error": exc}, status=exc.status)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return super().post(request, *args, **kwargs)


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
