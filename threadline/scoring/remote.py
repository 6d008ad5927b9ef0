"""Optional: a remote scorer speaking the Perspective API's ``comments:analyze`` protocol.

Off by default: it sends the comment's text to a third party. Switched on by adding
``threadline.scoring.remote.PerspectiveScorer`` to ``THREADLINE_SCORERS`` and setting
``THREADLINE_PERSPECTIVE_URL`` (and ``_KEY``). Uses only the standard library.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings

from threadline.scoring.base import Score, ScoringContext, Verdict

log = logging.getLogger(__name__)


def _conf(name: str, default: Any) -> Any:
    return settings.THREADLINE.get(name, default)


def request_body(text: str, languages: list[str]) -> bytes:
    return json.dumps(
        {
            "comment": {"text": text},
            "languages": languages,
            "requestedAttributes": {"TOXICITY": {}},
            "doNotStore": True,  # ask the service not to keep the reader's text
        }
    ).encode()


def parse_toxicity(payload: dict[str, Any]) -> float:
    value = payload["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
    value = float(value)
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"score out of range: {value}")
    return value


class PerspectiveScorer:
    """Probability (0..1) of toxicity from a Perspective-compatible service.

    Settings (read at call time): ``PERSPECTIVE_URL`` (no URL: the scorer passes without a
    call), ``PERSPECTIVE_KEY`` (sent as ``?key=``), ``PERSPECTIVE_TIMEOUT`` (seconds, default
    2), ``PERSPECTIVE_FAIL``: ``open`` (default: an unreachable or broken service lets the
    comment through on the other scorers) or ``closed`` (hold it, reason "Remote scorer
    unavailable"). Never decides on the value: the policy compares it with the site's
    thresholds (``perspective`` is in ``MODEL_SCORERS``). Makes one HTTP request, no queries.
    """

    name = "perspective"
    is_model = True

    def score(self, ctx: ScoringContext) -> Score:
        url = _conf("PERSPECTIVE_URL", "")
        if not url:
            return Score(scorer=self.name, value=0.0)
        try:
            value = self._call(url, ctx.text or ctx.body)
        except (OSError, ValueError, KeyError, TypeError) as exc:  # URLError, timeout, JSON
            return self._unavailable(exc)
        return Score(
            scorer=self.name,
            value=value,
            version=f"perspective@{urllib.parse.urlsplit(url).hostname}",
        )

    def _call(self, url: str, text: str) -> float:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("PERSPECTIVE_URL must be an http(s) URL")
        key = _conf("PERSPECTIVE_KEY", "")
        if key:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"key": key})
        languages = list(_conf("PERSPECTIVE_LANGUAGES", ["en"]))
        req = urllib.request.Request(  # noqa: S310 -- scheme checked above
            url,
            data=request_body(text, languages),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        timeout = float(_conf("PERSPECTIVE_TIMEOUT", 2.0))
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310
            return parse_toxicity(json.loads(response.read(1_000_000)))

    def _unavailable(self, exc: Exception) -> Score:
        why = "timeout" if "timed out" in str(exc) else type(exc).__name__
        if isinstance(exc, urllib.error.HTTPError):
            why = f"HTTP {exc.code}"
        log.warning("perspective scorer unavailable: %s", why)
        if str(_conf("PERSPECTIVE_FAIL", "open")).lower() == "closed":
            return Score(
                scorer=self.name,
                value=0.0,
                verdict=Verdict.HOLD,
                reasons=(f"Remote scorer unavailable ({why})",),
            )
        return Score(scorer=self.name, value=0.0, explanation=(f"unavailable: {why}",))
