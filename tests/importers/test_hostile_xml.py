"""Hostile XML against the Disqus and WordPress (WXR) importers: external entities (a local
file, an HTTP URL), parameter entities and external DTDs, and entity bombs (billion laughs,
quadratic blow-up). Files are written to ``tmp_path`` and imported as operators do: the
import action, the ``threadline import`` command and the admin API.

What ``threadline.importers.xmlstream`` promises: no DTD is loaded, no entity is resolved,
nothing is fetched; a file whose DOCTYPE declares an external entity (a file, a URL, a
parameter entity) is refused with ``import_malformed`` and nothing is written, and so is a
bomb. Each test looks for the target's content everywhere the import could put it: the
report, the command's output and every row of the database (``dumpdata``)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import UserFactory
from threadline.actions.accounts import token_create
from threadline.actions.imports import import_run
from threadline.importers.base import ImportFormatError
from threadline.models import Comment, Commenter, ModerationEvent, Story

pytestmark = pytest.mark.django_db

FORMATS = ("disqus", "wordpress")
PASSWD = Path("/etc/passwd")


def _document(fmt: str, doctype: str, text: str) -> bytes:
    """A one-comment export whose message, author name and story title all carry ``text``."""
    head = '<?xml version="1.0" encoding="utf-8"?>\n' + doctype + "\n"
    if fmt == "disqus":
        body = (
            '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
            f'<thread dsq:id="1"><link>https://example.com/a</link><title>T {text}</title>'
            "</thread>\n"
            f'<post dsq:id="1"><message>m {text} m</message>'
            f"<createdAt>2020-01-01T00:00:00Z</createdAt><author><name>N {text}</name></author>"
            '<thread dsq:id="1"/></post>\n</disqus>\n'
        )
    else:
        body = (
            '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
            f"<item><title>T {text}</title><link>https://example.com/p</link>"
            "<wp:post_id>7</wp:post_id>\n"
            "<wp:comment><wp:comment_id>1</wp:comment_id>"
            f"<wp:comment_author>N {text}</wp:comment_author>"
            "<wp:comment_date_gmt>2020-01-01 00:00:00</wp:comment_date_gmt>"
            f"<wp:comment_content>m {text} m</wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved></wp:comment>\n"
            "</item>\n</channel>\n</rss>\n"
        )
    return (head + body).encode()


@pytest.fixture
def secret(tmp_path: Path) -> tuple[Path, str]:
    """A local file only an XXE could read, and the text it holds."""
    text = "tl-secret-3f9c1e-never-imported"
    path = tmp_path / "secret.txt"
    path.write_text(text + "\n")
    return path, text


@pytest.fixture
def listener() -> Iterator[tuple[str, list[bytes]]]:
    """An HTTP server on the loopback that records every request and answers with a DTD
    defining ``&leak;``: any fetch shows, whether or not its answer is used."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    hits: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                hits.append(conn.recv(4096))
                conn.sendall(
                    b"HTTP/1.0 200 OK\r\nContent-Type: application/xml-dtd\r\n\r\n"
                    b'<!ENTITY leak "tl-fetched-over-http">'
                )

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", hits
    stop.set()
    thread.join(timeout=2)
    server.close()


def _secrets(*extra: str) -> list[str]:
    """Text that must never reach the database or a report: the secret file's, the HTTP
    answer's, and the first lines of /etc/passwd."""
    lines = PASSWD.read_text().splitlines()[:3] if PASSWD.exists() else []
    return [*extra, "tl-fetched-over-http", *[ln for ln in lines if ln.strip()]]


def _database() -> str:
    out = StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def _assert_nowhere(secrets: list[str], *texts: str) -> None:
    for where in (*texts, _database()):
        for s in secrets:
            assert s not in where, f"{s!r} leaked into {where[:300]!r}"


def _import(site: Any, tmp_path: Path, fmt: str, data: bytes) -> Any:
    path = tmp_path / f"hostile-{fmt}.xml"
    path.write_bytes(data)
    with open(path, "rb") as fp:
        # The format named, as ``threadline import disqus FILE`` does: sniffing would
        # refuse a 50 KB DOCTYPE before parsing (the root is not in the first 4 KB).
        return import_run(site_name=site.name, fp=fp, fmt=fmt)


def _assert_kept_literally(site: Any, report: Any, entity: str) -> None:
    """Imported with ``&entity;`` as text where it stood, each use reported as kept."""
    assert (report.created, report.stories_created) == (1, 1)
    assert report.reasons == {"undefined_entity": 1}, report.as_dict()  # one row
    assert {(r["entity"], r["action"]) for r in report.rows} == {(f"&{entity};", "kept")}
    comment = Comment.objects.get(site=site)
    assert Story.objects.get(site=site).title == f"T &{entity};"
    assert comment.author_name == f"N &{entity};"
    assert f"&{entity};" in comment.body and comment.body.startswith("m ")


def _refused(site: Any, tmp_path: Path, fmt: str, document: bytes, entity: str) -> str:
    """Import ``document`` and expect the refusal naming ``entity``: its message."""
    with pytest.raises(ImportFormatError) as caught:
        _import(site, tmp_path, fmt, document)
    assert caught.value.code == "import_malformed"
    assert f"external entity '{entity}'" in caught.value.message, caught.value.message
    _assert_nothing_written()
    return caught.value.message


def _external_entity(target: str) -> str:
    return f'<!DOCTYPE r [<!ENTITY xxe SYSTEM "{target}">]>'


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_external_entity_naming_etc_passwd_is_refused_unread(
    site: Any, tmp_path: Path, fmt: str, secret: tuple[Path, str]
) -> None:
    path, text = secret
    for target in ("file:///etc/passwd", path.as_uri()):
        message = _refused(
            site, tmp_path, fmt, _document(fmt, _external_entity(target), "&xxe;"), "xxe"
        )
        _assert_nowhere(_secrets(text), message, _database())


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_external_entity_naming_a_url_is_refused_unfetched(
    site: Any, tmp_path: Path, fmt: str, listener: tuple[str, list[bytes]]
) -> None:
    url, hits = listener
    document = _document(fmt, _external_entity(f"{url}/x"), "&xxe;")
    message = _refused(site, tmp_path, fmt, document, "xxe")
    time.sleep(0.3)  # a fetch from another thread would have arrived by now
    assert hits == []
    _assert_nowhere(_secrets(), message)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("where", ["file", "http", "external subset"])
def test_parameter_entities_and_external_dtds_are_never_loaded(
    site: Any,
    tmp_path: Path,
    fmt: str,
    where: str,
    secret: tuple[Path, str],
    listener: tuple[str, list[bytes]],
) -> None:
    """A DTD that would define ``&leak;``, pulled in by a parameter entity (from a file or
    a URL): refused, nothing fetched. As the external subset: never loaded, so ``&leak;``
    stays a literal (an undefined entity, reported as kept)."""
    text = secret[1]
    dtd = tmp_path / "evil.dtd"
    dtd.write_text(f'<!ENTITY leak "{text}">\n')
    doctype = {
        "file": f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{dtd.as_uri()}"> %p;]>',
        "http": f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{listener[0]}/evil.dtd"> %p;]>',
        "external subset": f'<!DOCTYPE r SYSTEM "{dtd.as_uri()}">',
    }[where]
    document = _document(fmt, doctype, "&leak;")
    if where == "external subset":
        report = _import(site, tmp_path, fmt, document)
        _assert_nowhere(_secrets(text), json.dumps(report.as_dict()), _database())
        _assert_kept_literally(site, report, "leak")
    else:
        message = _refused(site, tmp_path, fmt, document, "p")
        _assert_nowhere(_secrets(text), message, _database())
    time.sleep(0.3 if where == "http" else 0)
    assert listener[1] == []


def _billion_laughs() -> str:
    levels = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    return "<!DOCTYPE r [" + "".join(levels) + "]>"


def _quadratic() -> str:
    return f'<!DOCTYPE r [<!ENTITY a "{"A" * 50_000}">]>'


BOMBS = {
    "billion laughs": (_billion_laughs, "&lol9;"),  # 10**9 "lol"s: 3 GB from 1 KB
    "quadratic": (_quadratic, "&a;" * 2_000),  # 100 MB from 56 KB
}


def _assert_nothing_written() -> None:
    counts = [m.objects.count() for m in (Comment, Story, Commenter, ModerationEvent)]
    assert counts == [0, 0, 0, 0], "comments, stories, commenters, moderation events"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("bomb", list(BOMBS))
def test_an_entity_bomb_stops_the_import_and_writes_nothing(
    site: Any, tmp_path: Path, fmt: str, bomb: str
) -> None:
    doctype, text = BOMBS[bomb]
    started = time.monotonic()
    with pytest.raises(ImportFormatError) as caught:
        _import(site, tmp_path, fmt, _document(fmt, doctype(), text))
    assert time.monotonic() - started < 10  # refused early, not after expanding
    assert caught.value.code == "import_malformed"
    assert "amplification" in caught.value.message, caught.value.message
    assert caught.value.message.startswith("line "), caught.value.message
    _assert_nothing_written()


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_import_command_reports_a_bomb_and_an_xxe_clearly(
    site: Any, tmp_path: Path, fmt: str
) -> None:
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(_document(fmt, _billion_laughs(), "&lol9;"))
    with pytest.raises(CommandError, match=r"bomb\.xml: line \d+: .*amplification"):
        call_command("import", str(bomb), "--site", site.name)
    _assert_nothing_written()
    xxe = tmp_path / "xxe.xml"
    xxe.write_bytes(_document(fmt, _external_entity("file:///etc/passwd"), "&xxe;"))
    with pytest.raises(CommandError, match=r"xxe\.xml: line 1: .*external entity 'xxe'") as e:
        call_command("import", str(xxe), "--site", site.name, "--json")
    _assert_nothing_written()
    _assert_nowhere(_secrets(), str(e.value))


def test_the_admin_api_refuses_a_bomb_and_an_xxe(site: Any, api: Any) -> None:
    api.token = token_create(user=UserFactory(username="root", is_superuser=True))
    bomb = _document("disqus", _billion_laughs(), "&lol9;").decode()
    response = api.post(f"/admin/imports?site={site.name}", {"content": bomb})
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "import_malformed" and "amplification" in error["message"]
    _assert_nothing_written()
    xxe = _document("wordpress", _external_entity("file:///etc/passwd"), "&xxe;").decode()
    response = api.post(f"/admin/imports?site={site.name}", {"content": xxe})
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "import_malformed"
    _assert_nothing_written()
    _assert_nowhere(_secrets(), response.content.decode())
