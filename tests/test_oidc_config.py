"""THREADLINE_OIDC_* from the environment: read into settings, and an issuer without client
credentials refuses to start (a half-configured provider would fail only at sign-in)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = (
    "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings';django.setup();"
    "from django.conf import settings as s;t=s.THREADLINE;"
    "print(t['OIDC_ISSUER'], t['OIDC_CLIENT_ID'], t['OIDC_LABEL'], t['OIDC_TIMEOUT_SECONDS'])"
)


def _settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("THREADLINE_OIDC_")}
    return subprocess.run(
        [sys.executable, "-c", CODE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**clean, **env},
    )


def test_the_provider_is_configured_from_the_environment() -> None:
    out = _settings(
        THREADLINE_OIDC_ISSUER="https://id.example/realms/news",
        THREADLINE_OIDC_CLIENT_ID="threadline",
        THREADLINE_OIDC_CLIENT_SECRET="s3cret",
        THREADLINE_OIDC_LABEL="News ID",
        THREADLINE_OIDC_TIMEOUT_SECONDS="2.5",
    )
    assert out.stdout.split() == [
        "https://id.example/realms/news",
        "threadline",
        "News",
        "ID",
        "2.5",
    ], out.stderr


def test_off_by_default() -> None:
    out = _settings()
    assert out.returncode == 0 and out.stdout.split() == ["5.0"], out.stderr


def test_an_issuer_without_client_credentials_refuses_to_start() -> None:
    out = _settings(THREADLINE_OIDC_ISSUER="https://id.example", THREADLINE_OIDC_CLIENT_ID="x")
    assert out.returncode != 0
    assert "THREADLINE_OIDC_CLIENT_SECRET" in out.stderr
