#!/usr/bin/env bash
# Threadline beside Isso and nginx, in one run, with ../shared/bench's kit.
#   bash bench/run_all.sh | tee bench/work/results.txt
# Knobs: TL_WORKERS ("1 2"), DURATION (20), CONC (16,64), SIZES (10,100,1000,10000),
# POST_COUNT (1000), POST_CONC (8), PEERS (1: also run Isso on size 1000 and nginx),
# PAGE_SIZES (1000,10000: the threads whose first page is read).
# Needs wrk and nginx-light (Debian), and ../shared/bench.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KIT=${KIT:-$ROOT/../shared/bench}
export BENCH_DIR=${BENCH_DIR:-$ROOT/bench/work}
source "$KIT/isso_lib.sh"
TL_WORKERS=${TL_WORKERS:-1 2}
DURATION=${DURATION:-20}
CONC=${CONC:-16,64}
SIZES=${SIZES:-10,100,1000,10000}
POST_COUNT=${POST_COUNT:-1000}
POST_CONC=${POST_CONC:-8}
PEERS=${PEERS:-1}
TL_PORT=${TL_PORT:-9000}
PY=${PY:-$ROOT/.venv/bin/python}
TL_DATA=$BENCH_DIR/tl
SERVER_PID=""
trap 'if [ -n "$SERVER_PID" ]; then stop_pid "$SERVER_PID"; fi' EXIT

[ -f "$BENCH_DIR/data/comments.db.orig" ] || bash "$KIT/setup_isso.sh" >&2

# Load the very same threads into Threadline once; keep a pristine copy.
if [ ! -f "$TL_DATA/pristine.sqlite3" ]; then
  rm -rf "$TL_DATA"; mkdir -p "$TL_DATA"
  (cd "$ROOT" && THREADLINE_DATA_DIR=$TL_DATA THREADLINE_SCORERS=none $PY manage.py migrate -v0 \
    && THREADLINE_DATA_DIR=$TL_DATA THREADLINE_SCORERS=none $PY bench/load_threadline.py "$BENCH_DIR/data/threads" >&2)
  cp "$TL_DATA/threadline.sqlite3" "$TL_DATA/pristine.sqlite3"
fi

start_threadline() {  # WORKERS
  cp "$TL_DATA/pristine.sqlite3" "$TL_DATA/threadline.sqlite3"
  rm -f "$TL_DATA/threadline.sqlite3-wal" "$TL_DATA/threadline.sqlite3-shm"
  # Posts come from many addresses behind one trusted proxy (bench.py --spread-ips), so
  # they are published, scored by the whole pipeline, rather than held by the flood rule.
  (cd "$ROOT" && exec env THREADLINE_DATA_DIR=$TL_DATA THREADLINE_RATE_LIMIT_POST_IP= \
    THREADLINE_RATE_LIMIT_POST_AUTHOR= THREADLINE_TRUSTED_PROXIES=1 $PY manage.py serve --port "$TL_PORT" --workers "$1" \
    >"$BENCH_DIR/threadline-w$1.log" 2>&1) &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$TL_PORT/healthz" && return 0; sleep 0.2; done
  echo "threadline did not start" >&2; return 1
}

BENCH=(python3 "$KIT/bench.py" --duration "$DURATION")
echo "# $(date -u +%FT%TZ) threadline $(git -C "$ROOT" rev-parse --short HEAD), $(nproc) cpus"
for w in $TL_WORKERS; do
  wait_idle 120
  start_threadline "$w"
  "${BENCH[@]}" --label "threadline-w$w" --base "http://127.0.0.1:$TL_PORT" \
    --get-template '{base}/api/v1/stories/{size}/comments?limit=20000&depth=100' \
    --sizes "$SIZES" --conc "$CONC" --pids "$SERVER_PID"
  "${BENCH[@]}" --label "threadline-w$w-page50" --base "http://127.0.0.1:$TL_PORT" \
    --get-template '{base}/api/v1/stories/{size}/comments?limit=50' \
    --sizes "${PAGE_SIZES:-1000,10000}" --conc "$CONC" --pids "$SERVER_PID"
  if [ "$POST_COUNT" -gt 0 ]; then
    "${BENCH[@]}" --label "threadline-w$w" --base "http://127.0.0.1:$TL_PORT" --skip-get \
      --post-template '{base}/api/v1/stories/1/comments' \
      --post-body '{"body":"$text","author_name":"$author","author_email":"$email","parent_id":"$parent"}' \
      --id-field id --post-count "$POST_COUNT" --post-conc "$POST_CONC" --pids "$SERVER_PID" \
      --spread-ips
  fi
  stop_pid "$SERVER_PID"; SERVER_PID=""
done

if [ "$PEERS" = 1 ]; then
  WORKERS=${ISSO_WORKERS:-1} SIZES=1000 STATIC_WORKERS="1 2" PY_STATIC=0 DURATION=$DURATION \
    CONC=$CONC POST_COUNT=$POST_COUNT POST_CONC=$POST_CONC WAIT_IDLE=120 TRIES=1 \
    bash "$KIT/run_isso_baseline.sh"
fi
