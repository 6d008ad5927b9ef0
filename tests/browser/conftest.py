"""Fixtures for the browser suite: one headless Chromium per session, a fresh context per
test, the real Django app on pytest-django's ``live_server`` and a publisher's host page
served from another port, embedding the widget with the two documented tags."""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Third-party cookies blocked, as in browsers that phase them out: the widget must
    # work with bearer tokens and localStorage alone.
    "--test-third-party-cookie-phaseout",
]
STORY_PATH = "/2017/09/deir-ezzor"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
LOADED = "() => window.Threadline && Threadline.widgets[0] && Threadline.widgets[0].loaded === true"


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One Chromium for this package's tests (starting it costs about a second). Not for
    the session: Playwright's sync API keeps an event loop running in the main thread
    while it is started, which other tests' async_to_sync and own Playwright would trip on."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop in this thread; Django's ORM calls made by
    # the tests themselves would otherwise be refused as "async unsafe".
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    pw = sync_api.sync_playwright().start()
    chromium = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
    yield chromium
    chromium.close()
    pw.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


class HostSite:
    """The publisher's static pages, on their own port (another origin than the API)."""

    def __init__(self, root: Path, api_url: str) -> None:
        self.root = root
        self.api_url = api_url
        handler = functools.partial(_Quiet, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.story_url = self.origin + STORY_PATH
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def page(self, name: str = "index.html", **options: str) -> str:
        """Write an article page with the two embed tags; ``options`` become extra
        ``data-threadline-*`` attributes on the container. Returns its URL."""
        # pytest-django's live server is WSGI, where a Server-Sent Events stream cannot flow:
        # these pages poll; test_live_stream.py checks the stream on a real ASGI server.
        options.setdefault("live", "poll")
        extra = "".join(f' data-threadline-{k.replace("_", "-")}="{v}"' for k, v in options.items())
        html = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Fighting around Deir ez-Zor</title>"
            # Hostile host CSS: none of it may reach inside the widget.
            "<style>body{font:17px/1.6 Georgia,serif;max-width:46rem;margin:2rem auto;"
            "padding:0 1rem}"
            "button{display:none!important}.tl-comment{color:red!important}</style></head><body>"
            "<main><h1>Fighting around Deir ez-Zor</h1><p>The article text.</p>"
            f'<div id="threadline" data-threadline-url="{self.story_url}"{extra}></div>\n'
            f'<script src="{self.api_url}/static/threadline/embed.js" async></script>'
            "</main></body></html>"
        )
        (self.root / name).write_text(html, encoding="utf-8")
        return f"{self.origin}/{name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def host(live_server: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostSite]:
    site = HostSite(tmp_path_factory.mktemp("host"), live_server.url)
    yield site
    site.close()


@pytest.fixture
def site(host: HostSite, settings: Any) -> Any:
    """The publisher's Site allowing the host page's origin; rate limits off (the live
    server runs in a thread of this process, so ``settings`` reaches it)."""
    from threadline.actions.sites import site_create
    from threadline.server.middleware import forget_origins

    settings.THREADLINE = {
        **settings.THREADLINE,
        "RATE_LIMIT_POST_IP": "",
        "RATE_LIMIT_POST_AUTHOR": "",
        "RATE_LIMIT_VOTE_IP": "",
        "RATE_LIMIT_AUTH_IP": "",
        # The velocity scorer stays on, with room for one reader's reply chain and for
        # every test post coming from 127.0.0.1.
        "VELOCITY_PER_MINUTE": 20,
        "VELOCITY_IP_PER_MINUTE": 100_000,
    }
    created = site_create(name="deir-news", title="Deir News", origins=[host.origin])
    forget_origins()
    return created


@pytest.fixture
def story(site: Any, host: HostSite) -> Any:
    from threadline.actions.stories import story_lookup_or_create

    return story_lookup_or_create(url=host.story_url, title="Fighting around Deir ez-Zor")


class Reader:
    """One reader: a fresh browser context (own localStorage) with the host page open."""

    def __init__(self, context: Any, host: HostSite) -> None:
        self.context = context
        self.host = host
        self.page = context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def open(self, name: str = "index.html", hash: str = "", **options: str) -> Reader:  # noqa: A002
        self.page.goto(self.host.page(name, **options) + hash)
        self.page.wait_for_function(LOADED, timeout=10_000)
        return self

    @property
    def widget(self) -> Any:
        return self.page.locator("#threadline")

    @property
    def main_form(self) -> Any:
        return self.widget.locator(".tl-main-form form.tl-form")

    def comment(self, comment_id: int | str) -> Any:
        return self.widget.locator(f'.tl-comment[data-comment-id="{comment_id}"]')

    def own(self, comment_id: int | str, selector: str) -> Any:
        """A part of a comment itself, not of its replies (``:scope>`` keeps it shallow)."""
        return self.comment(comment_id).locator(f":scope>{selector}")

    def top_ids(self) -> list[int]:
        return [
            int(x)
            for x in self.widget.locator(".tl-list>.tl-comment").evaluate_all(
                "els => els.map(e => e.dataset.commentId)"
            )
        ]

    def post(self, body: str, name: str = "Reader") -> int:
        """Post a top-level comment through the main form; returns the new comment's id."""
        before = set(self.top_ids())
        form = self.main_form
        if form.locator("input.tl-name").is_visible():
            form.locator("input.tl-name").fill(name)
        form.locator("textarea.tl-body").fill(body)
        form.locator(".tl-submit").click()
        self.page.wait_for_function(
            "n => document.querySelector('#threadline').shadowRoot"
            ".querySelectorAll('.tl-list>.tl-comment').length > n",
            arg=len(before),
        )
        return next(i for i in self.top_ids() if i not in before)

    def reply(self, parent_id: int, body: str, name: str = "Reader") -> int:
        parent = self.comment(parent_id)
        self.own(parent_id, ".tl-actions .tl-reply-btn").click()
        form = parent.locator(":scope>.tl-slot form.tl-form")
        if form.locator("input.tl-name").is_visible():
            form.locator("input.tl-name").fill(name)
        form.locator("textarea.tl-body").fill(body)
        form.locator(".tl-submit").click()
        child = parent.locator(":scope>.tl-children>.tl-comment").last
        child.wait_for()
        return int(child.get_attribute("data-comment-id"))

    def shadow_eval(self, script: str, arg: Any = None) -> Any:
        """Evaluate ``script`` (a function of the shadow root and ``arg``) in the page."""
        return self.page.evaluate(
            f"([arg]) => ({script})(document.querySelector('#threadline').shadowRoot, arg)", [arg]
        )


@pytest.fixture
def reader(browser: Any, host: HostSite, site: Any) -> Iterator[Reader]:
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="en-US")
    yield Reader(context, host)
    context.close()


@pytest.fixture
def new_reader(browser: Any, host: HostSite, site: Any) -> Iterator[Any]:
    """A factory for more readers (other people, other viewports or colour schemes)."""
    contexts: list[Any] = []

    def make(**context_options: Any) -> Reader:
        opts = {"viewport": {"width": 1100, "height": 900}, "locale": "en-US", **context_options}
        contexts.append(browser.new_context(**opts))
        return Reader(contexts[-1], host)

    yield make
    for context in contexts:
        context.close()


def api_call(
    base: str, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    """A request to the live server's API, as another client would make it."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + "/api/v1" + path,
        data=data,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


@pytest.fixture
def api_as(live_server: Any) -> Any:
    """``api_as(guest)(method, path, body)``: the API as a guest with its own key."""

    def for_guest(guest: str) -> Any:
        def call(method: str, path: str, body: Any = None) -> tuple[int, Any]:
            return api_call(live_server.url, method, path, body, {"X-Threadline-Guest": guest})

        return call

    return for_guest


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
