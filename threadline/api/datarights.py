"""Readers' data rights: download everything stored about you, or erase your account.

``GET /api/v1/me/data`` and ``DELETE /api/v1/me`` take the account's bearer token. A guest
proves a comment is theirs with its edit token: ``GET /api/v1/comments/{id}/mydata``
returns that comment's stored data (text, name, e-mail, IP, revisions) and nothing else,
since an edit token vouches for one comment, not for an e-mail address.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from threadline import errors, queries
from threadline.actions.comments import can_change
from threadline.actions.datarights import (
    EXPORT_FORMAT,
    comment_data,
    person_erase,
    person_export,
    person_for_user,
)
from threadline.api.base import actor_for
from threadline.api.schemas import ErrorOut
from threadline.domain.identity import Actor

router = Router(tags=["data rights"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _signed_in(request: HttpRequest) -> Actor:
    actor = actor_for(request)
    if not actor.is_authenticated:
        raise errors.NotAuthenticatedError()
    return actor


@router.get("/me/data", response={200: dict, **ERRORS})
def my_data(request: HttpRequest) -> dict:
    """Everything stored about the signed-in reader, as JSON."""
    return person_export(person=person_for_user(user=_signed_in(request).user))


@router.delete("/me", response={200: dict, **ERRORS})
def erase_me(request: HttpRequest) -> dict:
    """Erase the signed-in reader's account, comments (tombstones where replied to) and votes."""
    return {"erased": person_erase(person=person_for_user(user=_signed_in(request).user))}


@router.get("/comments/{comment_id}/mydata", response={200: dict, **ERRORS})
def comment_my_data(request: HttpRequest, comment_id: int, edit_token: str = "") -> dict:
    comment = queries.access_comment_for_change(comment_id=comment_id)
    if not can_change(comment=comment, actor=actor_for(request), edit_token=edit_token):
        raise errors.NotYourCommentError()
    return {"format": EXPORT_FORMAT, "version": 1, "comments": [comment_data(comment)]}
