"""The widget's sign-in window, over HTTP against the real test provider: the start keeps
the widget's handoff through the provider's round trip, the callback hands the reader to
the widget (not to the pages) and the widget's claim gets the token (tests/api has the claim's
own cases, tests/browser/test_oidc_widget.py the widget)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from importlib import import_module
from typing import Any

import pytest
import requests
from django.conf import settings as django_settings

from tests.factories import SiteFactory
from tests.oidc_provider.fixtures import LABEL, configure, provider_for
from tests.oidc_provider.runner import Provider
from tests.web.test_oidc import _provider_login
from threadline.actions.oidc_handoff import handoff_of
from threadline.web.oidc import HANDOFF_SESSION_KEY

pytestmark = pytest.mark.slow
PAGE = "https://news.example"


@pytest.fixture(scope="module")
def provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    yield from provider_for(live_server, tmp_path_factory)


@pytest.fixture
def oidc_on(provider: Provider, settings: Any, transactional_db: Any) -> Iterator[Provider]:
    from threadline.server.origins import forget_origins

    SiteFactory(allowed_origins=[PAGE])
    forget_origins()
    yield from configure(provider, settings)


def _start(live_server: Any, http: requests.Session, handoff: str, referer: str = PAGE + "/a"):
    return http.get(
        f"{live_server.url}/accounts/oidc/login/",
        params={"handoff": handoff},
        headers={"Referer": referer},
        allow_redirects=False,
        timeout=10,
    )


def _session(http: requests.Session) -> Any:
    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    return store(http.cookies[django_settings.SESSION_COOKIE_NAME])


def _claim(live_server: Any, verifier: str) -> tuple[int, Any]:
    r = requests.post(
        f"{live_server.url}/api/v1/auth/oidc/claim", json={"verifier": verifier}, timeout=10
    )
    return r.status_code, r.json()


def test_the_start_keeps_the_handoff_and_the_callback_hands_the_reader_to_the_widget(
    live_server: Any, oidc_on: Provider
) -> None:
    from django.contrib.auth.models import User

    verifier = secrets.token_urlsafe(32)
    http = requests.Session()
    start = _start(live_server, http, handoff_of(verifier))
    assert start.status_code == 302 and start.headers["Location"].startswith(oidc_on.url)
    assert _session(http)[HANDOFF_SESSION_KEY] == {"handoff": handoff_of(verifier), "origin": PAGE}
    assert _claim(live_server, verifier)[1]["error"]["code"] == "handoff_pending"

    done = _provider_login(http, http.get(start.headers["Location"], timeout=10))
    assert done.status_code == 200, done.text[:500]
    assert "Signed in — you can close this window" in done.text
    assert "Amira Haddad" in done.text and PAGE in done.text
    # The window's session is not signed in to the pages, and forgot the handoff.
    session = _session(http)
    assert "_auth_user_id" not in session and HANDOFF_SESSION_KEY not in session
    assert "token" not in done.text.lower() and verifier not in done.text

    status, body = _claim(live_server, verifier)
    user = User.objects.get(username__startswith="oidc-")
    assert status == 200 and body["user"]["id"] == user.pk
    assert body["user"]["display_name"] == "Amira Haddad"
    assert _claim(live_server, verifier)[1]["error"]["code"] == "handoff_not_found"


@pytest.mark.parametrize(
    ("handoff", "referer", "status"),
    [
        ("not-a-handoff", PAGE + "/a", 400),
        (handoff_of("x" * 43), "https://elsewhere.example/", 403),
        (handoff_of("x" * 43), "", 403),
    ],
)
def test_a_start_with_a_bad_handoff_or_from_a_page_elsewhere_is_refused(
    live_server: Any, oidc_on: Provider, handoff: str, referer: str, status: int
) -> None:
    http = requests.Session()
    response = _start(live_server, http, handoff, referer)
    assert response.status_code == status
    assert HANDOFF_SESSION_KEY not in (_session(http) if http.cookies else {})


def test_a_refused_sign_in_says_so_in_the_window_and_to_the_widget(
    live_server: Any, oidc_on: Provider, settings: Any
) -> None:
    settings.THREADLINE = {**settings.THREADLINE, "OIDC_CLIENT_SECRET": "not-the-secret"}
    verifier = secrets.token_urlsafe(32)
    http = requests.Session()
    start = _start(live_server, http, handoff_of(verifier))
    done = _provider_login(http, http.get(start.headers["Location"], timeout=10))
    assert done.status_code == 400 and f"Sign-in with {LABEL} did not work." in done.text
    status, body = _claim(live_server, verifier)
    assert status == 401 and body["error"]["code"] == "handoff_failed"
    assert body["error"]["message"] == f"Sign-in with {LABEL} did not work."
