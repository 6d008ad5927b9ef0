"""Outbound webhooks: the payload of a comment event, its HMAC-SHA256 signature, the POST.

A receiver checks ``X-Threadline-Signature: sha256=<hex>`` where the hex digest is
HMAC-SHA256(secret, "<X-Threadline-Timestamp>.<raw body>"), rejects old timestamps, and
drops repeated ``X-Threadline-Delivery`` ids (a delivery can arrive twice after a crash).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from threadline.models import Comment, CommentStatus

USER_AGENT = "Threadline-Webhook/1"


def comment_payload(comment: Comment) -> dict[str, Any]:
    """What a receiver learns about a comment: public fields only, never the e-mail or IP."""
    visible = comment.status not in (CommentStatus.DELETED,)
    return {
        "id": comment.pk,
        "story": {"id": comment.story_id, "url": comment.story.url, "title": comment.story.title},
        "site": comment.site.name,
        "parent_id": comment.parent_id,
        "status": comment.status,
        "author": {"name": comment.author_name, "registered": comment.user_id is not None},
        "body": comment.body if visible else "",
        "body_html": comment.body_html if visible else "",
        "created_at": comment.created_at.isoformat(),
        "reasons": list(comment.moderation_reasons or []),
    }


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str,
    timestamp: str,
    body: bytes,
    signature: str,
    *,
    tolerance: int = 300,
    now: float | None = None,
) -> bool:
    """The receiver's check, shipped for tests and for Python receivers to copy."""
    try:
        age = abs((now or time.time()) - int(timestamp))
    except ValueError:
        return False
    return age <= tolerance and hmac.compare_digest(sign(secret, timestamp, body), signature)


@dataclass
class PostOutcome:
    ok: bool
    status_code: int | None
    error: str


def post_signed(
    *, url: str, secret: str, event: str, delivery: str, payload: dict[str, Any], timeout: float
) -> PostOutcome:
    """POST the JSON payload with signature headers; any 2xx is success."""
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = str(int(time.time()))
    # webhook_create admits http(s) URLs only.
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked by webhook_create
        url,
        data=body,
        method="POST",
        headers={  # noqa: S310
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-Threadline-Event": event,
            "X-Threadline-Delivery": delivery,
            "X-Threadline-Timestamp": timestamp,
            "X-Threadline-Signature": sign(secret, timestamp, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return PostOutcome(
                ok=200 <= response.status < 300, status_code=response.status, error=""
            )
    except urllib.error.HTTPError as exc:
        return PostOutcome(ok=False, status_code=exc.code, error=f"HTTP {exc.code}")
    except (OSError, ValueError) as exc:  # refused, timeout, DNS, bad URL
        return PostOutcome(ok=False, status_code=None, error=str(exc)[:500] or type(exc).__name__)
