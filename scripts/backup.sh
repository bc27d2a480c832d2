#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# `make backup`: one backup of the database and of the uploaded files, in a directory
# of its own under BACKUP_DIR (default ./backups) named <database>-<UTC time>:
#   database.dump  pg_dump -Fc of the database named by DATABASE_URL
#   media.tar.gz   MEDIA_ROOT
#   manifest.json  date, database, PostgreSQL and PostGIS versions, git commit, the rows
#                  of each table (read in the dump's own snapshot), and the size and
#                  SHA-256 of each file, which scripts/restore.sh checks first
# then keeps the BACKUP_KEEP (default 14) newest backups of that database and removes the
# older ones. The settings are read as manage.py reads them (.run/env, then the
# environment, then settings.py's defaults). scripts/restore.sh sources this file for
# the functions above the last line. See docs/operations.md.
set -euo pipefail
: "${CALLER_PWD:=$PWD}"  # a relative BACKUP_DIR is read from where the command was typed
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=.venv/bin/python
# The rows of every table of the project (every schema but the system's, not the tables
# that belong to an extension, such as PostGIS's spatial_ref_sys): schema, table, rows.
# Plain SQL, so that it runs in a read-only transaction.
TABLE_ROWS_SQL="SELECT n.nspname, c.relname,
    (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM ONLY %I.%I',
      n.nspname, c.relname), false, true, '')))[1]::text::bigint
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
    AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                    AND d.objid = c.oid AND d.deptype = 'e')
  ORDER BY 1, 2"
# The rows pg_dump keeps of the extensions' configuration tables (those its condition
# selects: PostGIS's spatial_ref_sys entries of one's own…): schema, table, rows. A
# restore leaves out the ones with none (a role that is no superuser may not write them).
EXTENSION_ROWS_SQL="SELECT n.nspname, c.relname,
    (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM ONLY %I.%I %s',
      n.nspname, c.relname, coalesce(e.extcondition[i], '')), false, true, '')))[1]::text::bigint
  FROM pg_extension e, generate_subscripts(e.extconfig, 1) AS i, pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = e.extconfig[i] AND c.relkind = 'r'
  ORDER BY 1, 2"
# Files of MEDIA_ROOT that are no upload: Celery beat's schedule (docker-compose.yml).
MEDIA_IGNORED='.celerybeat-schedule*'

# The database and MEDIA_ROOT the application would use, from its settings: exports
# DB_NAME, DB_CONNINFO (libpq keywords, the URL's query options included, no password),
# PGPASSWORD and MEDIA_ROOT, and sources scripts/lib.sh (say, die).
read_settings() {
  [ -x "$PY" ] || { echo "[carto] $PY is missing: run make provision first." >&2; exit 1; }
  local assignments
  # Before lib.sh, whose defaults would hide .run/env's values from the settings.
  assignments=$("$PY" - <<'EOF'
import os
import shlex
from pathlib import Path

import environ

# As manage.py: what `make run` served with, the shell's own variables first.
if Path(".run/env").is_file():
    environ.Env.read_env(".run/env")
# settings.py demands a key when DEBUG is off; these scripts sign nothing.
os.environ.setdefault("SECRET_KEY", "unused-by-the-backup-scripts")
from carto_concertation import settings  # noqa: E402

db = settings.DATABASES["default"]
NOT_LIBPQ = {"pool", "isolation_level", "server_side_binding", "assume_role", "prepare_threshold"}
words = {"dbname": db["NAME"], "host": db.get("HOST"), "port": db.get("PORT"), "user": db.get("USER")}
words |= {k: v for k, v in db.get("OPTIONS", {}).items() if k not in NOT_LIBPQ}


def quoted(value):
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


conninfo = " ".join(f"{k}={quoted(v)}" for k, v in words.items() if v not in (None, ""))
print(f"DB_NAME={shlex.quote(db['NAME'])}")
print(f"DB_HOST={shlex.quote(str(db.get('HOST') or 'localhost'))}")
print(f"DB_CONNINFO={shlex.quote(conninfo)}")
print(f"DB_PASSWORD_SET={shlex.quote(db.get('PASSWORD') or '')}")
print(f"MEDIA_ROOT={shlex.quote(str(Path(settings.MEDIA_ROOT).resolve()))}")
EOF
  ) || { echo "[carto] cannot read the settings (DATABASE_URL, MEDIA_ROOT): see above." >&2; exit 1; }
  source scripts/lib.sh
  eval "$assignments"
  # The password through the environment, never on a command line (ps shows those).
  if [ -n "$DB_PASSWORD_SET" ]; then export PGPASSWORD=$DB_PASSWORD_SET; fi
  unset DB_PASSWORD_SET
  export DB_NAME DB_CONNINFO MEDIA_ROOT
  local tool
  for tool in pg_dump pg_restore psql tar flock; do
    command -v "$tool" >/dev/null || die "$tool is missing: run make provision first."
  done
}

# psql on the application's database: no psqlrc, stop at the first error.
db_psql() { psql -X -v ON_ERROR_STOP=1 -d "$DB_CONNINFO" "$@"; }

# $1: what to do about it, said after the error.
db_reachable() {
  local error
  error=$(db_psql -qAt -c 'SELECT 1' 2>&1 >/dev/null) ||
    die "cannot reach the database $DB_NAME on $DB_HOST (DATABASE_URL): ${error}${1:+ $1}"
}

# The name of a backup of the database (retention counts those only).
backup_prefix() { printf '%s-' "${DB_NAME//[^A-Za-z0-9_.-]/_}"; }
BACKUP_STAMP_GLOB='[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9]Z'

# The query's lines from the snapshot session (read until the marker psql echoes).
snapshot_query() {
  printf '%s;\n\\echo __end__\n' "$1" >&"${SNAPSHOT[1]}"
  local line
  while IFS= read -r line <&"${SNAPSHOT[0]}"; do
    [ "$line" = __end__ ] && return 0
    case "$line" in
      *ERROR:* | *FATAL:* | "psql: error"*) die "PostgreSQL: $line" ;;
      NOTICE:* | WARNING:* | psql:*) continue ;;  # said by the server, not rows
    esac
    printf '%s\n' "$line"
  done
  die "the database session ended during the backup."
}

backup_main() {
  read_settings
  local dir=${BACKUP_DIR:-backups} keep=${BACKUP_KEEP:-14}
  # The default is the checkout's; `make` runs there, so its relative paths are too.
  if [ -n "${BACKUP_DIR-}" ]; then dir=$(cd "$CALLER_PWD" && realpath -m -- "$dir"); fi
  if ! [[ $keep =~ ^[0-9]+$ ]] || ((keep < 1)); then
    die "BACKUP_KEEP must be a whole number of backups, 1 or more (it is: $keep)."
  fi
  db_reachable "No backup was written."
  case "$(realpath -m -- "$dir")/" in
    "$MEDIA_ROOT"/*) die "BACKUP_DIR $dir is inside MEDIA_ROOT $MEDIA_ROOT: each backup would hold the ones before. Choose another BACKUP_DIR." ;;
  esac
  # Backups hold personal data (accounts, e-mail addresses): for their owner only.
  umask 077
  mkdir -p "$dir" || die "cannot create BACKUP_DIR $dir."
  [ -e "$dir/.gitignore" ] || echo '*' >"$dir/.gitignore"  # never committed by mistake
  exec 9>"$dir/.lock"
  flock -n 9 || die "another backup is writing into $dir: try again when it has ended."
  local prefix name work final
  prefix=$(backup_prefix)
  name="$prefix$(date -u +%Y%m%dT%H%M%SZ)"
  final="$dir/$name"
  [ ! -e "$final" ] || die "$final exists already: one backup per second at most."
  # Written aside, then renamed: a backup that is there is whole. What a run killed
  # before the rename left is removed here (the lock above says none is running).
  rm -rf "$dir/.$prefix"*.partial
  work="$dir/.$name.partial"
  mkdir "$work"
  # shellcheck disable=SC2064  # the path now: this function's locals are gone at exit
  trap "rm -rf $(printf %q "$work")" EXIT

  # One transaction gives pg_dump its snapshot and counts the rows in it, so that the
  # manifest's counts are the dump's even while the site keeps being written to.
  coproc SNAPSHOT { psql -X -qAt -F $'\t' -v ON_ERROR_STOP=0 -d "$DB_CONNINFO" 2>&1; }
  local snapshot
  # Through a file, not $( ): the coprocess's descriptors belong to this shell.
  snapshot_query "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY; SELECT pg_export_snapshot()" \
    >"$work/.snapshot"
  snapshot=$(<"$work/.snapshot")
  [[ $snapshot =~ ^[0-9A-F]+-[0-9A-F]+-[0-9]+$ ]] || die "no snapshot from PostgreSQL: $snapshot"
  snapshot_query "SELECT current_setting('server_version'), coalesce((SELECT extversion FROM pg_extension WHERE extname = 'postgis'), ''),
    coalesce((SELECT string_agg(extname || '=' || extversion, ' ' ORDER BY extname) FROM pg_extension WHERE extname <> 'plpgsql'), '')" \
    >"$work/.versions"
  snapshot_query "$TABLE_ROWS_SQL" >"$work/.tables"
  snapshot_query "$EXTENSION_ROWS_SQL" >"$work/.extension-tables"
  say "dumping the database $DB_NAME"
  pg_dump -Fc --snapshot="$snapshot" -d "$DB_CONNINFO" -f "$work/database.dump" ||
    die "pg_dump failed: see above. No backup was written."
  printf 'COMMIT;\n\\q\n' >&"${SNAPSHOT[1]}"
  wait "$SNAPSHOT_PID" 2>/dev/null || true

  say "archiving MEDIA_ROOT $MEDIA_ROOT"
  if [ -d "$MEDIA_ROOT" ]; then
    # GNU tar exits 1 for a file changed while read (an upload in progress): kept, said.
    local status=0
    tar -C "$MEDIA_ROOT" --exclude="./$MEDIA_IGNORED" -czf "$work/media.tar.gz" . || status=$?
    ((status <= 1)) || die "tar failed on MEDIA_ROOT $MEDIA_ROOT: see above. No backup was written."
    ((status == 0)) || say "warning: a file of MEDIA_ROOT changed while it was archived (see above)."
  else
    say "MEDIA_ROOT $MEDIA_ROOT does not exist: the media archive is empty."
    tar -czf "$work/media.tar.gz" -T /dev/null
  fi

  local summary
  summary=$(BACKUP_NAME=$name BACKUP_COMMIT=$(git rev-parse HEAD 2>/dev/null || echo unknown) \
    "$PY" - "$work" <<'EOF'
import datetime
import hashlib
import json
import os
import sys
import tarfile
from pathlib import Path

work = Path(sys.argv[1])
server, postgis, extensions = (work / ".versions").read_text().rstrip("\n").split("\t")


def rows_of(name: str) -> list[list[str]]:
    return [line.split("\t") for line in (work / name).read_text().splitlines() if line]


tables = rows_of(".tables")


def described(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return {"bytes": path.stat().st_size, "sha256": digest.hexdigest()}


with tarfile.open(work / "media.tar.gz") as archive:
    media = [m for m in archive.getmembers() if m.isfile()]
manifest = {
    "format": "carto-concertation-backup 1",
    "name": os.environ["BACKUP_NAME"],
    "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    "database": {
        "name": os.environ["DB_NAME"],
        "postgresql": server,
        "postgis": postgis,
        "extensions": dict(e.split("=", 1) for e in extensions.split()),
    },
    "git_commit": os.environ["BACKUP_COMMIT"],
    "media_root": os.environ["MEDIA_ROOT"],
    "media": {"files": len(media), "bytes": sum(m.size for m in media)},
    "tables": {},  # schema: {table: rows}
    "extension_tables": {},  # the rows pg_dump keeps of the extensions' configuration
    "files": {name: described(work / name) for name in ("database.dump", "media.tar.gz")},
}
for schema, table, rows in tables:
    manifest["tables"].setdefault(schema, {})[table] = int(rows)
for schema, table, rows in rows_of(".extension-tables"):
    manifest["extension_tables"].setdefault(schema, {})[table] = int(rows)
(work / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
rows = sum(int(n) for _, _, n in tables)
size = sum(f["bytes"] for f in manifest["files"].values())
print(f"{len(tables)} tables, {rows} rows; {len(media)} media files; {size / 1e6:.1f} MB in all")
EOF
  ) || die "the manifest could not be written: see above. No backup was written."
  rm -f "$work/.snapshot" "$work/.versions" "$work/.tables" "$work/.extension-tables"
  mv "$work" "$final"
  trap - EXIT
  say "backup written: $final ($summary)"

  # Retention: the newest $keep backups of this database stay (names sort by time).
  local old=() entry
  while IFS= read -r entry; do old+=("$entry"); done < <(
    find "$dir" -mindepth 1 -maxdepth 1 -type d -name "$prefix$BACKUP_STAMP_GLOB" -printf '%f\n' |
      sort -r | tail -n +"$((keep + 1))"
  )
  for entry in "${old[@]}"; do
    rm -rf "${dir:?}/$entry"
    say "removed the older backup $dir/$entry (BACKUP_KEEP=$keep)"
  done
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then backup_main "$@"; fi
