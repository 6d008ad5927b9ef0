"""Which way this reader voted on the comments of a page, so the page can show it and a
second click on the same arrow withdraws the vote (``vote_cast`` with 0)."""

from __future__ import annotations

from django.http import HttpRequest

from threadline.identity import Actor
from threadline.models import Vote


def _reader_key(request: HttpRequest) -> str:
    """The key ``vote_cast`` stored the reader's votes under, or "" for a reader who has not
    voted yet. Reading never creates a session (``views._actor`` does, on a write)."""
    session_key = request.session.session_key
    if not request.user.is_authenticated and not session_key:
        return ""
    actor = Actor(user=request.user, guest_key="session:" + (session_key or ""))
    return actor.reader_key


def votes_for_page(request: HttpRequest, comment_ids: list[int]) -> dict[str, int]:
    """{comment id: +1 or -1} for this reader: one query whatever the page's size, none
    for a first-time reader or an empty page."""
    key = _reader_key(request)
    if not key or not comment_ids:
        return {}
    rows = Vote.objects.filter(comment_id__in=comment_ids, voter_key=key)
    return {str(cid): value for cid, value in rows.values_list("comment_id", "value")}
