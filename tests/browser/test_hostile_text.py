"""Hostile and unusual text: every XSS payload renders inert, every "naughty string"
round-trips exactly (or is refused with a clean 400)."""

from __future__ import annotations

import html
import json
import re
import time
from typing import Any

import pytest
from django.db import transaction

from tests.conftest import shared_path

pytestmark = pytest.mark.browser

# Call sites that open a dialog, swapped for a page-level canary in a second variant of each
# payload, so a payload that runs without a dialog (or with one we miss) still shows.
DIALOG_CALL = re.compile(r"(?:alert|prompt|confirm)\s*(?:\([^)]*\)|`[^`]*`)")
CANARY = "window.__pwned=1"

# Every element in the shadow root: no event-handler attribute, no script-bearing URL,
# no element that could run or load code.
AUDIT = r"""root => {
  const bad = [];
  const urls = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc',
                'background', 'poster'];
  const code = /^(script|iframe|object|embed|frame|base|meta|link|style|svg|math|form)$/i;
  for (const el of root.querySelectorAll('*')) {
    const user = el.closest('.tl-body,.tl-preview');  // where text from comments goes
    if (user && code.test(el.tagName)) bad.push(el.tagName + ' element');
    for (const a of el.attributes) {
      const v = a.value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
      const name = a.name.toLowerCase();
      if (name.startsWith('on')) bad.push(el.tagName + ' ' + a.name);
      else if (urls.includes(name) && /^(javascript|vbscript|data):/.test(v))
        bad.push(el.tagName + ' ' + a.name + '=' + a.value);
      else if (user && name === 'style') bad.push(el.tagName + ' style');
    }
  }
  return bad;
}"""


def _payloads() -> list[str]:
    folder = shared_path("fixtures", "xss")
    lines: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        lines += [ln for ln in path.read_text(encoding="utf-8").split("\n") if ln.strip()]
    variants = [DIALOG_CALL.sub(CANARY, ln) for ln in lines if DIALOG_CALL.search(ln)]
    return list(dict.fromkeys(lines + variants))


def _naughty_strings() -> list[str]:
    text = shared_path("fixtures", "unicode", "blns.txt").read_text(encoding="utf-8")
    # Split on "\n" only: some strings contain U+2028, U+0085 and friends on purpose.
    return [ln for ln in text.split("\n") if ln and not ln.startswith("#")]


def _assert_inert(r: Any) -> None:
    r.page.wait_for_timeout(300)  # let any stray handler (img onerror, autofocus) fire
    assert r.shadow_eval(AUDIT) == []
    assert r.page.evaluate("typeof window.__pwned") == "undefined"
    assert r.dialogs == []
    assert r.errors == []


def test_every_xss_payload_renders_as_inert_text(reader: Any, story: Any) -> None:
    from threadline.actions.comments import comment_insert_trusted

    payloads = _payloads()
    t0 = time.perf_counter()
    with transaction.atomic():  # one commit: SQLite writes ~1,600 rows in seconds, not minutes
        # The first payloads double as author names (a name is text too); one poster for
        # the rest keeps the commenter table small.
        ids = [
            comment_insert_trusted(
                story=story,
                parent=None,
                body=p,
                source="xss",
                author_name=f"X{i} {p[:40]}" if i < 40 else "Poster",
            ).pk
            for i, p in enumerate(payloads)
        ]
    print(f"{len(ids)} payloads stored in {time.perf_counter() - t0:.1f}s")
    t0 = time.perf_counter()
    r = reader.open(limit="5000")
    print(f"widget loaded in {time.perf_counter() - t0:.1f}s")
    assert r.widget.locator(".tl-list>.tl-comment").count() == len(ids)
    _assert_inert(r)
    # Names are text too: the payload in the author name shows literally.
    assert r.own(ids[0], ".tl-meta .tl-author").text_content() == f"X0 {payloads[0][:40]}"
    # Scroll the whole thread through the viewport so that lazily laid-out comments
    # (content-visibility) are rendered, then look again.
    r.page.evaluate("""async () => { for (let y = 0; y < document.body.scrollHeight; y += 4000) {
        scrollTo(0, y); await new Promise(requestAnimationFrame); } }""")
    _assert_inert(r)


def test_markdown_preview_of_every_xss_payload_is_inert(reader: Any, story: Any) -> None:
    payloads = _payloads()
    r = reader.open()
    r.main_form.locator(".tl-preview-btn").click()
    r.page.evaluate(
        """async (payloads) => {
        const root = document.querySelector('#threadline').shadowRoot;
        const ta = root.querySelector('.tl-main-form textarea.tl-body');
        for (const p of payloads) { ta.value = p; ta.dispatchEvent(new Event('input')); }
        // all at once as well, one per paragraph
        ta.value = payloads.join('\\n\\n'); ta.dispatchEvent(new Event('input'));
    }""",
        payloads,
    )
    assert r.main_form.locator(".tl-preview").is_visible()
    _assert_inert(r)


def test_naughty_strings_round_trip_exactly_or_are_refused_cleanly(
    reader: Any, story: Any, client: Any
) -> None:
    from threadline.domain.text import render_markdown
    from threadline.models import Comment

    strings = _naughty_strings()
    published: dict[int, str] = {}
    refused: dict[str, str] = {}
    nudged: list[str] = []
    for i, s in enumerate(strings):
        response = client.post(
            f"/api/v1/stories/{story.id}/comments",
            json.dumps({"body": s, "author_name": f"Naughty {i}"}),
            content_type="application/json",
            headers={"X-Threadline-Guest": f"blns-{i}"},
        )
        data = response.json()
        if response.status_code == 409 and data["error"]["code"] == "needs_confirmation":
            nudged.append(s)  # the think-twice prompt; "Post anyway" holds it for review
            response = client.post(
                f"/api/v1/stories/{story.id}/comments",
                json.dumps({"body": s, "author_name": f"Naughty {i}", "confirm": True}),
                content_type="application/json",
                headers={"X-Threadline-Guest": f"blns-{i}"},
            )
            data = response.json()
        assert response.status_code in (201, 202, 400), (s, response.status_code, data)
        if response.status_code == 400:
            refused[s] = data["error"]["code"]
            continue
        assert data["body"] == s
        if response.status_code == 201:
            published[data["id"]] = s

    # Refused only by policy: control characters, bidi overrides, or nothing to post.
    assert set(refused.values()) <= {"control_characters", "empty_body"}
    assert all(
        re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", s)
        or not s.strip()
        for s in refused
    ), refused
    assert len(refused) <= 16
    stored = dict(Comment.objects.filter(story=story).values_list("pk", "body"))
    assert {pk: stored[pk] for pk in published} == published
    print(
        f"{len(strings)} strings: {len(published)} published, {len(nudged)} nudged, "
        f"{len(refused)} refused: {sorted(set(refused.values()))}"
    )
    assert len(published) > 0.8 * len(strings)

    r = reader.open(limit="5000")
    rendered = r.shadow_eval("""root => Object.fromEntries(
        [...root.querySelectorAll('.tl-list>.tl-comment')].map(el => [el.dataset.commentId,
            [...el.querySelectorAll(':scope>.tl-body>p')].map(p => p.textContent)]))""")
    assert {int(k) for k in rendered} == set(published)
    # Where Markdown leaves the string alone (one paragraph, no markup), the text on screen
    # is the string, character for character.
    plain = 0
    for pk, s in published.items():
        body = render_markdown(s).strip()
        m = re.fullmatch(r"<p>([^<]*)</p>", body)
        if m and html.unescape(m.group(1)) == s:
            plain += 1
            assert rendered[str(pk)] == [s], (pk, s)
    assert plain > 0.6 * len(published)
    _assert_inert(r)
