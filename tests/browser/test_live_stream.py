"""A comment posted elsewhere reaches an open widget within 2 s over the live stream, on the
real ASGI server (`threadline serve`), with polling slowed so only the stream can do it."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import LOADED, HostSite
from tests.production.servers import base_env, free_port, manage, web

pytestmark = pytest.mark.browser

SETUP = """
from threadline.actions.sites import site_create
from threadline.actions.stories import story_lookup_or_create
site_create(name="stream", origins=["{origin}"])
print(story_lookup_or_create(url="{url}", title="Live").pk)
"""


def _wait_up(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - loopback test server
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not come up")


def _post(base: str, story_id: int, body: str) -> int:
    request = urllib.request.Request(  # noqa: S310
        f"{base}/api/v1/stories/{story_id}/comments",
        data=json.dumps({"body": body, "author_name": "Elsewhere"}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())["id"]


def test_a_comment_posted_elsewhere_appears_within_two_seconds(
    browser: Any, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    (tmp_path / "host").mkdir()
    host = HostSite(tmp_path / "host", base)
    env = base_env(tmp_path / "data", f"sqlite:///{tmp_path / 'data' / 'db.sqlite3'}")
    (tmp_path / "data").mkdir()
    manage(env, "migrate", "-v0")
    story_id = int(
        manage(env, "shell", "-c", SETUP.format(origin=host.origin, url=host.story_url)).split()[-1]
    )
    server = web(env, port, tmp_path / "web.log")
    context = browser.new_context()
    try:
        _wait_up(base + "/healthz")
        page = context.new_page()
        page.goto(host.page("live.html", live="sse", poll="60"))
        page.wait_for_function(LOADED, timeout=15_000)
        page.wait_for_timeout(1000)  # the stream is open; polling is now every 60 s at most
        started = time.monotonic()
        comment_id = _post(base, story_id, "Posted through the API by another reader.")
        # It waits behind the "new comments" bar rather than moving the thread.
        page.wait_for_function(
            "() => !document.querySelector('#threadline').shadowRoot"
            ".querySelector('.tl-show-new').hidden",
            timeout=2_000,
        )
        assert time.monotonic() - started < 2.0
        page.locator("#threadline .tl-show-new").click()
        page.wait_for_function(
            "id => !!document.querySelector('#threadline').shadowRoot"
            '.querySelector(`[data-comment-id="${id}"]`)',
            arg=comment_id,
            timeout=2_000,
        )

        # The server-rendered story page gets the same bar from the same stream.
        story_page = context.new_page()
        csp_errors: list[str] = []
        story_page.on(
            "console", lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None
        )
        story_page.goto(f"{base}/stories/{story_id}/")
        story_page.wait_for_timeout(1000)  # the page's stream is open
        second = _post(base, story_id, "A second comment, for the page's bar.")
        bar = story_page.locator(".live-bar .live-show")
        bar.wait_for(timeout=3_000)
        assert bar.text_content() == "1 new comment — show"
        assert story_page.locator(f"#comment-{second}").count() == 0
        bar.click()
        story_page.locator(f"#comment-{second}").wait_for(timeout=3_000)
        assert story_page.locator("#comments-title").text_content() == "2 comments"
        assert not bar.is_visible() and not csp_errors
    finally:
        context.close()
        server.stop()
        host.close()
