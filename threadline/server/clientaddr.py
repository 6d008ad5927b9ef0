"""The client's address: the socket peer, or the hop a trusted proxy saw, always a parsed IP.

``THREADLINE_TRUSTED_PROXIES`` counts the reverse proxies in front of the server; each
appends the address it saw to X-Forwarded-For, so the client is that many entries from the
right. With no trusted proxy the header is ignored: any client can send it, and a client on
the same host would otherwise choose its own address (and so its own rate-limit key).

Whatever does not parse as an IP address (a forged or mangled header, a Unix-socket peer)
is never used — the socket peer stands in, or no address at all. Stored raw it would end in
an ``inet`` column on PostgreSQL and fail the request.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings

# request.META keys set by settle(): the socket peer as the server saw it (before any
# proxy header) and the X-Forwarded-For header it removed.
PEER = "THREADLINE_SOCKET_PEER"
FORWARDED = "THREADLINE_FORWARDED_FOR"


def parse_ip(value: str | None) -> str | None:
    """``value`` as a canonical IP address ("[::1]" and a zone id allowed), else None."""
    text = (value or "").strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    try:
        return str(ipaddress.ip_address(text.split("%", 1)[0]))
    except ValueError:
        return None


def resolve(*, peer: str | None, forwarded: str, proxies: int) -> str | None:
    """The client's address from the socket peer and X-Forwarded-For (see the module)."""
    socket_peer = parse_ip(peer)
    if proxies <= 0:
        return socket_peer
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < proxies:
        return socket_peer
    return parse_ip(hops[-proxies]) or socket_peer


def settle(meta: dict[str, Any]) -> None:
    """Resolve the client once per request: REMOTE_ADDR becomes the parsed client address
    (absent when there is none) and X-Forwarded-For moves to ``FORWARDED``, so every later
    reader of REMOTE_ADDR gets the same checked answer."""
    peer = meta.get("REMOTE_ADDR")
    forwarded = meta.pop("HTTP_X_FORWARDED_FOR", "")
    meta[PEER] = parse_ip(peer)
    meta[FORWARDED] = forwarded
    address = resolve(
        peer=peer, forwarded=forwarded, proxies=settings.THREADLINE["TRUSTED_PROXIES"]
    )
    if address:
        meta["REMOTE_ADDR"] = address
    else:
        meta.pop("REMOTE_ADDR", None)


def is_local_request(meta: dict[str, Any]) -> bool:
    """True when the request came from this machine itself: a loopback socket peer and, with
    trusted proxies, no X-Forwarded-For (a request the proxy passed on is not local even
    when the proxy runs on the loopback)."""
    if PEER in meta:
        peer, forwarded = meta[PEER], meta[FORWARDED]
    else:  # not through threadline.server.handler (Django's test client, runserver)
        peer, forwarded = parse_ip(meta.get("REMOTE_ADDR")), meta.get("HTTP_X_FORWARDED_FOR")
    if peer is None or not ipaddress.ip_address(peer).is_loopback:
        return False
    return not (forwarded and settings.THREADLINE["TRUSTED_PROXIES"] > 0)


def uvicorn_proxy_options() -> dict[str, Any]:
    """uvicorn's proxy-header trust, from THREADLINE_TRUSTED_PROXIES. uvicorn trusts
    X-Forwarded-For and X-Forwarded-Proto from the loopback by default; with no trusted
    proxy that lets a same-host client pick its own address, so it is switched off. With
    proxies, uvicorn keeps its defaults (scheme and client from FORWARDED_ALLOW_IPS, the
    loopback unless set) and ``resolve`` picks the client by hop count."""
    if settings.THREADLINE["TRUSTED_PROXIES"] <= 0:
        return {"proxy_headers": False}
    return {"proxy_headers": True}


def client_ip(request: Any) -> str | None:
    """The client's address: X-Forwarded-For only through ``TRUSTED_PROXIES`` proxies, and
    only a parsable address, never the header's raw text."""
    return resolve(
        peer=request.META.get("REMOTE_ADDR"),
        forwarded=request.META.get("HTTP_X_FORWARDED_FOR", ""),
        proxies=settings.THREADLINE["TRUSTED_PROXIES"],
    )
