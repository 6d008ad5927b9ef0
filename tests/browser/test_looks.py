"""Accessibility (axe-core) and screenshots of the light and dark themes."""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
README_SHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "widget-light.png"
THEMES = ["light", "dark"]
WIDTHS = {"desktop": 1280, "phone": 390}


def _sample_thread(story: Any) -> None:
    """A small, realistic thread: nesting, votes, a pinned comment, a tombstone."""
    from django.utils import timezone

    from threadline.actions.comments import comment_insert_trusted

    now = timezone.now()

    def add(name: str, body: str, minutes: int, parent: Any = None, **kw: Any) -> Any:
        return comment_insert_trusted(
            story=story,
            parent=parent,
            author_name=name,
            body=body,
            created_at=now - timedelta(minutes=minutes),
            **kw,
        )

    a = add(
        "Layla Haddad",
        "The **second convoy** crossed at dawn, according to two "
        "residents I spoke to. Has anyone confirmed the road is open again?",
        95,
        upvotes=14,
    )
    b = add(
        "Omar",
        "The governor's office said *Monday*, but they said that last week too.",
        80,
        a,
        upvotes=6,
        downvotes=1,
    )
    add(
        "Layla Haddad",
        "Fair point. The map in the article shows the old checkpoint, though.",
        60,
        b,
        upvotes=2,
    )
    add("", "", 50, a, status="deleted")
    c = add(
        "Sami R.",
        "Good reporting. A source for the casualty figures would help:\n\n"
        "> figures from the local health directorate",
        40,
        upvotes=4,
    )
    add("Noor", "They are linked at the end: https://example.org/report", 20, c)
    add("Karim", "Thank you for covering this story.", 5)


def _open(new_reader: Any, theme: str, width: int) -> Any:
    r = new_reader(viewport={"width": width, "height": 900}, color_scheme=theme)
    r.open()
    return r


def test_no_serious_or_critical_accessibility_violations(story: Any, new_reader: Any) -> None:
    _sample_thread(story)
    for theme in THEMES:
        r = _open(new_reader, theme, 1280)
        # Open the parts a reader interacts with: a reply form, a report form, sign in.
        first = r.top_ids()[0]
        r.own(first, ".tl-actions .tl-reply-btn").click()
        r.own(r.top_ids()[1], ".tl-actions .tl-flag-btn").click()
        r.widget.locator(".tl-signin-btn").click()
        r.page.add_script_tag(path=str(AXE))
        result = r.page.evaluate("""async () => {
            const res = await axe.run({include: [['#threadline']]}, {resultTypes: ['violations']});
            return res.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' > '))}));
        }""")
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert bad == [], (theme, bad)


@pytest.mark.parametrize("theme", THEMES)
def test_screenshots_of_both_themes_at_desktop_and_phone_width(
    story: Any, new_reader: Any, artifacts: Path, theme: str
) -> None:
    _sample_thread(story)
    for device, width in WIDTHS.items():
        r = _open(new_reader, theme, width)
        # The widget follows prefers-color-scheme ("auto"): check it took the theme.
        assert r.shadow_eval("root => root.querySelector('.tl-root').dataset.theme") == theme
        path = artifacts / f"widget-{theme}-{device}.png"
        r.widget.screenshot(path=str(path), animations="disabled")
        assert path.stat().st_size > 10_000
        if (
            theme == "light"
            and device == "desktop"
            and os.environ.get("THREADLINE_UPDATE_SCREENSHOTS")
        ):
            README_SHOT.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, README_SHOT)
