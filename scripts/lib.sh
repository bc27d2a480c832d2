# SPDX-License-Identifier: AGPL-3.0-or-later
# Shared by the scripts: configuration from the environment, with the settings' defaults.
: "${DATABASE_URL:=postgis://carto:carto@127.0.0.1:5432/carto_concertation}"
: "${REDIS_URL:=redis://127.0.0.1:6379/0}"
export DATABASE_URL REDIS_URL

say() { printf '\033[1m[carto]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[carto] %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

is_local_host() { case "$1" in localhost|127.*|::1|"") return 0 ;; *) return 1 ;; esac; }

# Services this run started, so that `make run` stops them again on Ctrl-C.
record_started() { mkdir -p .run; echo "$1" >>.run/started-services; }

# Split the URLs into the parts psql, pg_isready and redis-cli take.
eval "$(python3 - <<'PY'
import os, shlex
from urllib.parse import urlsplit, unquote
db = urlsplit(os.environ["DATABASE_URL"])
redis = urlsplit(os.environ["REDIS_URL"])
values = {
    "DB_HOST": db.hostname or "127.0.0.1", "DB_PORT": db.port or 5432,
    "DB_USER": unquote(db.username or "postgres"), "DB_PASSWORD": unquote(db.password or ""),
    "DB_NAME": db.path.lstrip("/"), "REDIS_HOST": redis.hostname or "127.0.0.1",
    "REDIS_PORT": redis.port or 6379,
}
print("\n".join(f"{k}={shlex.quote(str(v))}" for k, v in values.items()))
PY
)"
