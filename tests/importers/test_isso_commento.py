from __future__ import annotations

import io
import sqlite3
from datetime import UTC, datetime

import pytest

from tests.importers.conftest import fixture
from threadline.actions.imports import import_run
from threadline.importers.base import ImportFormatError
from threadline.models import Comment, Story

pytestmark = pytest.mark.django_db


def test_isso_generic_json_decodes_titles_and_resolves_paths(site, run_import) -> None:
    report = run_import(fixture("other-exports", "isso-tests-generic.json"))
    assert (report.format, report.created) == ("isso", 2)
    story = Story.objects.get(site=site, title="Nat & Miguel")
    assert story.url == f"{site.allowed_origins[0]}/posts/0007/"
    comment = Comment.objects.get(story=story)
    assert comment.body == "Ja-make-a me crazzy mon :)"
    assert comment.author_email == "105421439@87750645.com"
    assert comment.created_at == datetime(2005, 5, 8, 6, 50, 26, tzinfo=UTC)
    assert comment.ip_address == "0.0.0.0"


def test_isso_base_url_option(site, run_import) -> None:
    run_import(fixture("other-exports", "isso-tests-generic.json"), base_url="https://blog.example")
    assert Story.objects.filter(url="https://blog.example/posts/0001/").exists()


def test_isso_sqlite_database(site, tmp_path) -> None:
    path = tmp_path / "comments.db"
    db = sqlite3.connect(path)
    db.executescript("""
    CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
    CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
        created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR, text VARCHAR,
        author VARCHAR, email VARCHAR, website VARCHAR, likes INTEGER DEFAULT 0,
        dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL, notification INTEGER DEFAULT 0);
    INSERT INTO threads VALUES (1, '/a/', 'Á');
    INSERT INTO comments VALUES (1, 1, NULL, 1400000000.5, NULL, 1, '10.0.0.1', 'First *one*',
        'Ann', 'ann@example.org', '', 3, 1, x'', 0);
    INSERT INTO comments VALUES (1, 2, 1, 1400000100, NULL, 2, '', 'held', 'Bo', '', '',
        0, 0, x'', 0);
    INSERT INTO comments VALUES (1, 3, NULL, 1400000200, NULL, 4, '', '', 'Cy', '', '',
        0, 0, x'', 0);
    """)
    db.commit()
    db.close()
    with open(path, "rb") as fp:
        report = import_run(site_name=site.name, fp=fp)
    assert (report.format, report.created, report.skipped_deleted) == ("isso", 2, 1)
    first = Comment.objects.get(external_id="isso:1")
    assert (first.upvotes, first.downvotes, first.score) == (3, 1, 2)
    assert first.body_html == "<p>First <em>one</em></p>\n"
    assert first.wilson > 0 and first.reply_count == 0  # its reply is held
    assert Comment.objects.get(external_id="isso:2").status == "pending"
    # an upload without a file name goes through a temporary copy
    report = import_run(site_name=site.name, fp=io.BytesIO(path.read_bytes()))
    assert report.skipped_existing == 2


def test_commento_export_keeps_parents_scores_and_commenters(site, run_import) -> None:
    report = run_import(fixture("other-exports", "remark42-migrator-commento.json"))
    assert (report.format, report.created, report.stories_created) == ("commento", 3, 2)
    reply = Comment.objects.get(external_id__startswith="commento:ea5f7bcd")
    assert reply.parent.external_id.startswith("commento:7d77e39f")
    assert (reply.author_name, reply.author_email) == ("Saturnin Uf", "moregreatmail@gmail.com")
    anon = Comment.objects.get(external_id__startswith="commento:e7069a7d")
    assert (anon.author_name, anon.upvotes, anon.score) == ("Anonymous", 1, 1)
    assert anon.story.url == "https://example.com/blog/post/2"
    assert reply.created_at == datetime(2021, 5, 11, 15, 43, 1, 852651, tzinfo=UTC)


def test_commento_empty_comments_are_reported_not_imported(site, run_import) -> None:
    report = run_import(fixture("other-exports", "remark42-rest-api-commento.json"))
    assert (report.created, report.skipped_bad) == (0, 7)
    assert all("is empty" in p.message for p in report.problems)
    assert not Story.objects.exists()


def test_remark42_tree_json_is_not_a_known_export(site, run_import) -> None:
    with pytest.raises(ImportFormatError) as exc:
        run_import(fixture("other-exports", "remark42-store-tree.json"))
    assert "Unrecognised file" in exc.value.message


def test_invalid_json_names_the_line(site, tmp_path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"version": 1, "comments": [{"commentHex": "a",\n oops}]}')
    with open(path, "rb") as fp, pytest.raises(ImportFormatError) as exc:
        import_run(site_name=site.name, fp=fp, fmt="commento")
    assert exc.value.line == 2
