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

# The variables `make run` serves with, in .run/env: manage.py reads them, so that the
# README's commands, typed afterwards in any shell, reach the same database, Redis and
# mode (the shell's own variables win).
RUN_VARIABLES=(DEBUG SECRET_KEY ALLOWED_HOSTS DATABASE_URL REDIS_URL CACHE_URL
  CELERY_BROKER_URL CELERY_RESULT_BACKEND TILE_CACHE_URL MEDIA_ROOT STATIC_ROOT SITE_URL
  EMAIL_URL SRID STATIC_MANIFEST)
remember_run_environment() {
  mkdir -p .run
  local name
  (
    umask 077  # it may hold SECRET_KEY
    {
      echo "# Written by make run (scripts/run.sh) for manage.py."
      for name in "${RUN_VARIABLES[@]}"; do
        if [ -n "${!name+set}" ]; then printf "%s='%s'\n" "$name" "${!name}"; fi
      done
    } >.run/env
  )
}

# Split the URLs into the parts psql, pg_isready and redis-cli take (plain bash: this
# runs before python3 may be installed).
url_re='^[a-z0-9+]+://(([^:@/]*)(:([^@/]*))?@)?([^:/?]*)(:([0-9]+))?(/([^?]*))?'
[[ $DATABASE_URL =~ $url_re ]] || die "DATABASE_URL is not a URL: $DATABASE_URL"
DB_USER=${BASH_REMATCH[2]:-postgres}
DB_PASSWORD=${BASH_REMATCH[4]}
DB_HOST=${BASH_REMATCH[5]:-127.0.0.1}
DB_PORT=${BASH_REMATCH[7]:-5432}
DB_NAME=${BASH_REMATCH[9]}
[[ $REDIS_URL =~ $url_re ]] || die "REDIS_URL is not a URL: $REDIS_URL"
REDIS_HOST=${BASH_REMATCH[5]:-127.0.0.1}
REDIS_PORT=${BASH_REMATCH[7]:-6379}
