"""What happens after a comment changes: the thread cache moves on (the story version was
bumped in the transaction) and listeners — live updates, webhooks, notifications — are told.

Listeners register here; this keeps actions free of imports of every side effect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger("threadline.events")  # its name before the move


@dataclass(frozen=True)
class CommentState:
    """The comment as the transaction that changed it left it. An action that knows this
    passes it along, so a listener need not read the row again after commit."""

    story_id: int
    site_id: int
    parent_id: int | None
    status: str
    version: int  # the story's version after the change
    # Someone may be told of it (a reply to an account's comment, an @name, a rejected
    # comment with an address): only then does the listener queue a notification job.
    notify: bool = False


Listener = Callable[[int, str, CommentState | None], None]
_listeners: list[Listener] = []


def listen(fn: Listener) -> Listener:
    _listeners.append(fn)
    return fn


def comment_changed(*, comment_id: int, kind: str, state: CommentState | None = None) -> None:
    """``kind`` is posted, edited, approved, rejected, held, deleted or voted; ``state`` is
    None when the caller does not know it (listeners then read it)."""
    for fn in list(_listeners):
        try:
            fn(comment_id, kind, state)
        except Exception:  # a failing listener must not fail the reader's request
            log.exception("listener %s failed for comment %s", fn, comment_id)


# Follow-up work an action asks for by name (``"rescore"``, ``"subscription_confirm"``),
# done by whoever registered for it — threadline.delivery.jobs, at start-up — so that actions import
# no job and jobs may import actions.
FollowUp = Callable[[int], None]
_follow_ups: dict[str, FollowUp] = {}


def handle(kind: str, fn: FollowUp) -> FollowUp:
    _follow_ups[kind] = fn
    return fn


def follow_up(*, kind: str, object_id: int) -> None:
    """Ask for follow-up work on one object; nothing happens when no one handles ``kind``.
    A handler queues its job after the surrounding transaction commits."""
    fn = _follow_ups.get(kind)
    if fn is not None:
        fn(object_id)
