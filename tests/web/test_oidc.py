"""Sign-in with an OpenID Connect provider on the server-rendered pages, end to end: a real
provider (django-oidc-provider, tests/oidc_provider) in its own process on loopback, the
real server on ``live_server``, and a real HTTP client between them. Nothing is mocked: the
code exchange, the ID token's signature and the userinfo call all cross the wire."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests

from tests import oidc_provider as provider_data
from tests.factories import StoryFactory
from tests.oidc_provider.fixtures import CALLBACK, LABEL, configure, provider_for
from tests.oidc_provider.runner import Provider
from threadline.oidc import forget_discovery

pytestmark = pytest.mark.slow

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(scope="module")
def provider(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    yield from provider_for(live_server, tmp_path_factory)


@pytest.fixture
def oidc_on(provider: Provider, settings: Any) -> Iterator[Provider]:
    yield from configure(provider, settings)


def _provider_login(
    http: requests.Session, page: requests.Response, *, follow: bool = True
) -> requests.Response:
    """Fill in the provider's own sign-in form (the page ``page`` shows)."""
    assert "Test provider" in page.text, page.text[:500]
    next_url = re.search(r'name="next" value="([^"]*)"', page.text)
    assert next_url is not None
    return http.post(
        page.url,
        data={
            "csrfmiddlewaretoken": TOKEN.search(page.text).group(1),  # type: ignore[union-attr]
            "username": provider_data.USERNAME,
            "password": provider_data.PASSWORD,
            "next": next_url.group(1).replace("&amp;", "&"),
        },
        allow_redirects=follow,
        timeout=20,
    )


def _sign_in(live_server: Any, http: requests.Session, next_path: str) -> requests.Response:
    """The reader's path: the sign-in page, its button, the provider, and back."""
    login = http.get(f"{live_server.url}/accounts/login/", params={"next": next_path}, timeout=10)
    button = re.search(r'<a class="button oidc-button" href="([^"]+)">([^<]+)</a>', login.text)
    assert button is not None, login.text
    assert button.group(2) == f"Sign in with {LABEL}"
    start = http.get(
        live_server.url + button.group(1).replace("&amp;", "&"), allow_redirects=False, timeout=10
    )
    assert start.status_code == 302
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    # The library's authorization request, as sent to the provider.
    assert query["response_type"] == ["code"] and query["client_id"] == [provider_data.CLIENT_ID]
    assert query["redirect_uri"] == [live_server.url + CALLBACK]
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}
    provider_page = http.get(start.headers["Location"], timeout=10)
    return _provider_login(http, provider_page)


def test_a_reader_signs_in_with_the_provider_and_comments_under_its_name(
    live_server: Any, oidc_on: Provider, transactional_db: Any
) -> None:
    from django.contrib.auth.models import User

    story: Any = StoryFactory()
    http = requests.Session()
    landed = _sign_in(live_server, http, f"/stories/{story.pk}/")

    assert landed.status_code == 200
    assert landed.url == f"{live_server.url}/stories/{story.pk}/"
    assert "Signed in as <strong>Amira Haddad</strong>" in landed.text
    user = User.objects.get(username__startswith="oidc-")
    assert (user.first_name, user.email) == ("Amira Haddad", provider_data.EMAIL)
    assert not user.has_usable_password()

    posted = http.post(
        f"{live_server.url}/stories/{story.pk}/comments/",
        data={
            "csrfmiddlewaretoken": TOKEN.search(landed.text).group(1),  # type: ignore[union-attr]
            "body": "The checkpoint on the eastern road was open this morning.",
            "next": f"/stories/{story.pk}/",
        },
        timeout=20,
    )
    assert posted.status_code == 200
    comment = story.comments.get()
    assert comment.author_name == "Amira Haddad" and comment.user_id == user.pk
    assert comment.commenter.key == f"user:{user.pk}"
    assert comment.commenter.display_name == "Amira Haddad"


def test_signing_in_again_finds_the_same_account(
    live_server: Any, oidc_on: Provider, transactional_db: Any
) -> None:
    from django.contrib.auth.models import User

    first = _sign_in(live_server, requests.Session(), "/")
    second = _sign_in(live_server, requests.Session(), "/")
    assert "Signed in as <strong>Amira Haddad</strong>" in first.text
    assert "Signed in as <strong>Amira Haddad</strong>" in second.text
    assert User.objects.filter(username__startswith="oidc-").count() == 1


def test_an_account_with_the_same_address_is_not_taken_over(
    live_server: Any, oidc_on: Provider, transactional_db: Any
) -> None:
    """The library matches accounts by e-mail by default; Threadline never does."""
    from django.contrib.auth.models import User

    local = User.objects.create_user("amira-local", email=provider_data.EMAIL, password="x" * 12)
    http = requests.Session()
    landed = _sign_in(live_server, http, "/")
    me = User.objects.get(username__startswith="oidc-")
    assert me.pk != local.pk and "Signed in as <strong>Amira Haddad</strong>" in landed.text
    assert User.objects.get(pk=local.pk).first_name == ""


def test_a_wrong_client_secret_signs_nobody_in(
    live_server: Any, oidc_on: Provider, settings: Any, transactional_db: Any
) -> None:
    from django.contrib.auth.models import User

    settings.THREADLINE = {**settings.THREADLINE, "OIDC_CLIENT_SECRET": "not-the-secret"}
    http = requests.Session()
    landed = _sign_in(live_server, http, "/stories/1/")
    # Back on the sign-in page, with the way back kept and a message saying what happened.
    assert landed.url == f"{live_server.url}/accounts/login/?next=%2Fstories%2F1%2F"
    assert f"Sign-in with {LABEL} did not work." in landed.text
    assert "Signed in as" not in landed.text
    assert not User.objects.filter(username__startswith="oidc-").exists()


def test_a_callback_is_good_once(
    live_server: Any, oidc_on: Provider, transactional_db: Any
) -> None:
    """A code and state used once (or replayed from another browser) sign nobody in."""
    http = requests.Session()
    login = http.get(f"{live_server.url}/accounts/oidc/login/?next=/", timeout=10)
    to_callback = _provider_login_no_follow(http, login)
    callback = to_callback.headers["Location"]
    assert callback.startswith(live_server.url + CALLBACK)
    assert http.get(callback, timeout=20).url == live_server.url + "/"
    stranger = requests.Session()
    replayed = stranger.get(callback, timeout=20)
    assert "Signed in as" not in replayed.text
    assert "did not work" in replayed.text
    again = http.get(callback, timeout=20)
    assert "did not work" in again.text


def _provider_login_no_follow(http: requests.Session, page: requests.Response) -> Any:
    """Sign in at the provider and stop at its redirect back to Threadline."""
    response = _provider_login(http, page, follow=False)
    while not response.headers["Location"].split("?")[0].endswith(CALLBACK):
        target = urljoin(response.url, response.headers["Location"])
        response = http.get(target, allow_redirects=False, timeout=10)
    return response


def test_a_provider_that_is_down_gets_a_page_not_an_error(
    live_server: Any, settings: Any, transactional_db: Any, tmp_path: Path
) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.THREADLINE = {
        **settings.THREADLINE,
        "OIDC_ISSUER": f"http://127.0.0.1:{port}/openid",
        "OIDC_CLIENT_ID": "x",
        "OIDC_CLIENT_SECRET": "y",
        "OIDC_TIMEOUT_SECONDS": 2.0,
    }
    forget_discovery()
    response = requests.get(f"{live_server.url}/accounts/oidc/login/?next=/", timeout=20)
    assert response.status_code == 503 and "cannot be reached" in response.text
    forget_discovery()


def test_switched_off_there_is_no_button_and_no_flow(client: Any, db: Any) -> None:
    assert "Sign in with" not in client.get("/accounts/login/").content.decode()
    assert client.get("/accounts/oidc/login/").status_code == 404
    assert client.get(CALLBACK + "?code=x&state=y").status_code == 404


def test_a_reader_who_cancels_at_the_provider_is_back_on_the_sign_in_page(
    client: Any, settings: Any, db: Any
) -> None:
    settings.THREADLINE = {
        **settings.THREADLINE,
        "OIDC_ISSUER": "https://id.example",
        "OIDC_CLIENT_ID": "x",
        "OIDC_CLIENT_SECRET": "y",
        "OIDC_LABEL": LABEL,
    }
    response = client.get(CALLBACK, {"error": "access_denied", "state": "s"}, follow=True)
    assert response.redirect_chain == [("/accounts/login/?next=%2F", 302)]
    assert f"Sign-in with {LABEL} did not work." in response.content.decode()
    assert "_auth_user_id" not in client.session
