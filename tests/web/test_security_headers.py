"""Every HTML page carries a strict Content-Security-Policy; cookies are Secure on https."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from config.settings import secure_cookies_default
from tests.dashboard.world import World, fake_scorers, world  # noqa: F401  (fixtures)
from tests.factories import UserFactory, post_comment

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
    "object-src": "'none'",
}


def directives(response: Any) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    parsed: dict[str, str] = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        parsed[name] = value.strip()
    return parsed


def assert_strict(response: Any) -> None:
    assert response["Content-Type"].startswith("text/html")
    assert directives(response) == STRICT
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


def test_story_list_and_story_page(client: Any, story: Any) -> None:
    post_comment(story, "A comment.")
    assert_strict(client.get("/"))
    assert_strict(client.get(f"/stories/{story.pk}/"))


def test_login_signup_and_account_pages(client: Any) -> None:
    assert_strict(client.get("/accounts/login/"))
    assert_strict(client.get("/accounts/signup/"))
    client.force_login(UserFactory(username="reader-csp"))
    r = client.get("/accounts/data/")
    assert r.status_code == 200
    assert_strict(r)


def test_error_pages(client: Any) -> None:
    r = client.get("/stories/999999/")
    assert r.status_code == 404
    assert "Content-Security-Policy" in r


def test_the_desk(client: Any, world: World) -> None:  # noqa: F811
    client.force_login(world.moderator)
    r = client.get("/moderate/")
    assert r.status_code == 200
    assert_strict(r)
    page = r.content.decode()
    # htmx must not inject its inline indicator <style> (the policy would refuse it).
    assert '"includeIndicatorStyles": false' in page


def test_the_admin_allows_inline_styles_only(admin_client: Any) -> None:
    r = admin_client.get("/admin/")
    assert r.status_code == 200
    found = directives(r)
    assert found["style-src"] == "'self' 'unsafe-inline'"
    assert found["script-src"] == "'self'"
    assert found["object-src"] == "'none'"


def test_json_api_has_no_policy(client: Any, story: Any) -> None:
    r = client.get("/api/v1/threads", {"story": story.pk})
    assert r["Content-Type"].startswith("application/json")
    assert "Content-Security-Policy" not in r
    assert "Content-Security-Policy" not in client.get("/api/v1/nowhere")


def test_non_html_responses_have_no_policy(client: Any) -> None:
    r = client.get("/healthz")
    assert not r["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" not in r


@pytest.mark.parametrize(
    ("public_url", "configured", "expected"),
    [
        ("https://comments.example.org", None, True),
        ("HTTPS://comments.example.org", None, True),
        ("http://127.0.0.1:8000", None, False),
        ("https://comments.example.org", False, False),
        ("http://127.0.0.1:8000", True, True),
    ],
)
def test_secure_cookies_follow_the_public_url(
    public_url: str, configured: bool | None, expected: bool
) -> None:
    assert secure_cookies_default(public_url, configured) is expected


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"THREADLINE_PUBLIC_URL": "https://comments.example.org"}, "True True 0"),
        (
            {
                "THREADLINE_PUBLIC_URL": "https://comments.example.org",
                "THREADLINE_SECURE_COOKIES": "false",
                "THREADLINE_HSTS_SECONDS": "600",
            },
            "False False 600",
        ),
        ({"THREADLINE_PUBLIC_URL": "http://localhost:8000"}, "False False 0"),
    ],
)
def test_settings_read_secure_cookies_from_the_environment(
    env: dict[str, str], expected: str, tmp_path: Path
) -> None:
    import os

    code = (
        "import os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    child_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"THREADLINE_SECURE_COOKIES", "THREADLINE_HSTS_SECONDS"}
    }
    child_env.update(env, THREADLINE_DATA_DIR=str(tmp_path), THREADLINE_SECRET_KEY="x" * 50)
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=child_env,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == expected
