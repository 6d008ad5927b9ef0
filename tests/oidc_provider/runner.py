"""Start the test OpenID Connect provider in a subprocess and stop it again.

The child binds port 0 itself (no race for a "free" port picked by the parent), prints
``READY <url>``; the parent then waits until the discovery document answers. Its log goes
to a file in the run's temporary directory, shown when it fails to start."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 60.0


@dataclass
class Provider:
    url: str  # http://127.0.0.1:PORT
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def issuer(self) -> str:
        return self.url + "/openid"

    def discovery(self) -> dict[str, Any]:
        with urllib.request.urlopen(  # noqa: S310 (loopback)
            self.issuer + "/.well-known/openid-configuration", timeout=5
        ) as response:
            return json.loads(response.read())


def _read_ready(process: subprocess.Popen[bytes], deadline: float) -> str:
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    line = b""
    while time.monotonic() < deadline and process.poll() is None:
        if selector.select(timeout=0.2):
            line = process.stdout.readline()
            if line.startswith(b"READY "):
                return line.decode().split()[1]
    selector.close()
    return ""


def _answers(url: str, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    if process.stdout:
        process.stdout.close()


@contextmanager
def start_provider(workdir: Path, redirect_uris: list[str]) -> Iterator[Provider]:
    """A running provider whose client accepts ``redirect_uris``; stopped on exit."""
    workdir.mkdir(parents=True, exist_ok=True)
    log = workdir / "provider.log"
    env = {
        **os.environ,
        "OIDC_TEST_DB": str(workdir / "provider.sqlite3"),
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
    }
    args = [sys.executable, "-m", "tests.oidc_provider.serve"]
    for uri in redirect_uris:
        args += ["--redirect-uri", uri]
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=log_file,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        url = _read_ready(process, deadline)
        provider = Provider(url=url, process=process, log=log)
        if not url or not _answers(provider.issuer + "/.well-known/openid-configuration", deadline):
            raise RuntimeError(
                f"the test OpenID provider did not start:\n{log.read_text()[-4000:]}"
            )
        yield provider
    finally:
        _stop(process)
