"""The load mix of bench/load_mix.py on Threadline and on the ../shared/bench peers, back to
back in one run: same client (processes × threads, keep-alive), same 95 % reads / 5 % posts.

    .venv/bin/python bench/load_mix_compare.py                  # 600 s Threadline, 120 s peers
    .venv/bin/python bench/load_mix_compare.py --duration 20 --peer-duration 20   # smoke run

Cases, in this order:
  production  Threadline: 2 web processes + 1 Celery worker, PostgreSQL + Redis (cache and
              broker) — the deploy.md recipe
  embedded    Threadline: 1 web process, SQLite, no Redis — what `make run` gives
  isso        Isso under gunicorn (sync workers, as ../shared/bench/isso_lib.sh starts it) on
              the kit's database, restored from comments.db.orig before and after
  nginx       nginx serving the kit's saved Isso response (static/thread-N.json): reads only

Each case prints one JSON line when it ends; a Markdown table of all cases follows.
Needs the kit's work folder (BENCH_DIR of ../shared/bench/setup_isso.sh): --bench-dir.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_mix  # noqa: E402
from load_mix import Target, servers  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CASES = ("production", "embedded", "isso", "nginx")

# Started and stopped by the same shell, with the kit's own helpers, so the server runs
# exactly as the kit's baseline runs it and is reaped by its parent.
ISSO_SHELL = """
source "$KIT/isso_lib.sh"
start_isso "$WORKERS" || exit 1
echo "ready $ISSO_PID"
read -r _ || true
stop_pid "$ISSO_PID" INT
"""

NGINX_CONF = """worker_processes {workers};
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  default_type application/json;
  client_body_temp_path {prefix}/tmp;
  server {{
    listen 127.0.0.1:{port};
    root {root};
  }}
}}
"""


def mix(args: argparse.Namespace, target: Target, duration: float) -> dict[str, object]:
    return load_mix.measure(
        target,
        duration=duration,
        clients=args.clients,
        threads=args.threads,
        post_share=args.post_share,
        timeout=args.timeout,
    )


def threadline(args: argparse.Namespace, **setup: object) -> dict[str, object]:
    keys = ("comments", "clients", "threads", "post_share", "timeout", "broker", "read_query")
    options = {k: getattr(args, k) for k in keys}
    ns = argparse.Namespace(duration=args.duration, logs="", **options, **setup)
    result = load_mix.run(ns)
    result["mode"] = f"{result['mode']}, {result.pop('web_processes')} web"
    return result


def production_case(args: argparse.Namespace) -> dict[str, object]:
    return threadline(args, web=2, worker=1, postgres=args.postgres, redis=args.redis)


def embedded_case(args: argparse.Namespace) -> dict[str, object]:
    return threadline(args, web=1, worker=0, postgres="", redis="")


@contextmanager
def isso_server(args: argparse.Namespace, port: int) -> Iterator[int]:
    env = {
        **os.environ,
        "KIT": str(args.kit),
        "BENCH_DIR": str(args.bench_dir),
        "ISSO_PORT": str(port),
        "WORKERS": str(args.isso_workers),
    }
    shell = subprocess.Popen(  # noqa: S603
        ["bash", "-c", ISSO_SHELL],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert shell.stdin and shell.stdout
    line = shell.stdout.readline().split()
    if line[:1] != ["ready"]:
        shell.wait(30)
        log = args.bench_dir / f"isso-w{args.isso_workers}.log"
        raise RuntimeError(f"Isso did not start; see {log}")
    try:
        yield int(line[1])
    finally:
        shell.stdin.write("\n")
        shell.stdin.close()
        shell.wait(60)


def isso_case(args: argparse.Namespace) -> dict[str, object]:
    db = args.bench_dir / "data" / "comments.db"
    orig = db.with_name("comments.db.orig")
    if not orig.exists():
        raise RuntimeError(f"{orig} missing: run {args.kit}/setup_isso.sh first")
    uri = f"/bench/t{args.comments}"
    port = servers.free_port()
    shutil.copyfile(orig, db)
    try:
        with isso_server(args, port):
            target = Target((port,), f"/?uri={uri}", f"/new?uri={uri}", "isso")
            result = mix(args, target, args.peer_duration)
    finally:
        shutil.copyfile(orig, db)
    probe = "import importlib.metadata as m; print(m.version('isso'), m.version('gunicorn'))"
    venv_python = args.bench_dir / "venv" / "bin" / "python"
    isso, gunicorn = subprocess.check_output([venv_python, "-c", probe], text=True).split()  # noqa: S603
    return {"mode": f"isso {isso}, gunicorn {gunicorn} -w {args.isso_workers} (sync)", **result}


def nginx_case(args: argparse.Namespace) -> dict[str, object]:
    root = args.bench_dir / "static"
    name = f"thread-{args.comments}.json"
    if not (root / name).exists():
        raise RuntimeError(f"{root / name} missing: run {args.kit}/setup_isso.sh first")
    port = servers.free_port()
    with tempfile.TemporaryDirectory(prefix="tl-nginx-") as prefix:
        conf = Path(prefix) / "nginx.conf"
        conf.write_text(
            NGINX_CONF.format(workers=args.nginx_workers, prefix=prefix, port=port, root=root)
        )
        log = Path(prefix) / "nginx.out"
        proc = servers.Proc(["nginx", "-p", prefix, "-c", str(conf)], dict(os.environ), log)
        proc.start()
        try:
            servers.wait_http(f"http://127.0.0.1:{port}/{name}", timeout=10)
            result = mix(args, Target((port,), f"/{name}"), args.peer_duration)
        finally:
            proc.stop()
    version = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()  # noqa: S607
    mode = f"{version.split(': ')[-1]}, {args.nginx_workers} worker, static file"
    return {"mode": mode, **result, "posts_note": "reads only: posts do not apply"}


RUNNERS: dict[str, Callable[[argparse.Namespace], dict[str, object]]] = {
    "production": production_case,
    "embedded": embedded_case,
    "isso": isso_case,
    "nginx": nginx_case,
}


def ms(values: dict[int, float | None]) -> str:
    if values[50] is None:
        return "none completed"
    return " / ".join(f"{values[p]:g}" for p in (50, 95, 99))


def table(rows: list[dict[str, object]]) -> str:
    lines = [
        "| case | setup | s | requests/s | reads/s | posts/s | read p50 / p95 / p99 ms "
        "| post p50 / p95 / p99 ms | errors by kind | non-2xx | KB per read "
        "| CPU % client / machine |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        if "failed" in r:
            lines.append(f"| {r['case']} | not run: {r['failed']} |" + " |" * 10)
            continue
        errors = ", ".join(f"{k}: {v}" for k, v in r["errors_by_kind"].items()) or "0"
        posts = "n/a" if "posts_note" in r else f"{r['posts_per_s']:g}"
        post_ms = "n/a (reads only)" if "posts_note" in r else ms(r["post_ms"])
        lines.append(
            f"| {r['case']} | {r['mode']} | {r['duration_s']:g} | **{r['requests_per_s']:g}** "
            f"| {r['reads_per_s']:g} | {posts} | {ms(r['read_ms'])} | {post_ms} | {errors} "
            f"| {r['non_2xx']} | {r['read_bytes_mean'] / 1000:.1f} "
            f"| {r['cpu_client_pct']} / {r['cpu_machine_pct']} |"
        )
    return "\n".join(lines)


def notes(args: argparse.Namespace, cases: list[str]) -> str:
    conc = args.clients * args.threads
    said = [
        f"Client: {args.clients} processes × {args.threads} threads = {conc} connections, "
        f"keep-alive, {args.post_share:.0%} posts, timeout {args.timeout:g} s.",
        f"Threadline reads GET /api/v1/stories/N/comments?{args.read_query} of a "
        f"{args.comments}-comment story; the peers return the whole thread on every read "
        "(see KB per read).",
    ]
    if {"isso", "nginx"} & set(cases):
        said.append(
            f"Peers ran {args.peer_duration:g} s (--peer-duration), Threadline {args.duration:g} s "
            "(--duration): Isso reads a 1,000-comment thread at about 2 requests/s, so its "
            "case may be shorter than Threadline's."
        )
    if "isso" in cases:
        said.append(
            "Isso's sync gunicorn workers close the connection after each response; a read "
            "still running at the end counts, so the case lasts up to the client timeout longer."
        )
    if "nginx" in cases:
        said.append("nginx serves a saved response file: reads only, posts do not apply.")
    said.append(
        "requests/s = requests completed / wall time of the case; errors = exceptions plus "
        "non-2xx answers (HTTP nnn), split into read and post; TimeoutError = no answer "
        f"within {args.timeout:g} s (the server may still do that work)."
    )
    said.append(
        f"CPU in % of one core ({os.cpu_count()} cores = {100 * (os.cpu_count() or 1)} %): "
        "the client processes / the whole machine; machine minus client is the servers plus "
        "any other job (check load_avg_before in the JSON lines)."
    )
    return "\n".join(f"- {s}" for s in said)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=600, help="Threadline cases, s")
    parser.add_argument("--peer-duration", type=float, default=120, help="peer cases, s")
    parser.add_argument("--cases", default=",".join(CASES), help="comma-separated subset")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--broker", default="", help="Celery broker (default: --redis)")
    parser.add_argument("--kit", type=Path, default=ROOT.parent / "shared" / "bench")
    parser.add_argument("--bench-dir", type=Path, default=ROOT / "bench" / "work")
    parser.add_argument("--isso-workers", type=int, default=1)
    parser.add_argument("--nginx-workers", type=int, default=1)
    load_mix.add_mix_options(parser)
    args = parser.parse_args()
    args.kit, args.bench_dir = args.kit.resolve(), args.bench_dir.resolve()
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    if unknown := set(cases) - set(CASES):
        parser.error(f"unknown cases {sorted(unknown)}; choose from {', '.join(CASES)}")
    print(f"# {time.strftime('%Y-%m-%dT%H:%M:%S%z')}, {os.cpu_count()} CPUs", flush=True)
    rows: list[dict[str, object]] = []
    for case in cases:
        row: dict[str, object] = {"case": case, "load_avg_before": os.getloadavg()[0]}
        try:
            row.update(RUNNERS[case](args))
        except Exception as exc:  # noqa: BLE001 - report the case and go on to the next
            row["failed"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
        rows.append(row)
        print(json.dumps(row), flush=True)
    print()
    print(table(rows))
    print()
    print(notes(args, cases))


if __name__ == "__main__":
    main()
