"""bench/load_mix.py's client counts what the load comparison reports: requests by kind,
errors by kind, non-2xx answers, bytes per read — against a small loopback server."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import load_mix  # noqa: E402
import load_mix_compare  # noqa: E402

ISSO_KEYS = {"text", "author", "email", "parent", "title"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, status: int, body: bytes = b"") -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(200, b"x" * 100) if self.path == "/thread" else self._answer(404)

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/isso":
            ok = set(body) == ISSO_KEYS and body["parent"] is None
        else:
            ok = set(body) == {"body", "author_name"} and bool(
                self.headers.get("X-Threadline-Guest")
            )
        self._answer(201 if ok else 400)


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def _measure(target: load_mix.Target) -> dict:
    return load_mix.measure(target, duration=0.5, clients=1, threads=2, post_share=0.5)


def test_isso_shaped_posts_and_reads_are_counted(port: int) -> None:
    result = _measure(load_mix.Target((port,), "/thread", "/isso", "isso"))
    assert result["reads"] > 0 and result["posts"] > 0
    assert result["requests"] == result["reads"] + result["posts"]
    assert result["errors"] == 0 and result["non_2xx"] == 0
    assert result["read_bytes_mean"] == 100
    assert result["post_ms"][99] is not None


def test_non_2xx_answers_are_errors_by_kind(port: int) -> None:
    result = _measure(load_mix.Target((port,), "/missing", "/threadline"))
    assert result["errors_by_kind"] == {"read HTTP 404": result["reads"]}
    assert result["non_2xx"] == result["errors"] == result["reads"] > 0
    assert result["posts"] > 0


def test_a_target_without_posts_gets_reads_only(port: int) -> None:
    result = _measure(load_mix.Target((port,), "/thread"))
    assert result["posts"] == 0 and result["reads"] > 0
    assert result["post_ms"] == {50: None, 95: None, 99: None}


def test_summary_table_marks_reads_only_and_failed_cases(port: int) -> None:
    row = {"case": "nginx", "mode": "nginx", "posts_note": "reads only"}
    row.update(_measure(load_mix.Target((port,), "/thread")))
    lines = load_mix_compare.table([row, {"case": "isso", "failed": "RuntimeError: no venv"}])
    header, _, nginx, failed = lines.splitlines()
    assert nginx.count("|") == failed.count("|") == header.count("|")
    assert "n/a (reads only)" in nginx
    assert "not run: RuntimeError: no venv" in failed
