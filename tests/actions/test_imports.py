from __future__ import annotations

import io
import json

import pytest

from threadline.actions.imports import import_run
from threadline.importers.base import ImportFormatError
from threadline.models import Comment, Commenter, Story

pytestmark = pytest.mark.django_db


def _commento(comments: list[dict]) -> io.BytesIO:
    base = {
        "domain": "news.example",
        "url": "/a",
        "commenterHex": "anonymous",
        "html": "",
        "score": 0,
        "state": "approved",
        "direction": 0,
        "deleted": False,
        "creationDate": "2021-01-01T10:00:00Z",
        "parentHex": "root",
        "markdown": "text",
    }
    data = {"version": 1, "comments": [base | c for c in comments], "commenters": []}
    return io.BytesIO(json.dumps(data).encode())


def test_reply_to_missing_parent_keeps_its_place_under_a_tombstone(site) -> None:  # noqa: ANN001
    report = import_run(
        site_name=site.name,
        fp=_commento([{"commentHex": "b", "parentHex": "gone", "markdown": "orphan reply"}]),
    )
    assert (report.created, report.tombstones) == (1, 1)
    reply = Comment.objects.get(external_id="commento:b")
    tomb = reply.parent
    assert (tomb.external_id, tomb.status, tomb.body) == ("commento:gone", "deleted", "")
    assert tomb.reply_count == 1 and Story.objects.get().comment_count == 1


def test_empty_comment_with_replies_becomes_their_tombstone(site) -> None:  # noqa: ANN001
    report = import_run(
        site_name=site.name,
        fp=_commento(
            [
                {"commentHex": "a", "markdown": ""},
                {"commentHex": "b", "parentHex": "a", "markdown": "answer"},
            ]
        ),
    )
    assert report.created == 2
    assert Comment.objects.get(external_id="commento:a").status == "deleted"


def test_counters_follow_statuses(site) -> None:  # noqa: ANN001
    import_run(
        site_name=site.name,
        fp=_commento(
            [
                {"commentHex": "a", "commenterHex": "p"},
                {"commentHex": "b", "commenterHex": "p", "parentHex": "a", "state": "unapproved"},
                {"commentHex": "c", "commenterHex": "p", "parentHex": "a", "score": -2},
            ]
        ),
    )
    top = Comment.objects.get(external_id="commento:a")
    assert top.reply_count == 1  # the held reply does not count
    assert Comment.objects.get(external_id="commento:c").downvotes == 2
    person = Commenter.objects.get(key="import:commento:Anonymous")
    assert (person.comments_total, person.comments_published) == (3, 2)


def test_newer_export_reply_to_stored_comment_updates_its_counts(site) -> None:  # noqa: ANN001
    import_run(site_name=site.name, fp=_commento([{"commentHex": "a"}]))
    report = import_run(
        site_name=site.name,
        fp=_commento([{"commentHex": "a"}, {"commentHex": "b", "parentHex": "a"}]),
    )
    assert (report.created, report.skipped_existing) == (1, 1)
    assert Comment.objects.get(external_id="commento:a").reply_count == 1
    assert Commenter.objects.get().comments_total == 2


def test_unknown_site_is_refused(site) -> None:  # noqa: ANN001
    from threadline import errors

    with pytest.raises(errors.NotFoundError):
        import_run(site_name="nope", fp=_commento([{"commentHex": "a"}]))


def test_threadline_export_with_bad_lines_skips_them_and_says_where(site) -> None:  # noqa: ANN001
    header = {"format": "threadline-export", "version": 1, "site": {"name": site.name}}
    lines = [
        json.dumps(header, separators=(",", ":")),
        json.dumps({"type": "story", "key": "s1", "url": "https://n.example/a"}),
        "{not json",
        json.dumps({"type": "comment", "key": "c1", "story": "s1", "status": "weird"}),
        json.dumps(
            {
                "type": "comment",
                "key": "c2",
                "story": "s1",
                "status": "published",
                "body": "ok",
                "body_html": "<p>ok</p>",
                "author_name": "A",
                "created_at": "2020-02-02T02:02:02+01:00",
            }
        ),
    ]
    report = import_run(site_name=site.name, fp=io.BytesIO("\n".join(lines).encode()))
    assert report.created == 1 and report.skipped_bad == 2
    assert [p.line for p in report.problems] == [3, 4]


def test_newer_export_version_is_refused(site) -> None:  # noqa: ANN001
    header = {"format": "threadline-export", "version": 99, "site": {"name": site.name}}
    with pytest.raises(ImportFormatError) as exc:
        import_run(
            site_name=site.name, fp=io.BytesIO(json.dumps(header).encode()), fmt="threadline"
        )
    assert "version 99" in exc.value.message and exc.value.line == 1
