"""The Perspective-compatible remote scorer against a fake service on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from tests.scoring.conftest import make_ctx
from threadline.models import ModerationAction, Site
from threadline.scoring.base import Verdict
from threadline.scoring.policy import decide
from threadline.scoring.remote import PerspectiveScorer


class FakePerspective(BaseHTTPRequestHandler):
    mode = "ok"  # ok | slow | error | garbage
    value = 0.93
    seen: list[dict[str, Any]] = []

    def do_POST(self) -> None:  # noqa: N802 -- http.server's naming
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        FakePerspective.seen.append({"path": self.path, "body": body})
        if self.mode == "slow":
            time.sleep(0.5)
        if self.mode == "error":
            self.send_response(503)
            self.end_headers()
            return
        answer = (
            b"not json"
            if self.mode == "garbage"
            else json.dumps(
                {"attributeScores": {"TOXICITY": {"summaryScore": {"value": self.value}}}}
            ).encode()
        )
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def service() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakePerspective)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakePerspective.seen, FakePerspective.mode = [], "ok"
    yield f"http://127.0.0.1:{server.server_port}/v1alpha1/comments:analyze"
    server.shutdown()
    server.server_close()


def _score(url: str, fail: str = "open", **kw: Any) -> Any:
    conf = {
        **settings.THREADLINE,
        "PERSPECTIVE_URL": url,
        "PERSPECTIVE_KEY": "k3y",
        "PERSPECTIVE_TIMEOUT": 0.2,
        "PERSPECTIVE_FAIL": fail,
        **kw,
    }
    with override_settings(THREADLINE=conf):
        return PerspectiveScorer().score(make_ctx(Site(), "you are an idiot"))


def test_sends_the_text_and_key_and_returns_the_toxicity(service: str) -> None:
    score = _score(service)
    assert score.value == pytest.approx(0.93)
    assert score.verdict is Verdict.PASS  # the policy decides, not the scorer
    assert score.version == "perspective@127.0.0.1"
    request = FakePerspective.seen[0]
    assert request["path"].endswith("comments:analyze?key=k3y")
    assert request["body"]["comment"] == {"text": "you are an idiot"}
    assert request["body"]["requestedAttributes"] == {"TOXICITY": {}}
    assert request["body"]["doNotStore"] is True


def test_policy_holds_on_the_remote_score(service: str) -> None:
    decision = decide(site=Site(hold_threshold=0.7, warn_threshold=0.5), scores=[_score(service)])
    assert decision.action == ModerationAction.HOLD
    assert decision.reasons == ["Toxic (perspective) 0.93"]


@pytest.mark.parametrize(
    ("mode", "why"), [("slow", "timeout"), ("error", "HTTP 503"), ("garbage", "JSONDecodeError")]
)
def test_fail_open_lets_the_comment_through(service: str, mode: str, why: str) -> None:
    FakePerspective.mode = mode
    score = _score(service)
    assert (score.value, score.verdict, score.reasons) == (0.0, Verdict.PASS, ())
    assert score.explanation == (f"unavailable: {why}",)


@pytest.mark.parametrize(
    ("mode", "why"), [("slow", "timeout"), ("error", "HTTP 503"), ("garbage", "JSONDecodeError")]
)
def test_fail_closed_holds_the_comment(service: str, mode: str, why: str) -> None:
    FakePerspective.mode = mode
    score = _score(service, fail="closed")
    assert score.verdict is Verdict.HOLD
    assert score.reasons == (f"Remote scorer unavailable ({why})",)


def test_unreachable_service_fails_closed_when_asked() -> None:
    score = _score("http://127.0.0.1:9/analyze", fail="closed")
    assert score.verdict is Verdict.HOLD


def test_out_of_range_score_is_treated_as_unavailable(service: str) -> None:
    FakePerspective.value = 7.0
    try:
        score = _score(service, fail="closed")
    finally:
        FakePerspective.value = 0.93
    assert score.reasons == ("Remote scorer unavailable (ValueError)",)


def test_without_a_url_nothing_is_sent() -> None:
    score = _score("")
    assert (score.value, score.verdict) == (0.0, Verdict.PASS)


def test_non_http_url_is_refused() -> None:
    assert _score("file:///etc/passwd", fail="closed").verdict is Verdict.HOLD
