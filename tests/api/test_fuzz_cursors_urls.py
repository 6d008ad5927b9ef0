"""Tampered input never reaches a 500: cursors of every sort (random bytes, base64 of
random JSON lists of mixed types) and page URLs for lookup and counts."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threadline.queries import SORTS

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40)
    | st.sampled_from(["2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00", "NaN", ""])
)
_values = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner)
)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _json_cursor(values: list) -> str:
    return _b64(json.dumps(values).encode())


_cursors = (
    st.binary(max_size=64).map(_b64)
    | st.text(max_size=64)
    | st.lists(_values, min_size=0, max_size=6).map(_json_cursor)
)


def _assert_json_4xx_or_ok(response) -> None:  # noqa: ANN001
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["error"]["code"]


@pytest.mark.parametrize(
    "cursor",
    [
        _json_cursor(["x", "x", "x", "x"]),
        _json_cursor(["x", "x", "x"]),
        _json_cursor([True, "x", 1]),
        _json_cursor([True, 1, 1, "x"]),
        _json_cursor([True, 10**30, 10**30, 10**30]),
        _json_cursor([False, "not a date", 1]),
        _json_cursor([False, "2024-01-01T00:00:00+00:00", 10**30]),
        _b64(b"[true, NaN, Infinity, 1]"),
        _b64(b"\xff\xfe"),
        "%%%",
    ],
)
@pytest.mark.parametrize("sort", list(SORTS))
def test_malformed_cursors_are_a_json_400(api, story, sort: str, cursor: str) -> None:
    r = api.get(f"/stories/{story.pk}/comments", sort=sort, cursor=cursor)
    assert r.status_code == 400, r.content[:300]
    assert r.json()["error"]["code"] == "invalid_cursor"


@pytest.mark.parametrize("sort", list(SORTS))
def test_a_tampered_cursor_on_the_story_page_is_a_400_page(client, story, sort: str) -> None:
    cursor = _json_cursor(["x", "x", "x", "x"])
    r = client.get(f"/stories/{story.pk}/", {"sort": sort, "cursor": cursor})
    assert r.status_code == 400


@pytest.mark.parametrize(
    "url", ["http://[::1", "http://a:99999/", "http://[zz]/", "https://a:-1/", "http://:80/"]
)
def test_malformed_urls_are_a_json_400_for_lookup_and_ignored_by_counts(api, url: str) -> None:
    r = api.get("/stories/lookup", url=url)
    assert r.status_code == 400, r.content[:300]
    assert r.json()["error"]["code"] == "invalid"
    r = api.get("/counts", url=[url, "http://ok.example/"])
    assert r.status_code == 200, r.content[:300]
    assert url not in r.json()["counts"]


@pytest.mark.parametrize("sort", list(SORTS))
def test_fuzzed_cursors_never_answer_500(api, story, sort: str) -> None:
    from tests.factories import post_comment

    post_comment(story, "One")
    post_comment(story, "Two", name="Bo")

    @FUZZ
    @given(cursor=_cursors)
    def check(cursor: str) -> None:
        _assert_json_4xx_or_ok(api.get(f"/stories/{story.pk}/comments", sort=sort, cursor=cursor))

    check()


def test_fuzzed_cursors_never_break_the_story_page(client, story) -> None:
    @FUZZ
    @given(sort=st.sampled_from(list(SORTS)), cursor=_cursors)
    def check(sort: str, cursor: str) -> None:
        r = client.get(f"/stories/{story.pk}/", {"sort": sort, "cursor": cursor})
        assert r.status_code < 500

    check()


_hosts = st.sampled_from(["a", "[::1", "[::1]", "[zz]", "", "site0.example", "ä.example", "a b"])
_ports = st.one_of(st.just(""), st.integers(-5, 10**6).map(lambda p: f":{p}"), st.text(max_size=5))
_urls = st.one_of(
    st.text(max_size=60),
    st.builds(
        lambda scheme, host, port, path: f"{scheme}://{host}{port}/{path}",
        st.sampled_from(["http", "https", "ftp", "HTTP"]),
        _hosts,
        _ports,
        st.text(max_size=20),
    ),
)


def test_fuzzed_urls_never_answer_500(api, site) -> None:
    @FUZZ
    @given(url=_urls, title=st.text(max_size=30))
    def check(url: str, title: str) -> None:
        _assert_json_4xx_or_ok(api.get("/stories/lookup", url=url, title=title))
        _assert_json_4xx_or_ok(api.get("/counts", url=[url]))

    check()
