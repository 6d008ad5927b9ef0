"""Operator endpoints under /api/v1/admin/: import an export file, download a site's export.

Superusers only, by bearer token. The import takes ``multipart/form-data`` with a ``file``
field, or a JSON body ``{"content": "<the file's text>"}``; options come as query
parameters (``site``, ``format``, ``dry_run``, ``keep_pingbacks``, ``base_url``).
"""

from __future__ import annotations

import json
import tempfile
from typing import IO

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router

from threadline import errors
from threadline.actions.imports import import_run
from threadline.actions.stories import canonical_url
from threadline.api.permissions import OperatorAuth
from threadline.api.schemas import ErrorOut
from threadline.exporters.disqus import export_disqus
from threadline.exporters.threadline_json import export_lines
from threadline.models import Site

# Superusers only (401 without an account, 403 for anyone else), checked before the view.
router = Router(tags=["operators"], auth=OperatorAuth())
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 415: ErrorOut}


def _upload(request: HttpRequest) -> IO[bytes]:
    """The uploaded file, spooled to disk past 10 MB."""
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise errors.ValidationError('Send the export as a "file" field.', field="file")
        assert upload.file is not None  # an upload parsed from the request has its file
        return upload.file
    if content_type != "application/json":
        raise errors.UnsupportedMediaTypeError(
            'Send multipart/form-data with a file, or JSON with "content".'
        )
    try:
        data = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise errors.InvalidJsonError() from exc
    if not isinstance(data, dict) or not isinstance(data.get("content"), str):
        raise errors.ValidationError('Give the file\'s text as "content".', field="content")
    spool = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115
    spool.write(data["content"].encode("utf-8"))
    spool.seek(0)
    return spool


@router.post("/imports", response={200: dict, **ERRORS})
def import_file(
    request: HttpRequest,
    site: str,
    format: str = "",
    dry_run: bool = False,
    keep_pingbacks: bool = False,
    base_url: str = "",
) -> dict:
    """Import an export into a site; the report lists what was created and skipped."""
    with _upload(request) as fp:
        report = import_run(
            site_name=site,
            fp=fp,
            fmt=format or None,
            dry_run=dry_run,
            keep_pingbacks=keep_pingbacks,
            base_url=base_url,
        )
    return report.as_dict()


@router.get("/export", response={200: None, **ERRORS})
def export_site(
    request: HttpRequest,
    site: str,
    format: str = "json",
    story: str = "",
    with_secrets: bool = False,
) -> StreamingHttpResponse:
    """The site as a Threadline JSON Lines export (or Disqus XML), streamed."""
    row = Site.objects.filter(name=site).first()
    if row is None:
        raise errors.NotFoundError(f"No site named {site!r}.", field="site")
    if format not in ("json", "disqus"):
        raise errors.ValidationError("format is json or disqus.", field="format")
    story_url = canonical_url(story) if story else None
    if format == "disqus":
        body, kind, ext = (
            export_disqus(site=row, story_url=story_url, with_secrets=with_secrets),
            "application/xml",
            "xml",
        )
    else:
        body, kind, ext = (
            export_lines(site=row, story_url=story_url, with_secrets=with_secrets),
            "application/x-ndjson",
            "jsonl",
        )
    response = StreamingHttpResponse(body, content_type=f"{kind}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{row.name}-export.{ext}"'
    return response
