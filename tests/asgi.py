"""Drive an ASGI application in-process, as uvicorn would, for one HTTP request."""

from __future__ import annotations

from typing import Any

from asgiref.testing import ApplicationCommunicator


def http_scope(
    method: str, path: str, query: bytes = b"", headers: list[tuple[bytes, bytes]] | None = None
) -> dict[str, Any]:
    return {
        "type": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "headers": [(b"host", b"127.0.0.1"), *(headers or [])],
        "http_version": "1.1",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "client": ("127.0.0.1", 1),
        "root_path": "",
    }


async def asgi_call(
    app: Any, scope: dict[str, Any], body: bytes = b""
) -> tuple[int, dict[bytes, bytes], bytes]:
    """(status, headers, body) of one request; the request body arrives in two messages."""
    comm = ApplicationCommunicator(app, scope)
    half = len(body) // 2
    await comm.send_input({"type": "http.request", "body": body[:half], "more_body": True})
    await comm.send_input({"type": "http.request", "body": body[half:], "more_body": False})
    start = await comm.receive_output(10)
    out = b""
    while True:
        msg = await comm.receive_output(10)
        out += msg.get("body", b"")
        if not msg.get("more_body"):
            break
    await comm.wait(5)
    return start["status"], dict(start["headers"]), out
