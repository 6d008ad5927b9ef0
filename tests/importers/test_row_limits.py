"""The site's limits applied per imported row, and each refusal or change reported."""

from __future__ import annotations

import io
import json
import tracemalloc
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from threadline.importers import disqus
from threadline.importers.base import ImportedComment
from threadline.importers.xmlstream import MAX_TEXT_BYTES
from threadline.models import Comment

pytestmark = pytest.mark.django_db

_DISQUS_HEAD = (
    b'<?xml version="1.0" encoding="utf-8"?>\n'
    b'<disqus xmlns="http://disqus.com" '
    b'xmlns:dsq="http://disqus.com/disqus-internals">\n'
    b'<thread dsq:id="1"><link>https://example.com/a</link><title>A</title></thread>\n'
)


def _post(pid: int, message: bytes, name: bytes = b"Ann") -> bytes:
    return (
        b'<post dsq:id="%d"><message>%s</message><createdAt>2020-01-01T00:00:00Z</createdAt>'
        b'<author><name>%s</name></author><thread dsq:id="1"/></post>\n' % (pid, message, name)
    )


def _disqus(*posts: bytes) -> bytes:
    return _DISQUS_HEAD + b"".join(posts) + b"</disqus>\n"


def _wordpress(*comments: tuple[int, bytes]) -> bytes:
    body = b"".join(
        b"<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author>Bo"
        b"</wp:comment_author><wp:comment_date_gmt>2020-01-01 00:00:00</wp:comment_date_gmt>"
        b"<wp:comment_content>%s</wp:comment_content><wp:comment_approved>1"
        b"</wp:comment_approved></wp:comment>\n" % (cid, content)
        for cid, content in comments
    )
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
        b"<item><title>P</title><link>https://example.com/p</link><wp:post_id>7</wp:post_id>\n"
        + body
        + b"</item>\n</channel>\n</rss>\n"
    )


def _run(site, data: bytes, **kw):  # noqa: ANN001,ANN003,ANN202
    from threadline.actions.imports import import_run

    return import_run(site_name=site.name, fp=io.BytesIO(data), **kw)


def _bodies(site) -> dict[str, str]:  # noqa: ANN001
    return dict(Comment.objects.filter(site=site).values_list("external_id", "body"))


def test_disqus_body_over_site_limit_is_refused_and_reported(site) -> None:  # noqa: ANN001
    site.max_body_length = 50
    site.save()
    long = b"<![CDATA[<p>" + b"y" * 60 + b"</p>]]>"
    report = _run(site, _disqus(_post(1, b"short"), _post(2, long), _post(3, b"fine")))
    assert report.created == 2 and report.skipped_limits == 1
    assert report.reasons == {"body_too_long": 1}
    row = report.as_dict()["rows"][0]
    assert row == {
        "reason": "body_too_long",
        "action": "refused",
        "source_id": "disqus:2",
        "line": 5,
        "length": 60,
        "limit": 50,
    }
    assert set(_bodies(site)) == {"disqus:1", "disqus:3"}


def test_wordpress_body_over_site_limit_is_refused_and_reported(site) -> None:  # noqa: ANN001
    site.max_body_length = 20
    site.save()
    report = _run(site, _wordpress((1, b"ok"), (2, b"z" * 21), (3, b"also ok")))
    assert report.created == 2 and report.reasons == {"body_too_long": 1}
    assert report.rows[0]["source_id"] == "wp:7:2" and report.rows[0]["length"] == 21
    assert set(_bodies(site)) == {"wp:7:1", "wp:7:3"}


def test_long_name_is_cut_to_the_live_limit_and_reported(site) -> None:  # noqa: ANN001
    report = _run(site, _disqus(_post(1, b"hi", name=b"N" * 150)))
    assert report.created == 1 and report.reasons == {"name_too_long": 1}
    assert report.rows[0]["action"] == "cut" and report.rows[0]["length"] == 150
    assert len(Comment.objects.get(site=site).author_name) == 100


@pytest.mark.parametrize("cdata", [True, False])
def test_huge_text_node_is_capped_while_streaming(tmp_path: Path, cdata: bool) -> None:
    """A 50 MB message: the reader keeps at most its cap, and the row is marked cut."""
    path = tmp_path / "huge.xml"
    with open(path, "wb") as fp:
        fp.write(_DISQUS_HEAD + _post(1, b"small"))
        fp.write(b'<post dsq:id="2"><message>' + (b"<![CDATA[" if cdata else b""))
        block = (b"<p>" if cdata else b"&lt;p&gt;") + b"x" * 1000 + b"\n"
        for _ in range(50 * 1024):
            fp.write(block)
        fp.write((b"]]>" if cdata else b"") + b"</message><createdAt>2020-01-01T00:00:00Z")
        fp.write(b'</createdAt><thread dsq:id="1"/></post>\n' + _post(3, b"after"))
        fp.write(b"</disqus>\n")
    assert path.stat().st_size > 50_000_000
    tracemalloc.start()
    try:
        with open(path, "rb") as fp:
            records = [
                (r.external_id, len(r.body_html), r.notes, r.line)
                for r in disqus.parse(fp)
                if isinstance(r, ImportedComment)
            ]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 60_000_000, peak
    by_id = {r[0]: r for r in records if r[0]}
    assert by_id["disqus:1"][2] == {} and by_id["disqus:3"][2] == {}
    assert by_id["disqus:2"][1] <= MAX_TEXT_BYTES
    assert by_id["disqus:2"][2]["body_cut"] > 50_000_000
    assert by_id["disqus:3"][3] == 5 + 50 * 1024 + 1  # later line numbers still hold


def test_huge_text_node_import_refuses_the_row_and_imports_the_rest(site, tmp_path) -> None:  # noqa: ANN001
    big = b"<![CDATA[" + b"w" * (3 * MAX_TEXT_BYTES) + b"]]>"
    report = _run(site, _disqus(_post(1, b"a"), _post(2, big), _post(3, b"b")))
    assert report.created == 2 and report.reasons == {"body_too_long": 1}
    assert report.rows[0]["source_id"] == "disqus:2"
    assert report.rows[0]["length"] == 3 * MAX_TEXT_BYTES
    assert set(_bodies(site)) == {"disqus:1", "disqus:3"}


def test_undefined_entity_is_kept_literally_and_reported(site) -> None:  # noqa: ANN001
    report = _run(site, _disqus(_post(1, b"before &foo; after &amp; end", name=b"Jo&bar;")))
    assert report.created == 1 and report.skipped_limits == 0
    assert report.reasons == {"undefined_entity": 2}
    assert [r["entity"] for r in report.rows] == ["&bar;", "&foo;"]
    assert all(r["action"] == "kept" and r["source_id"] == "disqus:1" for r in report.rows)
    comment = Comment.objects.get(site=site)
    assert comment.body == "before &foo; after & end"  # not cut at the entity
    assert comment.author_name == "Jo&bar;"


def test_undefined_entity_in_wordpress_content_is_not_cut(site) -> None:  # noqa: ANN001
    report = _run(site, _wordpress((1, b"one &nbsp;two &amp; three")))
    assert report.created == 1 and report.reasons == {"undefined_entity": 1}
    assert Comment.objects.get(site=site).body.startswith("one ")
    assert Comment.objects.get(site=site).body.endswith("two & three")


def test_dry_run_reports_the_same(site) -> None:  # noqa: ANN001
    site.max_body_length = 10
    site.save()
    data = _disqus(_post(1, b"x" * 11), _post(2, b"a &foo; b"), _post(3, b"ok"))
    dry = _run(site, data, dry_run=True)
    assert Comment.objects.filter(site=site).count() == 0
    real = _run(site, data)
    assert (dry.reasons, dry.rows) == (real.reasons, real.rows)
    assert dry.reasons == {"body_too_long": 1, "undefined_entity": 1}


def test_cli_json_and_text_list_each_row(site, tmp_path) -> None:  # noqa: ANN001
    site.max_body_length = 10
    site.save()
    path = tmp_path / "d.xml"
    path.write_bytes(_disqus(_post(1, b"x" * 11), _post(2, b"ok")))
    out = StringIO()
    call_command("import", str(path), site=site.name, dry_run=True, json=True, stdout=out)
    data = json.loads(out.getvalue())
    assert data["reasons"] == {"body_too_long": 1} and data["skipped_limits"] == 1
    assert data["rows"][0]["source_id"] == "disqus:1"
    out, err = StringIO(), StringIO()
    call_command("import", str(path), site=site.name, stdout=out, stderr=err)
    assert "refused 1 rows; by reason: 1 body_too_long" in out.getvalue()
    assert "refused: line 4: disqus:1 body_too_long (length 11, limit 10)" in err.getvalue()
