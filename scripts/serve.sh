#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# The site as `make run` serves it (and make bench measures it), until INT or TERM:
# Caddy on HOST:PORT (caddy/run.Caddyfile) in front of two uvicorn servers on Unix
# sockets — one process for the vector tiles (/tiles/*), two for Django (the rest).
# Tiles have their own process because, answered on the event loop of a process whose
# threads run Django's requests, they waited for the GIL: cached tiles' p95 went from
# 1 ms alone to 130 ms among 200 simulated people (docs/operations.md, the sizing).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
PY=.venv/bin/python
export HOST=${HOST:-127.0.0.1}
export PORT=${PORT:-8000}
WEB_WORKERS=${WEB_WORKERS:-2}
# Django's processes yield the cores to the tiles', Caddy and PostgreSQL when they want
# them: with both cores busy, cached tiles' p95 among 200 people went from 70 to 14 ms
# (docs/operations.md). A tile costs 0.14 ms of CPU, a Django answer ~30 ms.
WEB_NICENESS=${WEB_NICENESS:-10}
TILES_WORKERS=${TILES_WORKERS:-1}
# One directory per port (make run and make bench may run at once), readable by this
# user only: whoever can reach the sockets is believed about the client's address.
export SOCKETS=$PWD/.run/serve-$PORT
rm -rf "$SOCKETS"
mkdir -p -m 700 "$SOCKETS"

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$SOCKETS"
}
trap stop INT TERM EXIT

# Each web process: a pool of DATABASE_POOL_SIZE connections, and as many requests in
# Django at once (WEB_CONCURRENT_REQUESTS' default), the others waiting their turn rather
# than failing on the pool. The proxy is Caddy on the socket: its X-Forwarded-For is
# believed (uvicorn knows no address to check on a Unix socket).
uvicorn_on() {
  local socket=$1 workers=$2
  shift 2
  DATABASE_POOL=1 "$@" $PY -m uvicorn carto_concertation.asgi:application \
    --uds "$SOCKETS/$socket" --workers "$workers" --lifespan on --forwarded-allow-ips '*' \
    --timeout-keep-alive 75 &
  pids+=($!)
}
uvicorn_on web.sock "$WEB_WORKERS" nice -n "$WEB_NICENESS"
uvicorn_on tiles.sock "$TILES_WORKERS" env
for _ in $(seq 120); do
  [ -S "$SOCKETS/web.sock" ] && [ -S "$SOCKETS/tiles.sock" ] && break
  sleep 0.5
done
XDG_DATA_HOME=$PWD/.run/caddy XDG_CONFIG_HOME=$PWD/.run/caddy \
  caddy run --adapter caddyfile --config caddy/run.Caddyfile &
pids+=($!)
wait -n "${pids[@]}"
