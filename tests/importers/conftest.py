"""Helpers for importer tests: run an import of a shared fixture into a fresh site."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import shared_path


def fixture(*parts: str) -> Path:
    return shared_path("fixtures", *parts)


@pytest.fixture
def run_import(site):  # noqa: ANN001,ANN201
    from threadline.actions.imports import import_run

    def run(path: Path, **kw):  # noqa: ANN003,ANN202
        with open(path, "rb") as fp:
            return import_run(site_name=site.name, fp=fp, **kw)

    return run
