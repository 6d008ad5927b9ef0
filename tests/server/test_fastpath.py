"""The ASGI fast path answers exactly what the API view answers, or steps aside."""

from __future__ import annotations

import pytest

from tests.asgi import asgi_call, http_scope
from tests.factories import post_comment
from threadline.server.asgi import application
from threadline.server.fastpath import cached_thread, parse_thread_query

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("query", "parsed"),
    [
        ("", ("best", "", 50, None)),
        ("sort=oldest&limit=20000&depth=100", ("oldest", "", 20000, 100)),
        ("sort=random", None),
        ("limit=0", None),
        ("limit=x", None),
        ("limit=+5", None),
        ("depth=101", None),
        ("sort=best&sort=top", None),
        ("extra=1", None),
    ],
)
def test_query_parsing_mirrors_the_view(query, parsed):
    assert parse_thread_query(query) == parsed


def test_a_cached_page_is_served_byte_for_byte_and_a_changed_thread_is_not(client, story):
    post_comment(story, "first")
    view = client.get(f"/api/v1/stories/{story.pk}/comments?sort=newest")
    status, headers, body = cached_thread(story.pk, "sort=newest", "", "")
    assert status == 200 and body == view.content
    assert dict(headers)[b"etag"].decode() == view["ETag"]
    assert cached_thread(story.pk, "sort=newest", view["ETag"], "")[0] == 304
    post_comment(story, "second")
    assert cached_thread(story.pk, "sort=newest", "", "") is None  # Django renders the new page


def test_cors_headers_only_for_allowed_origins(client, story):
    client.get(f"/api/v1/stories/{story.pk}/comments")
    allowed = dict(cached_thread(story.pk, "", "", story.site.allowed_origins[0])[1])
    assert allowed[b"access-control-allow-origin"].decode() == story.site.allowed_origins[0]
    other = dict(cached_thread(story.pk, "", "", "https://evil.example")[1])
    assert b"access-control-allow-origin" not in other


def test_unknown_story_falls_through_to_django(db):
    assert cached_thread(987654, "", "", "") is None


async def _get(path: str, query: bytes = b"") -> tuple[int, bytes]:
    status, _, body = await asgi_call(application, http_scope("GET", path, query))
    return status, body


def test_the_asgi_application_serves_threads_through_either_path(story):
    from asgiref.sync import async_to_sync

    post_comment(story, "hello")
    path = f"/api/v1/stories/{story.pk}/comments"
    first = async_to_sync(_get)(path)  # Django renders and caches
    second = async_to_sync(_get)(path)  # the fast path answers
    assert first == second and first[0] == 200 and b"hello" in first[1]
    assert async_to_sync(_get)(path, b"sort=bogus")[0] == 400


def test_gzip_is_served_to_clients_that_ask_and_matches_the_plain_page(client, story):
    import gzip

    post_comment(story, "compress me " * 50)
    plain = client.get(f"/api/v1/stories/{story.pk}/comments")
    zipped = client.get(f"/api/v1/stories/{story.pk}/comments", HTTP_ACCEPT_ENCODING="gzip, br")
    assert zipped["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert gzip.decompress(zipped.content) == plain.content
    assert zipped["ETag"] != plain["ETag"]
    status, headers, body = cached_thread(story.pk, "", "", "", "gzip")
    assert status == 200 and body == zipped.content
    assert dict(headers)[b"etag"].decode() == zipped["ETag"]
    assert cached_thread(story.pk, "", zipped["ETag"], "", "gzip")[0] == 304


def test_a_new_page_is_built_once_however_many_readers_ask_at_once(db):
    import threading
    import time

    from threadline.server import threadcache

    threadcache.clear_local()
    builds = []

    def build() -> bytes:
        builds.append(1)
        time.sleep(0.05)
        return b"page"

    results = []
    threads = [
        threading.Thread(target=lambda: results.append(threadcache.get_or_build("k1", build)))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [b"page"] * 8 and len(builds) == 1
