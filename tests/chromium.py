"""Chromium for the server-rendered pages and the desk (Playwright's sync API): one browser a
test, signing in through the login form, failing on any page error or CSP violation, and
screenshots of what the docs show."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("THREADLINE_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs" / "screenshots"
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "correct horse battery"  # tests.factories.UserFactory's

needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
]


@contextlib.contextmanager
def chromium(monkeypatch: pytest.MonkeyPatch, **context: Any) -> Iterator[Any]:
    """A page in a fresh headless Chromium; afterwards, no page error or CSP violation."""
    playwright = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop; Django must allow the ORM next to it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    options = {"viewport": {"width": 1200, "height": 900}, "locale": "en-GB", **context}
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(**options).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda m: (
                errors.append(m.text)
                if m.type == "error" and "Content Security Policy" in m.text
                else None
            ),
        )
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "console.error('Content Security Policy violation: ' + e.violatedDirective));"
        )
        yield page
        browser.close()
        assert not errors, errors


def sign_in(page: Any, base: str, user: Any, next_url: str = "/moderate/") -> None:
    page.goto(f"{base}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**{next_url}")


def screenshot(target: Any, name: str) -> Path:
    """A PNG of a page or an element in test-artifacts/<name>.png; copied to the docs'
    docs/screenshots/ too with THREADLINE_UPDATE_SCREENSHOTS=1 (as tests/browser do)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    target.screenshot(path=str(path), animations="disabled")
    assert path.stat().st_size > 2_000  # not a blank
    if os.environ.get("THREADLINE_UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / path.name)
    return path
