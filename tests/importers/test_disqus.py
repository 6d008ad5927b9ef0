from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.importers.conftest import fixture
from threadline.importers.base import ImportFormatError
from threadline.models import Comment, Commenter, ModerationEvent, Story

pytestmark = pytest.mark.django_db


def _by_ext(site):  # noqa: ANN001,ANN202
    return {c.external_id: c for c in Comment.objects.filter(site=site)}


def test_isso_disqus_fixture_keeps_tree_tombstone_and_reports_orphan(site, run_import) -> None:
    report = run_import(fixture("disqus", "isso-tests-disqus.xml"))
    assert (report.format, report.created, report.stories_created) == ("disqus", 5, 2)
    assert report.skipped_bad == 1
    assert "thread '1337'" in report.problems[0].message
    rows = _by_ext(site)
    assert set(rows) == {"disqus:4", "disqus:5", "disqus:8", "disqus:9", "disqus:11"}
    # post 9 is deleted but has a reply: it stays as an empty tombstone above post 11
    assert rows["disqus:9"].status == "deleted" and rows["disqus:9"].body == ""
    assert rows["disqus:11"].parent_id == rows["disqus:9"].pk
    assert rows["disqus:11"].path == f"{rows['disqus:9'].path}/{rows['disqus:11'].pk:010d}"
    assert rows["disqus:5"].parent_id == rows["disqus:4"].pk and rows["disqus:5"].depth == 1
    assert (
        rows["disqus:5"].body == "Hello, World."
        and rows["disqus:5"].body_html == "<p>Hello, World.</p>"
    )
    assert rows["disqus:5"].created_at == datetime(2013, 10, 11, 6, 51, 33, tzinfo=UTC)
    assert rows["disqus:4"].reply_count == 1 and rows["disqus:9"].reply_count == 1
    story = Story.objects.get(site=site, url="http://example.org/")
    assert (story.title, story.comment_count, story.external_id) == ("Hello, World!", 3, "disqus:2")
    untitled = Story.objects.get(
        site=site, url="http://localhost:4000/blog/2013/02/12/redacted/index.html"
    )
    assert untitled.title == "" and untitled.comment_count == 1
    peter = Commenter.objects.get(site=site, comments__external_id="disqus:4")
    assert peter.key.startswith("email:") and peter.email == "foo@bar.com"
    assert rows["disqus:4"].ip_address == "127.0.0.1"


def test_real_disqus_export_keeps_turkish_text_and_emoji_and_drops_deleted_leaves(
    site, run_import
) -> None:
    report = run_import(fixture("disqus", "yesilmavihayat-disqus-export.xml"))
    assert (report.created, report.skipped_deleted, report.skipped_bad) == (49, 2, 0)
    rows = _by_ext(site)
    first = rows["disqus:6245632673"]
    assert first.author_name == "Meltem Soğuk Stropoli"
    assert first.body == (
        "Hepinize tüm desteğiniz ve gönderdiğiniz fotoğraflar için çok teşekkür ederim🙏"
    )
    assert "disqus:6245541247" not in rows  # deleted, no replies
    assert all(c.parent_id is None for c in rows.values())
    assert Story.objects.get(site=site).comment_count == 49


def test_import_twice_changes_nothing(site, run_import) -> None:
    run_import(fixture("disqus", "isso-tests-disqus.xml"))
    before = list(Comment.objects.order_by("id").values())
    report = run_import(fixture("disqus", "isso-tests-disqus.xml"))
    assert (report.created, report.skipped_existing, report.stories_created) == (0, 5, 0)
    assert list(Comment.objects.order_by("id").values()) == before


@pytest.mark.parametrize(
    "name", ["remark42-migrator-disqus.xml", "remark42-migrator-disqus-deleted-thread.xml"]
)
def test_stray_byte_before_declaration_is_refused_with_line(site, run_import, name) -> None:  # noqa: ANN001
    with pytest.raises(ImportFormatError) as exc:
        run_import(fixture("disqus", name))
    assert exc.value.line == 1
    assert "stray bytes" in exc.value.message and "line 1" in exc.value.message
    assert not Comment.objects.exists() and not Story.objects.exists()


def test_unquoted_attribute_stops_the_import_and_writes_nothing(site, run_import, tmp_path) -> None:
    # Without the stray backtick, the next fault is the unquoted attribute on line 156.
    raw = fixture("disqus", "remark42-migrator-disqus.xml").read_bytes()
    path = tmp_path / "no-backtick.xml"
    path.write_bytes(raw[1:])
    line = raw[1:].split(b"\n").index(b"        <thread dsq:id=247937687/>") + 1
    with pytest.raises(ImportFormatError) as exc:
        run_import(path)
    assert exc.value.line == line and "AttValue" in exc.value.message
    assert not Comment.objects.exists() and not Story.objects.exists()
    assert not ModerationEvent.objects.exists()


def test_local_damage_is_skipped_and_reported_and_spam_rejected(site, run_import, tmp_path) -> None:
    # Repair only the XML syntax: the bad id, date and isSpam of the last post stay.
    raw = fixture("disqus", "remark42-migrator-disqus.xml").read_bytes()[1:]
    path = tmp_path / "repaired.xml"
    path.write_bytes(raw.replace(b"dsq:id=247937687/>", b'dsq:id="247937687"/>'))
    report = run_import(path)
    assert report.created == 4
    assert report.skipped_bad == 2
    messages = " | ".join(p.message for p in report.problems)
    assert "no dsq:id" in messages and "x299986073" in messages
    rows = _by_ext(site)
    assert rows["disqus:299986073"].status == "rejected"
    assert rows["disqus:299744309"].body.startswith("Microsoft показал проводник Windows 8")
    link = rows["disqus:299619020"].body_html
    assert 'rel="nofollow ugc noopener"' in link and "some link" in link
    assert rows["disqus:299619020"].author_email == ""
    closed = Story.objects.get(site=site, url="https://radio-t.com/p/2011/03/05/podcast-229/")
    assert closed.is_open is False and closed.comment_count == 2


def test_deleted_thread_drops_its_posts(site, run_import, tmp_path) -> None:
    raw = fixture("disqus", "remark42-migrator-disqus-deleted-thread.xml").read_bytes()[1:]
    path = tmp_path / "repaired.xml"
    path.write_bytes(raw.replace(b"dsq:id=247937687/>", b'dsq:id="247937687"/>'))
    report = run_import(path)
    assert report.skipped_deleted == 3  # the three posts of thread 247937687 (isDeleted)
    assert not Story.objects.filter(url="https://radio-t.com/p/2011/03/05/podcast-229/").exists()
    assert (
        Story.objects.get(url="http://radio-t.umputun.com/2011/03/229_8880.html").comment_count == 1
    )


def test_newer_export_adds_only_new_comments(site, run_import, tmp_path) -> None:
    raw = fixture("disqus", "isso-tests-disqus.xml").read_bytes()
    run_import(fixture("disqus", "isso-tests-disqus.xml"))
    newer = raw.replace(
        b"  </disqus>",
        b"""<post dsq:id="12"><message>Later</message>
    <createdAt>2014-01-01T10:00:00+02:00</createdAt><author><name>late</name></author>
    <thread dsq:id="2"/><parent dsq:id="5"/></post></disqus>""",
    )
    path = tmp_path / "newer.xml"
    path.write_bytes(newer)
    report = run_import(path)
    assert (report.created, report.skipped_existing) == (1, 5)
    later = Comment.objects.get(external_id="disqus:12")
    parent = Comment.objects.get(external_id="disqus:5")
    assert later.parent_id == parent.pk and later.depth == 2 and later.root_id == parent.parent_id
    assert later.created_at == datetime(2014, 1, 1, 8, 0, tzinfo=UTC)
    parent.refresh_from_db()
    assert parent.reply_count == 1
    assert Comment.objects.get(external_id="disqus:4").reply_count == 2
    assert Story.objects.get(url="http://example.org/").comment_count == 4


def test_dry_run_writes_nothing(site, run_import) -> None:
    report = run_import(fixture("disqus", "isso-tests-disqus.xml"), dry_run=True)
    assert report.created == 5 and report.dry_run
    assert not Comment.objects.exists() and not ModerationEvent.objects.exists()


def test_one_moderation_event_records_the_run(site, run_import) -> None:
    run_import(fixture("disqus", "isso-tests-disqus.xml"))
    event = ModerationEvent.objects.get(site=site)
    assert (event.source, event.action, event.scores["created"]) == ("import:disqus", "publish", 5)
