"""/healthz, /readyz, /metrics, JSON logs and the Atom feeds."""

from __future__ import annotations

import json
import logging
from xml.etree import ElementTree

import pytest

from tests.factories import post_comment
from threadline.server.ops import JsonFormatter

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def test_healthz_and_readyz_answer_ok_in_the_embedded_default(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "local", "broker": "inline"},
    }


def test_metrics_count_requests_and_report_the_moderation_queue(client, story):
    story.premoderation = "all"
    story.save()
    post_comment(story, "Waiting")
    client.get(f"/api/v1/stories/{story.pk}/comments")
    text = client.get("/metrics").content.decode()
    assert (
        'threadline_http_requests_total{method="GET",route="api/v1/stories/<story_id>'
        '/comments",status="200"}' in text
    )
    assert "threadline_http_request_duration_seconds_bucket" in text
    assert f'threadline_moderation_queue_length{{site="{story.site.name}"}} 1.0' in text
    assert 'threadline_moderation_decisions_total{action="hold"}' in text


def test_metrics_can_require_a_token(client, settings):
    settings.THREADLINE = {**settings.THREADLINE, "METRICS_TOKEN": "t0k"}
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer t0k"}).status_code == 200


def test_json_log_lines_are_one_object_each():
    record = logging.LogRecord(
        "threadline.x", logging.WARNING, __file__, 1, "hi %s", ("you",), None
    )
    out = json.loads(JsonFormatter().format(record))
    assert out["message"] == "hi you" and out["level"] == "WARNING"
    assert out["ts"].endswith("Z")


def test_the_story_feed_lists_published_comments_newest_first(client, story):
    post_comment(story, "Older one", name="Ann")
    post_comment(story, "Newer *one*", name="Bo")
    story.premoderation = "all"
    story.save()
    post_comment(story, "Held back", name="Cy")
    r = client.get(f"/feeds/stories/{story.pk}.atom")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(r.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}author/{ATOM}name").text for e in entries] == ["Bo", "Ann"]
    assert "<em>one</em>" in entries[0].find(f"{ATOM}summary").text
    assert b"Held back" not in r.content


def test_the_site_feed_covers_every_story_and_unknown_ones_are_404(client, story):
    from tests.factories import StoryFactory

    other = StoryFactory(site=story.site)
    post_comment(story, "On the first")
    post_comment(other, "On the second")
    r = client.get(f"/feeds/sites/{story.site.name}.atom")
    assert r.status_code == 200
    assert len(ElementTree.fromstring(r.content).findall(f"{ATOM}entry")) == 2
    assert client.get("/feeds/sites/nope.atom").status_code == 404
    assert client.get("/feeds/stories/999999.atom").status_code == 404
