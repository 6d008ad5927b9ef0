"""What happens after a comment changes: the thread cache moves on (the story version was
bumped in the transaction) and listeners — live updates, webhooks, notifications — are told.

Listeners register here; this keeps actions free of imports of every side effect.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

log = logging.getLogger(__name__)

Listener = Callable[[int, str], None]
_listeners: list[Listener] = []


def listen(fn: Listener) -> Listener:
    _listeners.append(fn)
    return fn


def comment_changed(*, comment_id: int, kind: str) -> None:
    """``kind`` is posted, edited, approved, rejected, held, deleted or voted."""
    for fn in list(_listeners):
        try:
            fn(comment_id, kind)
        except Exception:  # a failing listener must not fail the reader's request
            log.exception("listener %s failed for comment %s", fn, comment_id)
