#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# Make this machine ready to run or test carto-concertation. Idempotent: each step
# checks first and does only what is missing. Used by `make run` and `make test`.
#   - Debian packages (PostgreSQL 15 + PostGIS 3, GDAL/GEOS/PROJ, Redis, Node.js, Chromium…)
#   - PostgreSQL and Redis started when none answers at DATABASE_URL / REDIS_URL
#   - the database role, the database and the postgis extension
#   - the virtual environment from requirements.lock, the front-end assets from package-lock.json
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

DEBIAN_PACKAGES=(
  postgresql-15 postgresql-15-postgis-3 postgresql-client-15 postgresql-contrib
  gdal-bin libgdal32 libgeos-c1v5 libproj25 binutils
  redis-server redis-tools
  python3 python3-venv python3-dev gcc gettext
  chromium fonts-dejavu-core
  caddy  # make run's front: routes /tiles/* to the tiles' process (scripts/serve.sh)
  wrk  # make bench's HTTP load generator
)

install_debian_packages() {
  local missing=()
  for pkg in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  # Node.js may come from Debian or from NodeSource: what matters is npm on the PATH.
  command -v npm >/dev/null || missing+=(nodejs npm)
  if ((${#missing[@]})); then
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

start_postgresql() {
  if pg_isready -q -h "$DB_HOST" -p "$DB_PORT"; then return; fi
  is_local_host "$DB_HOST" || die "PostgreSQL does not answer at $DB_HOST:$DB_PORT (DATABASE_URL)."
  say "starting the local PostgreSQL 15 cluster"
  if ! pg_lsclusters -h | grep -q '^15 \+main'; then as_root pg_createcluster 15 main --port "$DB_PORT"; fi
  as_root pg_ctlcluster --skip-systemctl-redirect 15 main start
  record_started postgresql
  for _ in $(seq 30); do pg_isready -q -h "$DB_HOST" -p "$DB_PORT" && return; sleep 1; done
  die "PostgreSQL did not start."
}

# Run SQL as the cluster's superuser: through the local socket as the postgres system
# user where we can, else over TCP as postgres (trust or .pgpass set-ups).
psql_admin() {
  if [ "$(id -u)" = 0 ] && id postgres >/dev/null 2>&1; then
    runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt -p "$DB_PORT" "$@"
  elif command -v sudo >/dev/null && id postgres >/dev/null 2>&1; then
    sudo -u postgres psql -v ON_ERROR_STOP=1 -qAt -p "$DB_PORT" "$@"
  else
    psql -v ON_ERROR_STOP=1 -qAt -h "$DB_HOST" -p "$DB_PORT" -U postgres "$@"
  fi
}

prepare_database() {
  if ! PGPASSWORD="$DB_PASSWORD" psql -qAt -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres \
      -c 'select 1' >/dev/null 2>&1; then
    is_local_host "$DB_HOST" || die "cannot log in to PostgreSQL as $DB_USER (DATABASE_URL)."
    say "creating the PostgreSQL role $DB_USER"
    # Superuser on a local machine only: the test runner creates test databases with
    # the postgis extension. Production uses its own role (docker-compose.yml).
    psql_admin -d postgres -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
        CREATE ROLE \"$DB_USER\" LOGIN SUPERUSER PASSWORD '$DB_PASSWORD';
      ELSE ALTER ROLE \"$DB_USER\" LOGIN SUPERUSER PASSWORD '$DB_PASSWORD'; END IF; END \$\$;"
  fi
  local dbpsql=(env PGPASSWORD="$DB_PASSWORD" psql -v ON_ERROR_STOP=1 -qAt -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER")
  if [ "$("${dbpsql[@]}" -d postgres -c "select 1 from pg_database where datname = '$DB_NAME'")" != 1 ]; then
    say "creating the database $DB_NAME"
    "${dbpsql[@]}" -d postgres -c "CREATE DATABASE \"$DB_NAME\""
  fi
  "${dbpsql[@]}" -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pg_trgm;"
}

start_redis() {
  if redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then return; fi
  is_local_host "$REDIS_HOST" || die "Redis does not answer at $REDIS_URL (REDIS_URL)."
  say "starting a local Redis on port $REDIS_PORT"
  mkdir -p .run/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$PWD/.run/redis" --logfile "$PWD/.run/redis/redis.log" --pidfile "$PWD/.run/redis/redis.pid"
  record_started redis
  for _ in $(seq 20); do redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1 && return; sleep 0.5; done
  die "Redis did not start."
}

install_virtualenv() {
  local stamp=.venv/.requirements.sha256 want
  want=$(sha256sum requirements.lock | cut -d' ' -f1)
  if [ -x .venv/bin/python ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return; fi
  say "installing the Python environment from requirements.lock"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
  echo "$want" >"$stamp"
}

build_frontend() {
  local stamp=frontend/node_modules/.lock.sha256 want
  want=$(sha256sum frontend/package-lock.json | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "installing the front-end packages from package-lock.json"
    (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi
  # The build only copies files (no bundler): always run it, so dist/ follows src/.
  (cd frontend && npm run --silent build >/dev/null)
}

compile_translations() {
  .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=frontend -v 0
}

install_debian_packages
start_postgresql
prepare_database
start_redis
install_virtualenv
build_frontend
compile_translations
say "ready: PostgreSQL $DB_HOST:$DB_PORT/$DB_NAME, Redis $REDIS_URL"
