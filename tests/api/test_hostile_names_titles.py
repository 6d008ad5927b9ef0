"""Names, titles and notes carry no control, format or XML-invalid characters: names a
person typed are refused with a stable code, titles sent by the widget are repaired."""

from __future__ import annotations

import pytest

from tests.factories import post_comment
from threadline.models import Comment, Flag, Story

pytestmark = pytest.mark.django_db

HOSTILE_NAMES = [
    "Ann\nBcc: victim@example.org",  # would be a header injection in reply e-mails
    "Ann\rX",
    "Bo\x07b",
    "Ann\tLee",
    "evil\u202egnp.exe",  # right-to-left override
    "a\u2066b\u2069",  # bidi isolates
    "zero\u200bwidth",
    "soft\u00adhyphen",
    "x\u200dy",  # a joiner between letters, not emoji
    "line\u2028sep",
    "non\ufffechar",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_guest_names_with_control_or_format_characters_are_refused(api, story, name):
    r = api.post(f"/stories/{story.pk}/comments", {"body": "Hello", "author_name": name})
    assert r.status_code == 400, r.content
    assert r.json()["error"] == {
        "code": "control_characters",
        "message": r.json()["error"]["message"],
        "field": "author_name",
    }
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "name", ["Zoë", "محمد", "李小龙", "\U0001f468\u200d\U0001f469\u200d\U0001f467 family", "🏳️‍🌈"]
)
def test_names_in_any_script_and_joined_emoji_are_accepted(api, story, name):
    r = api.post(f"/stories/{story.pk}/comments", {"body": "Hello", "author_name": name})
    assert r.status_code == 201, r.content
    assert r.json()["author"]["name"] == name


@pytest.mark.parametrize("field", ["display_name", "username"])
@pytest.mark.parametrize("bad", ["Ann\nLee", "Ann\x07", "x\u202ey", "x\u200by"])
def test_registration_refuses_control_and_format_characters(api, field, bad):
    data = {"username": "ann", "password": "a long passphrase 1", field: bad}
    r = api.post("/auth/register", data)
    assert r.status_code == 400, r.content
    assert r.json()["error"]["code"] == "control_characters"
    assert r.json()["error"]["field"] == field


@pytest.mark.parametrize(
    ("title", "stored"),
    [
        ("Bad\x01 title", "Bad title"),
        ("Two\nlines\tand  tabs", "Two lines and tabs"),
        ("rev\u202eersed\u2066 \u2069x", "reversed x"),
        ("non\ufffe\uffffchar", "nonchar"),
        ("  \U0001f468\u200d\U0001f469 Family news ", "\U0001f468\u200d\U0001f469 Family news"),
    ],
)
def test_titles_from_lookup_are_cleaned_not_refused(api, site, title, stored):
    r = api.get("/stories/lookup", url=f"{site.allowed_origins[0]}/a", title=title)
    assert r.status_code == 200, r.content
    assert r.json()["title"] == stored == Story.objects.get().title


def test_a_url_with_control_characters_is_refused(api, site):
    r = api.get("/stories/lookup", url=f"{site.allowed_origins[0]}/a\x01b")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid"


def test_flag_notes_are_checked_like_comment_bodies(api, story):
    c = post_comment(story, "x").comment
    api.guest = "r1"
    r = api.post(f"/comments/{c.pk}/flags", {"reason": "spam", "note": "see\x07this"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "control_characters"
    assert r.json()["error"]["field"] == "note"
    r = api.post(f"/comments/{c.pk}/flags", {"reason": "spam", "note": "a\u202eb"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "control_characters"
    r = api.post(f"/comments/{c.pk}/flags", {"reason": "spam", "note": "  spam\r\nfarm "})
    assert r.status_code == 201 and Flag.objects.get().note == "spam\nfarm"


@pytest.mark.parametrize("body", ["a\u202eb", "x\u2066y\u2069", "\u202atest\u202c"])
def test_bidi_overrides_in_comment_bodies_are_refused(api, story, body):
    r = api.post(f"/stories/{story.pk}/comments", {"body": body, "author_name": "Ann"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "control_characters"


def test_right_to_left_marks_in_bodies_are_kept(api, story):
    body = "\u05e9\u05dc\u05d5\u05dd\u200f (hello)"
    r = api.post(f"/stories/{story.pk}/comments", {"body": body, "author_name": "Ann"})
    assert r.status_code == 201 and r.json()["body"] == body
