"""What happens after a comment changes: the thread cache moves on (the story version was
bumped in the transaction) and listeners — live updates, webhooks, notifications — are told.

Listeners register here; this keeps actions free of imports of every side effect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CommentState:
    """The comment as the transaction that changed it left it. An action that knows this
    passes it along, so a listener need not read the row again after commit."""

    story_id: int
    site_id: int
    parent_id: int | None
    status: str
    version: int  # the story's version after the change


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
