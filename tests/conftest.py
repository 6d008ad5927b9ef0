"""Shared fixtures: factories, an API client, and access to ../shared fixtures."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from threadline.server import threadcache
from threadline.server.middleware import forget_origins

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; skips the test when it is missing, fails in CI."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        if os.environ.get("THREADLINE_REQUIRE_SHARED") == "1":
            pytest.fail(f"{path} is missing and THREADLINE_REQUIRE_SHARED=1")
        pytest.skip(f"{path} is missing (the shared fixtures live beside the checkout)")
    return path


@pytest.fixture(scope="session", autouse=True)
def _close_db_pools(django_db_setup, django_db_blocker):  # noqa: ANN001,ANN202
    """PostgreSQL runs use a connection pool; close it before the test database is
    dropped, or the drop fails ("being accessed by other users") and the database stays."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        default = connections["default"]
        if default.vendor == "postgresql":
            # Threads of live-server and concurrency tests may still hold a session.
            with default.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        for conn in connections.all():
            if hasattr(conn, "close_pool"):
                conn.close_pool()


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    cache.clear()
    threadcache.clear_local()
    forget_origins()


class Api:
    """A JSON client for /api/v1 that keeps an optional bearer token and guest key."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.token = ""
        self.guest = ""

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.guest:
            headers["X-Threadline-Guest"] = self.guest
        headers.update(extra or {})
        return headers

    def get(self, path: str, headers: dict[str, str] | None = None, **params: Any):  # noqa: ANN201
        return self.client.get("/api/v1" + path, params, headers=self._headers(headers))

    def send(self, method: str, path: str, data: Any = None, headers: dict[str, str] | None = None):  # noqa: ANN201
        body = json.dumps(data) if data is not None else ""
        return getattr(self.client, method)(
            "/api/v1" + path, body, content_type="application/json", headers=self._headers(headers)
        )

    def post(self, path: str, data: Any = None, **kw: Any):  # noqa: ANN201
        return self.send("post", path, data, **kw)

    def patch(self, path: str, data: Any = None, **kw: Any):  # noqa: ANN201
        return self.send("patch", path, data, **kw)

    def delete(self, path: str, data: Any = None, **kw: Any):  # noqa: ANN201
        return self.send("delete", path, data, **kw)


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client)


@pytest.fixture
def site(db):  # noqa: ANN001,ANN201
    from tests.factories import SiteFactory

    return SiteFactory()


@pytest.fixture
def story(site):  # noqa: ANN001,ANN201
    from tests.factories import StoryFactory

    return StoryFactory(site=site)
