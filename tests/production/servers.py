"""Real processes for the production tests and drills: web servers, Celery workers, and a
fresh database (a SQLite file, or a PostgreSQL database created and dropped)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Database:
    """A throwaway database: PostgreSQL when ``postgres_url`` is given, else SQLite."""

    def __init__(self, tmp: Path, postgres_url: str = "") -> None:
        self.postgres_url = postgres_url
        self.name = f"tl_prod_{uuid.uuid4().hex[:10]}"
        if postgres_url:
            parts = urlsplit(postgres_url)
            self.url = urlunsplit(parts._replace(path="/" + self.name))
        else:
            self.url = f"sqlite:///{tmp / 'threadline.sqlite3'}"

    def _admin(self, sql: str) -> None:
        import psycopg

        parts = urlsplit(self.postgres_url)
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql)

    def create(self) -> None:
        if self.postgres_url:
            self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.postgres_url:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def base_env(data_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THREADLINE_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "THREADLINE_DATA_DIR": str(data_dir),
            "THREADLINE_DATABASE_URL": database_url,
            "THREADLINE_SECRET_KEY": "production-test-secret-key-" + "x" * 30,
            "THREADLINE_LOG_LEVEL": "WARNING",
            "THREADLINE_SCORERS": "none",
            "THREADLINE_RATE_LIMIT_POST_IP": "",
            "THREADLINE_RATE_LIMIT_POST_AUTHOR": "",
            "THREADLINE_RATE_LIMIT_VOTE_IP": "",
            "THREADLINE_RATE_LIMIT_AUTH_IP": "",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    out = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    return out.stdout


SEED = """
from threadline.actions.sites import site_create
from threadline.actions.stories import story_create
from threadline.actions.comments import comment_insert_trusted
import json
site = site_create(name="prod", origins=["https://prod.example"])
story = story_create(site=site, url="https://prod.example/news/1", title="Production test")
made = []
for i in range({comments}):
    parent = made[i // 3] if i >= 3 and i % 2 else None
    made.append(comment_insert_trusted(story=story, parent=parent, author_name=f"Seed {{i}}",
                                       body=f"Seed comment {{i}}, a civil remark."))
print(json.dumps({{"site": site.name, "story": story.pk}}))
"""


def seed(env: dict[str, str], comments: int = 0) -> dict[str, Any]:
    out = manage(env, "shell", "-c", SEED.format(comments=comments), timeout=600)
    return json.loads(out.strip().splitlines()[-1])


class Proc:
    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args, self.env, self.log = args, env, log
        self.popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Proc:
        handle = self.log.open("ab")
        self.popen = subprocess.Popen(
            self.args,
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def kill9(self) -> None:
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)

    def stop(self) -> None:
        if self.popen and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.kill9()


def web(env: dict[str, str], port: int, log: Path) -> Proc:
    return Proc([PYTHON, "-m", "threadline.cli", "serve", "--port", str(port)], env, log).start()


def worker(env: dict[str, str], log: Path) -> Proc:
    return Proc(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "threadline",
            "--concurrency",
            "2",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env,
        log,
    ).start()


def wait_http(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310
                return
        except (OSError, urllib.error.URLError):
            time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer in {timeout} s")


def request(
    method: str, url: str, data: Any = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    body = json.dumps(data).encode() if data is not None else None
    req = urllib.request.Request(
        url,
        data=body,
        method=method,
        headers={"Content-Type": "application/json", **(headers or {})},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:  # noqa: S310
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as exc:
        raw = exc.read()
        try:
            return exc.code, json.loads(raw)
        except ValueError:
            return exc.code, raw.decode(errors="replace")
