from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.importers.conftest import fixture
from threadline.importers.base import ImportFormatError
from threadline.models import Comment, Story

pytestmark = pytest.mark.django_db


def _by_ext(site):  # noqa: ANN001,ANN202
    return {c.external_id: c for c in Comment.objects.filter(site=site)}


def test_theme_unit_test_data_counts_statuses_and_deep_thread(site, run_import) -> None:
    report = run_import(fixture("wordpress", "wptt-themeunittestdata.wordpress.xml"))
    # 33 comments: 25 approved + 3 unapproved + 1 typed "comment", 2 pingbacks, 2 trackbacks
    assert (report.created, report.skipped_pingbacks, report.skipped_bad) == (29, 4, 0)
    rows = _by_ext(site)
    assert sum(c.status == "pending" for c in rows.values()) == 3
    deepest = rows["wp:1148:915"]
    assert deepest.depth == 9 and deepest.body == "Comment Depth 10\n\nAlso an author comment."
    assert rows["wp:1148:904"].reply_count == 9
    assert rows["wp:1148:918"].author_name == "John Μαρία Doe Ντουε"
    assert Story.objects.get(url__endswith="/2012/01/03/template-comments/").comment_count == 19


def test_pingbacks_kept_by_flag(site, run_import) -> None:
    report = run_import(
        fixture("wordpress", "wptt-themeunittestdata.wordpress.xml"), keep_pingbacks=True
    )
    assert (report.created, report.skipped_pingbacks) == (33, 0)


def test_isso_wxr_trims_emails_keeps_mapped_ipv6_and_replies(site, run_import) -> None:
    report = run_import(fixture("wordpress", "isso-tests-wordpress.xml"))
    assert (report.created, report.stories_created) == (8, 2)
    rows = _by_ext(site)
    first = rows["wp:18:2"]
    assert (first.body, first.author_email, first.ip_address) == (
        "Erster!1",
        "test@example.org",
        "::ffff:82.119.20.0",
    )
    assert rows["wp:18:7"].parent_id == rows["wp:18:6"].pk
    assert rows["wp:18:8"].parent_id == rows["wp:18:7"].pk and rows["wp:18:8"].depth == 2
    # comment 7 has no comment_date, only comment_date_gmt
    assert rows["wp:18:7"].created_at == datetime(2014, 4, 29, 15, 21, 35, tzinfo=UTC)
    multiline = rows["wp:18:10"]
    assert (
        multiline.body
        == "When you have a comment with multiple lines:\nWordPress exports it like this."
    )
    assert multiline.created_at == datetime(2022, 6, 6, 2, 13, 14, tzinfo=UTC)
    assert Story.objects.get(url="http://example.tld/2014/test/").title == "Hello, World…"
    assert not Story.objects.filter(title="No comments").exists()


def test_entities_and_br_in_wxr_1_1(site, run_import) -> None:
    run_import(fixture("wordpress", "wordpress-importer-valid-wxr-1.1.xml"))
    comment = Comment.objects.get(site=site)
    assert comment.body == (
        "Hi, this is a comment.\nTo delete a comment, just log in and view "
        "the post's comments. There you will have the option to edit or "
        "delete them."
    )
    assert comment.body_html.startswith("<p>Hi, this is a comment.<br>To delete")
    assert comment.created_at == datetime(2010, 10, 16, 20, 53, 18, tzinfo=UTC)


def test_backslashes_survive_exactly(site, run_import) -> None:
    run_import(fixture("wordpress", "wordpress-importer-slashes.xml"))
    comment = Comment.objects.get(site=site)
    assert comment.body == "\\o/ ¯\\_(ツ)_/¯"
    assert comment.body_html == "<p>\\o/ ¯\\_(ツ)_/¯</p>"


def test_nested_cdata_is_refused_naming_line_18(site, run_import) -> None:
    with pytest.raises(ImportFormatError) as exc:
        run_import(fixture("wordpress", "wordpress-importer-crazy-cdata.xml"))
    assert exc.value.line == 18 and "]]>" in exc.value.message
    assert not Story.objects.exists()


def test_escaped_cdata_is_well_formed_and_has_no_comments(site, run_import) -> None:
    report = run_import(fixture("wordpress", "wordpress-importer-crazy-cdata-escaped.xml"))
    assert (report.format, report.created, report.skipped_bad) == ("wordpress", 0, 0)


def test_html_is_sanitised_and_text_kept(site, run_import, tmp_path) -> None:
    raw = fixture("wordpress", "wordpress-importer-slashes.xml").read_bytes()
    evil = raw.replace(
        b"\\o/ \xc2\xaf\\_(\xe3\x83\x84)_/\xc2\xaf",
        b'<b>Hi</b> &amp; <script>alert(1)</script><a href="javascript:x">j</a>'
        b'<img src=x onerror=alert(1) alt="pic">',
    )
    path = tmp_path / "evil.xml"
    path.write_bytes(evil)
    run_import(path)
    comment = Comment.objects.get(site=site)
    assert "script" not in comment.body_html and "onerror" not in comment.body_html
    assert "javascript" not in comment.body_html and "<img" not in comment.body_html
    assert comment.body == "Hi & jpic"
