#!/usr/bin/env bash
# `threadline serve` beside stock servers (gunicorn gthread, granian WSGI) on the same app
# and data: the whole 1,000-comment thread and its first page (5 s at 16 concurrent) and
# 500 posts from many addresses (8 posters, --spread-ips), for 1 and 2 workers.
#   bash bench/stock_servers.sh            (WORKERS="1 2", PORT=9100)
# Needs the data run_all.sh builds (bench/work/tl/pristine.sqlite3) and, for the stock
# servers, `.venv/bin/pip install gunicorn granian` (they are not Threadline dependencies).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
KIT=${KIT:-$ROOT/../shared/bench}
TL=$ROOT/bench/work/tl
PORT=${PORT:-9100}
[ -f "$TL/pristine.sqlite3" ] || { echo "run bash bench/run_all.sh once first" >&2; exit 1; }

measure() {  # LABEL WORKERS COMMAND...
  local label=$1 workers=$2; shift 2
  cp "$TL/pristine.sqlite3" "$TL/threadline.sqlite3"
  rm -f "$TL/threadline.sqlite3-wal" "$TL/threadline.sqlite3-shm"
  (cd "$ROOT" && exec env THREADLINE_DATA_DIR="$TL" THREADLINE_RATE_LIMIT_POST_IP= \
    THREADLINE_RATE_LIMIT_POST_AUTHOR= THREADLINE_TRUSTED_PROXIES=1 \
    THREADLINE_SERVE_PROCESSES="$workers" DJANGO_SETTINGS_MODULE=config.settings \
    "$@" >"$ROOT/bench/work/stock-$label.log" 2>&1) &
  local pid=$!
  for _ in $(seq 1 150); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
  local bench=(python3 "$KIT/bench.py" --duration 5 --base "http://127.0.0.1:$PORT" --pids "$pid")
  "${bench[@]}" --label "$label" --sizes 1000 --conc 16 \
    --get-template '{base}/api/v1/stories/{size}/comments?limit=20000&depth=100' | grep RESULT
  "${bench[@]}" --label "$label-page50" --sizes 1000 --conc 16 \
    --get-template '{base}/api/v1/stories/{size}/comments?limit=50' | grep RESULT
  "${bench[@]}" --label "$label" --skip-get --post-template '{base}/api/v1/stories/1/comments' \
    --post-body '{"body":"$text","author_name":"$author","author_email":"$email","parent_id":"$parent"}' \
    --id-field id --post-count 500 --post-conc 8 --spread-ips | grep RESULT
  kill "$pid"; sleep 1; pkill -P "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
}

for w in ${WORKERS:-1 2}; do
  measure "serve-w$w" "$w" .venv/bin/python manage.py serve --port "$PORT" --workers "$w"
  measure "gunicorn-gthread-w$w" "$w" .venv/bin/gunicorn -k gthread --threads 8 -w "$w" \
    -b "127.0.0.1:$PORT" --keep-alive 30 threadline.server.wsgi:application
  measure "granian-wsgi-w$w" "$w" .venv/bin/granian --interface wsgi --workers "$w" \
    --blocking-threads 8 --host 127.0.0.1 --port "$PORT" threadline.server.wsgi:application
done
