#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# `make run`: migrate, load the demo territory into an empty database, then serve the
# site (Caddy in front of uvicorn) and run a Celery worker until Ctrl-C, which stops what
# this started.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
export HOST PORT

pids=()
stop() {
  trap - INT TERM EXIT
  say "stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -f .run/started-services ]; then
    while read -r service; do
      case "$service" in
        redis) redis-cli -u "$REDIS_URL" shutdown nosave >/dev/null 2>&1 || true ;;
        postgresql) as_root pg_ctlcluster --skip-systemctl-redirect 15 main stop || true ;;
      esac
    done < <(sort -u .run/started-services)
    rm -f .run/started-services
  fi
}
trap stop INT TERM EXIT

# The static files as production serves them, DEBUG or not: hashed names, Brotli/gzip,
# cached for a year (settings.STATIC_MANIFEST); STATIC_MANIFEST=0 serves frontend/dist as
# it is, for a front-end change in progress.
export STATIC_MANIFEST=${STATIC_MANIFEST:-1}
remember_run_environment
$PY manage.py migrate --noinput -v 0
$PY manage.py collectstatic --noinput -v 0
$PY manage.py load_demo

# The worker runs the schedule too (--beat: the open files nightly and after an import,
# the crowdfunding campaigns' clock): one machine, one scheduler. Production runs beat
# as its own service (docker-compose.yml).
$PY -m celery -A carto_concertation worker --loglevel=INFO --concurrency=2 \
  --beat --schedule .run/celerybeat-schedule &
pids+=($!)
# The web servers: Caddy on HOST:PORT in front of the tiles' process and Django's
# (scripts/serve.sh, which make bench runs too).
scripts/serve.sh &
pids+=($!)

say "carto-concertation: http://$HOST:$PORT/  (admin: http://$HOST:$PORT/admin/, health: /healthz)"
say "Ctrl-C stops the web server and the worker (and its schedule)."
wait -n "${pids[@]}"
