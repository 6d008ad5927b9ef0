"""The import and export as operators use them: the CLI and the admin API."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import UserFactory
from tests.importers.conftest import fixture
from threadline.actions.accounts import token_create
from threadline.models import Comment

pytestmark = pytest.mark.django_db


def test_cli_import_detects_format_and_reports(site) -> None:  # noqa: ANN001
    out, err = StringIO(), StringIO()
    call_command(
        "import",
        str(fixture("disqus", "isso-tests-disqus.xml")),
        "--site",
        site.name,
        stdout=out,
        stderr=err,
    )
    assert "Imported 5 comments into 2 new stories (disqus)" in out.getvalue()
    assert "thread '1337'" in err.getvalue()


def test_cli_dry_run_and_explicit_format(site) -> None:  # noqa: ANN001
    out = StringIO()
    call_command(
        "import",
        "wordpress",
        str(fixture("wordpress", "isso-tests-wordpress.xml")),
        "--site",
        site.name,
        "--dry-run",
        stdout=out,
    )
    assert out.getvalue().startswith("Dry run: would import 8 comments")
    assert not Comment.objects.exists()


def test_cli_malformed_file_is_a_clear_error(site) -> None:  # noqa: ANN001
    with pytest.raises(CommandError, match=r"line 18: Sequence '\]\]>' not allowed"):
        call_command(
            "import",
            str(fixture("wordpress", "wordpress-importer-crazy-cdata.xml")),
            "--site",
            site.name,
        )


def test_cli_export_json_and_disqus(site) -> None:  # noqa: ANN001
    call_command(
        "import",
        str(fixture("disqus", "isso-tests-disqus.xml")),
        "--site",
        site.name,
        stdout=StringIO(),
        stderr=StringIO(),
    )
    out = StringIO()
    call_command("export", "--site", site.name, stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert records[0]["format"] == "threadline-export"
    assert sum(r.get("type") == "comment" for r in records) == 5
    xml = StringIO()
    call_command("export", "--site", site.name, "--format", "disqus", stdout=xml)
    assert xml.getvalue().count("<post ") == 5


def _operator(api) -> None:  # noqa: ANN001
    api.token = token_create(user=UserFactory(username="root", is_superuser=True))


def test_admin_api_import_multipart(site, client, api) -> None:  # noqa: ANN001
    _operator(api)
    with open(fixture("wordpress", "isso-tests-wordpress.xml"), "rb") as fp:
        response = client.post(
            f"/api/v1/admin/imports?site={site.name}",
            {"file": fp},
            headers={"Authorization": f"Bearer {api.token}"},
        )
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 8


def test_admin_api_import_json_body_and_malformed_file(site, api) -> None:  # noqa: ANN001
    _operator(api)
    text = fixture("wordpress", "wordpress-importer-crazy-cdata.xml").read_text()
    response = api.post(f"/admin/imports?site={site.name}", {"content": text})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "import_malformed"
    assert response.json()["error"]["message"].startswith("line 18:")


def test_admin_api_needs_a_superuser(site, api) -> None:  # noqa: ANN001
    assert api.post(f"/admin/imports?site={site.name}", {"content": ""}).status_code == 401
    api.token = token_create(user=UserFactory(username="plain"))
    assert api.post(f"/admin/imports?site={site.name}", {"content": ""}).status_code == 403
    assert api.get("/admin/export", site=site.name).status_code == 403


def test_admin_api_export_streams(site, api) -> None:  # noqa: ANN001
    _operator(api)
    response = api.get("/admin/export", site=site.name)
    assert response.status_code == 200 and response.streaming
    first = json.loads(b"".join(response.streaming_content).splitlines()[0])
    assert first["site"]["name"] == site.name
    assert api.get("/admin/export", site="nope").status_code == 404
