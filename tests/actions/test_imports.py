from __future__ import annotations

import io
import json

import pytest
from django.db import connection

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


def _disqus(posts: int, threads: int = 3) -> io.BytesIO:
    """Posts spread over threads; every third post replies to the one before it."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?><disqus xmlns="http://disqus.com" '
        'xmlns:dsq="http://disqus.com/disqus-internals">'
    ]
    for t in range(1, threads + 1):
        out.append(f'<thread dsq:id="{t}"><link>https://news.example/{t}</link></thread>')
    for n in range(1, posts + 1):
        parent = f'<parent dsq:id="{n - threads}"/>' if n % 3 == 0 and n > threads else ""
        out.append(
            f'<post dsq:id="{n}"><message><![CDATA[<p>post {n}</p>]]></message>'
            f"<createdAt>2021-01-01T10:00:{n % 60:02d}Z</createdAt>"
            f"<isSpam>{str(n % 10 == 0).lower()}</isSpam>"
            f"<author><name>P{n % 4}</name><email>p{n % 4}@example.org</email></author>"
            f'<thread dsq:id="{(n - 1) % threads + 1}"/>{parent}</post>'
        )
    out.append("</disqus>")
    return io.BytesIO("".join(out).encode())


def _comment_indexes() -> set[str]:
    with connection.cursor() as cur:
        return set(connection.introspection.get_constraints(cur, "threadline_comment"))


def _import_counts(site) -> tuple:  # noqa: ANN001
    published = Comment.objects.filter(status="published")
    return (
        Comment.objects.count(),
        sorted(Story.objects.values_list("comment_count", flat=True)),
        sorted(Comment.objects.values_list("external_id", "reply_count", "depth")),
        sorted(
            Commenter.objects.values_list(
                "key", "comments_total", "comments_published", "comments_rejected"
            )
        ),
        published.count(),
    )


def test_large_import_builds_the_same_rows_with_indexes_deferred(site, monkeypatch) -> None:  # noqa: ANN001
    from threadline.db import bulk

    before = _comment_indexes()
    import_run(site_name=site.name, fp=_disqus(60))
    normal = _import_counts(site)
    Comment.objects.all().delete()
    Story.objects.all().delete()
    Commenter.objects.all().delete()
    monkeypatch.setattr(bulk, "DEFER_FROM", 1)
    report = import_run(site_name=site.name, fp=_disqus(60))
    assert report.created == 60
    assert _import_counts(site) == normal
    assert _comment_indexes() == before  # every index is back
    again = import_run(site_name=site.name, fp=_disqus(60))  # idempotent in this mode too
    assert (again.created, again.skipped_existing) == (0, 60)


def test_failed_large_import_leaves_nothing_and_keeps_every_index(site, monkeypatch) -> None:  # noqa: ANN001
    from threadline.db import bulk

    before = _comment_indexes()
    monkeypatch.setattr(bulk, "DEFER_FROM", 1)
    calls = []

    def fail_on_second_story(story_id: int) -> None:
        calls.append(_comment_indexes())
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(bulk, "story_count_update", fail_on_second_story)
    with pytest.raises(RuntimeError):
        import_run(site_name=site.name, fp=_disqus(30))
    assert Comment.objects.count() == 0
    assert _comment_indexes() == before
    if connection.vendor == "sqlite":  # PostgreSQL keeps its indexes throughout
        assert "comment_queue" not in calls[0] and "comment_unique_external_id" in calls[0]


def test_commenter_totals_add_up_across_stories(site) -> None:  # noqa: ANN001
    import_run(site_name=site.name, fp=_disqus(40, threads=4))
    totals = {
        key: (total, published, rejected)
        for key, total, published, rejected in Commenter.objects.values_list(
            "key", "comments_total", "comments_published", "comments_rejected"
        )
    }
    assert sum(t for t, _p, _r in totals.values()) == 40
    assert sum(r for _t, _p, r in totals.values()) == 4  # posts 10, 20, 30, 40 are spam
    assert sum(p for _t, p, _r in totals.values()) == 36
