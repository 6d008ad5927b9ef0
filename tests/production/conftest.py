"""Fixtures for production-mode tests: a local webhook receiver and the service URLs."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


class Receiver:
    """An HTTP server on 127.0.0.1 (``port``, default any free one) that records every POST
    as it arrives and answers ``status`` after ``delay`` seconds."""

    def __init__(self, *, port: int = 0, delay: float = 0.0) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 204
        self.delay = delay
        self.headers: dict[str, str] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(
                    {"headers": dict(self.headers), "body": body, "path": self.path}
                )
                time.sleep(receiver.delay)
                self.send_response(receiver.status)
                for name, value in receiver.headers.items():
                    self.send_header(name, value)
                self.end_headers()

            do_GET = do_POST  # noqa: N815 - a followed redirect arrives as a GET

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as r:
        yield r


@pytest.fixture
def private_webhooks(settings) -> None:  # noqa: ANN001
    """Let webhooks reach the loopback receivers (off by default: non-public targets are
    refused, THREADLINE_WEBHOOK_ALLOW_PRIVATE)."""
    settings.THREADLINE = {**settings.THREADLINE, "WEBHOOK_ALLOW_PRIVATE": True}


def services() -> tuple[str, str]:
    """PostgreSQL and Redis URLs for the multi-process tests, or a skip with the reason."""
    pg = os.environ.get("THREADLINE_TEST_POSTGRES_URL", "")
    redis = os.environ.get("THREADLINE_TEST_REDIS_URL", "")
    if not pg or not redis:
        pytest.skip(
            "multi-process test needs THREADLINE_TEST_POSTGRES_URL and "
            "THREADLINE_TEST_REDIS_URL (CI sets both)"
        )
    return pg, redis
