"""Schemathesis against /api/v1/openapi.json on a live uvicorn server: no generated request
gets a 5xx, and every 4xx has the documented error shape. Bounded (THREADLINE_FUZZ_EXAMPLES
per operation, default 12) so it runs in well under a minute."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from tests.production import servers  # noqa: E402

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("THREADLINE_FUZZ_EXAMPLES", "12"))


@pytest.fixture(scope="module")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    db = servers.Database(tmp)
    env = servers.base_env(
        tmp, db.url, THREADLINE_LIVE_MAX_SECONDS="0.2", THREADLINE_LIVE_HEARTBEAT_SECONDS="0.1"
    )
    servers.manage(env, "migrate", "--noinput", "-v0")
    servers.seed(env, comments=5)
    port = servers.free_port()
    web = servers.web(env, port, tmp / "web.log")
    try:
        servers.wait_http(f"http://127.0.0.1:{port}/healthz")
        yield f"http://127.0.0.1:{port}"
    finally:
        web.stop()


def _check(case: Any, base: str) -> None:
    response = case.call(base_url=base, timeout=10)
    where = f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:300]}"
    assert response.status_code < 500, where
    if 400 <= response.status_code < 500:
        error = json.loads(response.text)["error"]
        assert isinstance(error["code"], str) and error["code"], where
        assert isinstance(error["message"], str) and error["message"], where
        assert set(error) <= {"code", "message", "field", "data"}, where


def test_no_generated_request_gets_a_5xx_or_a_shapeless_4xx(live_api: str) -> None:
    schema = schemathesis.openapi.from_url(f"{live_api}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.generate],
        )
        def run(case: Any) -> None:
            _check(case, live_api)

        run()
