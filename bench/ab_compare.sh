#!/usr/bin/env bash
# Two commits of Threadline, measured alternately with ../shared/bench's bench.py, so that
# a change of a few per cent shows through the machine's run-to-run drift.
#   bash bench/ab_compare.sh OLD NEW [post|get]
# post: 1,000 posts by 8 posters to the 1,000-comment story, every scorer on, each post
# from its own address behind a trusted proxy (as run_all.sh);
# get: the whole 1,000-comment thread at 16 concurrent for 8 s (SIZES, DURATION to change).
# Knobs: RUNS (3), WORKERS (1), EXTRA_ENV (e.g. THREADLINE_SERVER_THREADS=2).
# Needs the data run_all.sh builds (bench/work/tl/pristine.sqlite3) and wrk. The two
# checkouts stay in bench/work/ab/ for the next comparison (rm -rf it, then git worktree prune).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KIT=${KIT:-$ROOT/../shared/bench}
OLD=$1 NEW=$2 MODE=${3:-post}
RUNS=${RUNS:-3} WORKERS=${WORKERS:-1} PORT=${PORT:-9000}
TL=$ROOT/bench/work/tl
[ -f "$TL/pristine.sqlite3" ] || { echo "run bash bench/run_all.sh once first" >&2; exit 1; }

tree() {  # COMMIT -> a worktree of it under bench/work/ab/
  local dir=$ROOT/bench/work/ab/$1
  if [ ! -d "$dir" ]; then
    git -C "$ROOT" worktree add -f --detach "$dir" "$1" >/dev/null
    ln -sfn "$ROOT/.venv" "$dir/.venv"
  fi
  echo "$dir"
}

measure() {  # LABEL DIR
  cp "$TL/pristine.sqlite3" "$TL/threadline.sqlite3"
  rm -f "$TL/threadline.sqlite3-wal" "$TL/threadline.sqlite3-shm"
  (cd "$2" && exec env THREADLINE_DATA_DIR="$TL" THREADLINE_RATE_LIMIT_POST_IP= \
    THREADLINE_RATE_LIMIT_POST_AUTHOR= THREADLINE_TRUSTED_PROXIES=1 ${EXTRA_ENV:-} \
    .venv/bin/python manage.py serve \
    --port "$PORT" --workers "$WORKERS" >"$ROOT/bench/work/ab-$1.log" 2>&1) &
  local pid=$!
  for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
  if [ "$MODE" = post ]; then
    python3 "$KIT/bench.py" --label "$1" --base "http://127.0.0.1:$PORT" --skip-get \
      --post-template '{base}/api/v1/stories/1/comments' \
      --post-body '{"body":"$text","author_name":"$author","author_email":"$email","parent_id":"$parent"}' \
      --id-field id --post-count 1000 --post-conc 8 --spread-ips --pids "$pid" | grep RESULT
  else
    python3 "$KIT/bench.py" --label "$1" --base "http://127.0.0.1:$PORT" \
      --duration "${DURATION:-8}" --sizes "${SIZES:-1000}" --conc 16 --pids "$pid" \
      --get-template '{base}/api/v1/stories/{size}/comments?limit=20000&depth=100' | grep RESULT
  fi
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

A=$(tree "$OLD") B=$(tree "$NEW")
for _ in $(seq 1 "$RUNS"); do
  measure "old-$OLD" "$A"
  measure "new-$NEW" "$B"
done
