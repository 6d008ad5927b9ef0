"""``kill -9`` on the embedded server over SQLite: a comment the server acknowledged (201 or
202) is in the database after the process dies mid-stream and is started again on the same
file. ``bench/drill_crash.py`` is the PostgreSQL drill (two web processes, a worker)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.production import servers

pytestmark = pytest.mark.slow

THREADS = 4
TRANSPORT = {"URLError", "ConnectionResetError", "RemoteDisconnected", "TimeoutError"}
STORED = """
import json
from django.db import connection
from threadline.models import Comment
with connection.cursor() as cursor:
    cursor.execute("PRAGMA integrity_check")
    check = cursor.fetchone()[0]
rows = list(Comment.objects.filter(story_id={story}).values_list("id", "body"))
print(json.dumps({{"integrity": check, "rows": rows}}))
"""


def _poster(
    url: str, n: int, stop: threading.Event, acked: list[tuple[int, str]], failed: Counter[str]
) -> None:
    """Post until told to stop; note each acknowledged comment's id and (unique) body."""
    i = 0
    while not stop.is_set():
        i += 1
        body = f"Crash post {n}-{i}, sent before or after the kill."
        try:
            status, answer = servers.request(
                "POST",
                url,
                {"body": body, "author_name": f"Poster {n}"},
                headers={"X-Threadline-Guest": f"crash-{n}"},
            )
        except OSError as exc:  # the server is dead: nothing was promised
            failed[type(exc).__name__] += 1
            time.sleep(0.02)
            continue
        if status in (201, 202):
            acked.append((answer["id"], body))
        else:
            failed[str(status)] += 1


def _stored(env: dict[str, str], story: int) -> dict[str, Any]:
    out = servers.manage(env, "shell", "-c", STORED.format(story=story))
    return json.loads(out.strip().splitlines()[-1])


def test_no_acknowledged_comment_is_lost_to_kill_9_on_sqlite(tmp_path: Path) -> None:
    started = time.monotonic()
    db = servers.Database(tmp_path)
    env = servers.base_env(tmp_path, db.url)
    servers.manage(env, "migrate", "--noinput", "-v0")
    story = servers.seed(env)["story"]
    port = servers.free_port()
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/api/v1/stories/{story}/comments"
    web = servers.web(env, port, tmp_path / "web.log")
    # (id, body) pairs: a lost row's id would be handed out again after the restart.
    acked: list[tuple[int, str]] = []
    failed: Counter[str] = Counter()
    stop = threading.Event()
    posters = [
        threading.Thread(target=_poster, args=(url, n, stop, acked, failed)) for n in range(THREADS)
    ]
    try:
        servers.wait_http(base + "/healthz")
        for t in posters:
            t.start()
        deadline = time.monotonic() + 15
        while len(acked) < 60:  # well into the stream: posts are arriving all the time
            assert time.monotonic() < deadline, (tmp_path / "web.log").read_text()[-2000:]
            time.sleep(0.02)
        web.kill9()  # SIGKILL to the server's process group, posts still in flight
        acked_at_kill = len(acked)
        time.sleep(0.5)  # the posters now meet a closed port
        stop.set()
        for t in posters:
            t.join(timeout=35)
        # The same file, a new process: it starts, and it still takes posts.
        web = servers.web(env, port, tmp_path / "web.log")
        servers.wait_http(base + "/healthz")
        status, answer = servers.request(
            "POST", url, {"body": "After the restart.", "author_name": "Late"}
        )
        assert status == 201, answer
        acked.append((answer["id"], "After the restart."))
    finally:
        stop.set()
        web.stop()
    found = _stored(env, story)
    rows = {(comment_id, body) for comment_id, body in found["rows"]}
    lost = [pair for pair in acked if pair not in rows]
    summary = (
        f"{len(acked)} acknowledged ({acked_at_kill} before the kill), {len(rows)} found "
        f"({len(rows) - len(acked) + len(lost)} of them never answered), "
        f"{len(lost)} lost, {sum(failed.values())} failed at the transport or refused "
        f"{dict(failed)}, {time.monotonic() - started:.1f} s"
    )
    assert found["integrity"] == "ok", summary
    assert lost == [], summary
    # Transport failures show the kill landed mid-stream; no post got a 4xx or 5xx.
    assert failed and set(failed) <= TRANSPORT, summary
