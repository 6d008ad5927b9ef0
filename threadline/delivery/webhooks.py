"""Outbound webhooks: the payload of a comment event, its HMAC-SHA256 signature, the POST.

A receiver checks ``X-Threadline-Signature: sha256=<hex>`` where the hex digest is
HMAC-SHA256(secret, "<X-Threadline-Timestamp>.<raw body>"), rejects old timestamps, and
drops repeated ``X-Threadline-Delivery`` ids (a delivery can arrive twice after a crash).
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import os
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

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


# --- where a webhook may point --------------------------------------------------------


class TargetNotAllowed(Exception):
    """The URL's host is (or resolves to) an address webhooks may not reach."""


def private_targets_allowed() -> bool:
    """THREADLINE_WEBHOOK_ALLOW_PRIVATE: let webhooks reach loopback, private and link-local
    addresses (a receiver on the same network). Off, they cannot be aimed at the cloud
    metadata service or at services behind the firewall."""
    from django.conf import settings

    configured = settings.THREADLINE.get("WEBHOOK_ALLOW_PRIVATE")
    if configured is None:
        configured = os.environ.get("THREADLINE_WEBHOOK_ALLOW_PRIVATE", "")
    if isinstance(configured, str):
        return configured.strip().lower() in ("1", "true", "yes", "on")
    return bool(configured)


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is the loopback
    return ip.is_global and not ip.is_multicast


def resolve_target(url: str) -> list[str]:
    """Every address the URL's host resolves to, each checked: TargetNotAllowed when one is
    not public (unless private targets are allowed); OSError when it does not resolve."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    if not private_targets_allowed():
        refused = [a for a in addresses if not is_public(a)]
        if refused or not addresses:
            raise TargetNotAllowed(f"{host} resolves to a non-public address {refused}")
    return addresses


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
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Threadline-Event": event,
        "X-Threadline-Delivery": delivery,
        "X-Threadline-Timestamp": timestamp,
        "X-Threadline-Signature": sign(secret, timestamp, body),
    }
    try:
        # Resolved and checked now, not only when the webhook was created: the name may
        # point elsewhere today (DNS rebinding). The connection goes to the checked address.
        address = resolve_target(url)[0]
        status = _post_pinned(url, address, body, headers, timeout)
    except TargetNotAllowed as exc:
        return PostOutcome(ok=False, status_code=None, error=f"refused: {exc}"[:500])
    except (OSError, ValueError, http.client.HTTPException) as exc:  # refused, timeout, DNS
        return PostOutcome(ok=False, status_code=None, error=str(exc)[:500] or type(exc).__name__)
    if 200 <= status < 300:
        return PostOutcome(ok=True, status_code=status, error="")
    # Redirects are not followed (they would carry the signed headers elsewhere, past the
    # address check): a 3xx is a failed delivery like any other non-2xx.
    return PostOutcome(ok=False, status_code=status, error=f"HTTP {status}")


def _post_pinned(
    url: str, address: str, body: bytes, headers: dict[str, str], timeout: float
) -> int:
    """POST to ``address`` with the URL's host name in Host (and TLS: SNI, certificate)."""
    parts = urlsplit(url)
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    port = parts.port or (443 if parts.scheme == "https" else 80)
    conn = cls(parts.hostname or "", port, timeout=timeout)
    conn._create_connection = lambda target, *args: socket.create_connection(  # type: ignore[attr-defined]
        (address, target[1]), *args
    )
    path = parts.path or "/"
    try:
        conn.request("POST", f"{path}?{parts.query}" if parts.query else path, body, headers)
        response = conn.getresponse()
        response.read(64 * 1024)
        return response.status
    finally:
        conn.close()
