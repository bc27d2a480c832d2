#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
# `make restore FILE=backups/<name>`: put a backup of scripts/backup.sh back into the
# database named by DATABASE_URL and into MEDIA_ROOT, which must hold no data yet (a
# database made by `make provision`, or by `manage.py migrate` alone). In this order:
#   1. the checksums of the manifest (any difference: refused);
#   2. the database holds no row of the project's, MEDIA_ROOT no file (else: refused);
#   3. pg_restore (--no-owner, --no-acl) in ONE transaction, which first checks again
#      that the database is empty and ends by comparing the rows of every table with the
#      manifest's counts: a failure anywhere rolls all of it back;
#   4. the media, unpacked aside first, moved into MEDIA_ROOT once the database is in.
# A refusal or a failure changes nothing. FILE is the backup's directory or its
# manifest.json. `scripts/restore.sh --check FILE` does step 1 only (a copy off the
# machine can be checked so). See docs/operations.md.
set -euo pipefail
CALLER_PWD=$PWD  # FILE (and BACKUP_DIR) are read from where the command was typed
cd "$(dirname "$0")/.."
source scripts/backup.sh

usage() {
  echo "usage: make restore FILE=backups/<name>   (or scripts/restore.sh [--check] <backup directory or its manifest.json>)" >&2
  exit 2
}

# Tables `manage.py migrate` fills by itself: a migrated database with nothing else is
# still empty.
BOOKKEEPING="('django_migrations', 'django_content_type', 'auth_permission')"
NONEMPTY_SQL="SELECT * FROM ($TABLE_ROWS_SQL) AS t (schema, name, rows)
  WHERE rows > 0 AND NOT (schema = 'public' AND name IN $BOOKKEEPING)"

# Step 1, in Python (the manifest is JSON): every file of the manifest is there with
# its size and SHA-256. Prints the manifest's facts as shell assignments.
verify_backup() {
  local python=$PY
  [ -x "$python" ] || python=python3  # --check on a machine without the .venv
  "$python" - "$1" <<'EOF'
import hashlib
import json
import re
import shlex
import sys
from pathlib import Path

backup = Path(sys.argv[1])


def refuse(reason: str) -> None:
    print(f"[carto] {backup}: {reason}. Refused: nothing was changed.", file=sys.stderr)
    sys.exit(1)


try:
    manifest = json.loads((backup / "manifest.json").read_text())
except FileNotFoundError:
    refuse("no manifest.json (FILE is a backup's directory made by make backup)")
except (ValueError, UnicodeDecodeError) as error:
    refuse(f"manifest.json does not parse ({error})")
if not isinstance(manifest, dict) or manifest.get("format") != "carto-concertation-backup 1":
    refuse("manifest.json is not the manifest of a backup of make backup")
expected = manifest.get("files") or {}
for name in ("database.dump", "media.tar.gz"):
    if name not in expected:
        refuse(f"the manifest names no {name}")
for name, facts in expected.items():
    path = backup / name
    if "/" in name or not path.is_file():
        refuse(f"{name} is missing")
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    if path.stat().st_size != facts.get("bytes") or digest.hexdigest() != facts.get("sha256"):
        refuse(f"{name} differs from its checksum in manifest.json (damaged or changed)")
try:
    counts = [
        {"schema": str(schema), "table": str(table), "rows": int(rows)}
        for schema, tables in manifest["tables"].items()
        for table, rows in tables.items()
    ]
    extension_rows = [
        (str(schema), str(table), int(rows))
        for schema, tables in manifest["extension_tables"].items()
        for table, rows in tables.items()
    ]
    extensions = list(manifest["database"]["extensions"])
    if not all(re.fullmatch(r"[a-z0-9_]+", name) for name in extensions):
        refuse("manifest.json names an extension that is no extension name")
    facts = {
        "B_NAME": manifest["name"],
        "B_CREATED": manifest["created"],
        "B_DATABASE": manifest["database"]["name"],
        "B_POSTGIS": manifest["database"]["postgis"],
        "B_EXTENSIONS": " ".join(extensions),
        "B_COMMIT": manifest["git_commit"],
        "B_TABLES": str(len(counts)),
        "B_ROWS": str(sum(t["rows"] for t in counts)),
        "B_MEDIA_FILES": str(int(manifest["media"]["files"])),
        "B_MEDIA_BYTES": str(int(manifest["media"]["bytes"])),
        # Goes into SQL between $json$ quotes: a "$" is written as JSON's escape.
        "B_COUNTS": json.dumps(counts).replace("$", "\\u0024"),
        # The extensions' configuration tables: those with no row in the dump are left
        # out of it (TOC lines), those with rows replace the new extension's own.
        "B_CONFIG_EMPTY": "".join(
            f" TABLE DATA {schema} {table} \n" for schema, table, rows in extension_rows if not rows
        ),
        "B_CONFIG_FILLED": json.dumps(
            [{"schema": s, "table": t} for s, t, rows in extension_rows if rows]
        ).replace("$", "\\u0024"),
    }
except (KeyError, TypeError, ValueError, AttributeError) as error:
    refuse(f"manifest.json lacks what a restore reads ({error!r})")
for key, value in facts.items():
    print(f"{key}={shlex.quote(value)}")
EOF
}

# Step 3's statements, for psql: the guard, the extensions, the dump, the comparison.
restore_sql() {
  local backup=$1 clean=$2 toc=$3 extension
  echo "BEGIN;"
  echo "SET client_min_messages = warning;"  # an error is then the only thing psql says
  echo "DO \$guard\$ BEGIN IF EXISTS ($NONEMPTY_SQL) THEN
    RAISE EXCEPTION 'the database % holds data: a restore goes into an empty database only', current_database();
  END IF; END \$guard\$;"
  # The dump's extensions are created here rather than by the dump, so that the ones
  # provisioning already created (postgis, pg_trgm) are no error and no duplicate; in
  # their own schema or the first of the path (public), as the postgis image makes them.
  for extension in $B_EXTENSIONS; do
    echo "CREATE EXTENSION IF NOT EXISTS \"$extension\" CASCADE;"
  done
  # The rows pg_dump kept of an extension's configuration tables (one's own
  # spatial_ref_sys entries, the tiger geocoder's settings of the postgis image) replace
  # the ones the extension was created with: else the dump's copy would collide with them.
  echo "DO \$config\$ DECLARE r record; BEGIN
    FOR r IN SELECT c.oid::regclass AS config, coalesce(e.extcondition[i], '') AS rows
      FROM pg_extension e, generate_subscripts(e.extconfig, 1) AS i, pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN json_to_recordset(\$json\$$B_CONFIG_FILLED\$json\$) AS x (schema text, \"table\" text)
          ON x.schema = n.nspname AND x.\"table\" = c.relname
      WHERE c.oid = e.extconfig[i] AND c.relkind = 'r' LOOP
      EXECUTE format('DELETE FROM %s %s', r.config, r.rows);
    END LOOP;
  END \$config\$;"
  # --clean: a database made by `migrate` has the tables already (empty).
  local options=(--no-owner --no-acl -L "$toc" -f -)
  if [ "$clean" = 1 ]; then options+=(--clean --if-exists); fi
  pg_restore "${options[@]}" "$backup/database.dump" || return 1
  echo "DO \$counts\$ DECLARE t record; n bigint; wrong text := ''; BEGIN
    FOR t IN SELECT * FROM json_to_recordset(\$json\$$B_COUNTS\$json\$) AS x (schema text, \"table\" text, rows bigint) LOOP
      EXECUTE format('SELECT count(*) FROM ONLY %I.%I', t.schema, t.\"table\") INTO n;
      IF n <> t.rows THEN wrong := wrong || format(' %s.%s holds %s rows, the backup %s;', t.schema, t.\"table\", n, t.rows); END IF;
    END LOOP;
    IF wrong <> '' THEN RAISE EXCEPTION 'the restored rows are not the backup''s:%', wrong; END IF;
  END \$counts\$;"
  # Only after all of the above: if pg_restore failed, psql never reads a COMMIT and the
  # transaction ends rolled back.
  echo "COMMIT;"
}

restore_main() {
  local check_only=0
  if [ "${1-}" = --check ]; then check_only=1 && shift; fi
  if [ $# != 1 ] || [ -z "$1" ]; then usage; fi
  local backup=$1
  case $backup in /*) ;; *) backup=$CALLER_PWD/$backup ;; esac
  if [ -f "$backup" ] && [ "$(basename "$backup")" = manifest.json ]; then backup=$(dirname "$backup"); fi
  [ -d "$backup" ] || { echo "[carto] $backup: no such backup directory. Refused: nothing was changed." >&2; exit 1; }

  # The manifest's facts (verify_backup), read by restore_sql too.
  local B_NAME B_CREATED B_DATABASE B_POSTGIS B_EXTENSIONS B_COMMIT B_TABLES B_ROWS \
    B_MEDIA_FILES B_MEDIA_BYTES B_COUNTS B_CONFIG_EMPTY B_CONFIG_FILLED facts
  facts=$(verify_backup "$backup")
  eval "$facts"
  if ((check_only)); then
    echo "[carto] $backup: whole (every checksum of its manifest holds): $B_TABLES tables, $B_ROWS rows, $B_MEDIA_FILES media files, taken $B_CREATED."
    return 0
  fi
  read_settings
  db_reachable "(make provision creates the database of DATABASE_URL, with PostGIS.) Nothing was changed."
  say "backup $B_NAME, taken $B_CREATED from the database $B_DATABASE: checksums hold"

  local nonempty
  nonempty=$(db_psql -qAt -c "SELECT string_agg(format('%s.%s: %s rows', schema, name, rows), ', ' ORDER BY rows DESC)
      FILTER (WHERE rank <= 5) || CASE WHEN count(*) > 5 THEN format(' and %s more tables', count(*) - 5) ELSE '' END
    FROM (SELECT *, row_number() OVER (ORDER BY rows DESC) AS rank FROM ($NONEMPTY_SQL) AS n) AS ranked")
  if [ -n "$nonempty" ]; then
    die "the database $DB_NAME holds data ($nonempty). A backup is restored into an empty database only (make provision with a new DATABASE_URL, or createdb). Refused: nothing was changed."
  fi
  local media_file
  media_file=$(find "$MEDIA_ROOT" -mindepth 1 ! -type d ! -name "$MEDIA_IGNORED" -print -quit 2>/dev/null || true)
  if [ -n "$media_file" ]; then
    die "MEDIA_ROOT $MEDIA_ROOT holds files already (${media_file#"$MEDIA_ROOT"/}…): the media are restored into an empty MEDIA_ROOT only. Refused: nothing was changed."
  fi

  local clean
  clean=$(db_psql -qAt -c "SELECT count(*) > 0 FROM ($TABLE_ROWS_SQL) AS t" | sed 's/t/1/;s/f/0/')
  local scratch staging undo
  scratch=$(mktemp -d)
  # What a refusal or a failure undoes, written into the trap now (it runs after this
  # function's locals are gone): the scratch files, the media unpacked aside, and
  # MEDIA_ROOT itself if this made it.
  undo="rm -rf $(printf %q "$scratch")"
  [ -d "$MEDIA_ROOT" ] || undo+="; rm -rf $(printf %q "$MEDIA_ROOT")"
  # shellcheck disable=SC2064
  trap "$undo" EXIT
  if ! mkdir -p "$MEDIA_ROOT" || ! staging=$(mktemp -d "$MEDIA_ROOT/.restore-XXXXXX"); then
    die "cannot write into MEDIA_ROOT $MEDIA_ROOT. Refused: nothing was changed."
  fi
  # shellcheck disable=SC2064
  trap "rm -rf $(printf %q "$staging"); $undo" EXIT
  # The dump's table of contents without its extensions (created by restore_sql),
  pg_restore -l "$backup/database.dump" >"$scratch/toc.all" ||
    die "pg_restore cannot read database.dump (see above). Refused: nothing was changed."
  # and without the extensions' configuration tables it holds no row of (writing none
  # into them needs no right a database's owner may lack).
  printf '%s' "$B_CONFIG_EMPTY" >"$scratch/toc.skip"
  grep -Ev '^[0-9]+; [0-9]+ [0-9]+ (EXTENSION - |COMMENT - EXTENSION )' "$scratch/toc.all" |
    grep -vF -f "$scratch/toc.skip" >"$scratch/toc"
  say "unpacking the media aside"
  tar -C "$staging" -xzf "$backup/media.tar.gz" ||
    die "the media archive does not unpack: see above. Refused: nothing was changed."

  say "restoring the database $DB_NAME (one transaction)"
  if ! restore_sql "$backup" "$clean" "$scratch/toc" | db_psql -q >"$scratch/psql.log" 2>&1; then
    cat "$scratch/psql.log" >&2
    die "the restore failed (see above) and was rolled back: the database and MEDIA_ROOT are as they were."
  fi
  find "$staging" -mindepth 1 -maxdepth 1 -exec mv -t "$MEDIA_ROOT" -- {} +
  rmdir "$staging"
  trap - EXIT
  rm -rf "$scratch"
  say "restored in ${SECONDS} s: $B_TABLES tables, $B_ROWS rows, each table's count equal to the backup's, into the database $DB_NAME"
  say "restored: $B_MEDIA_FILES media files ($B_MEDIA_BYTES bytes) into MEDIA_ROOT $MEDIA_ROOT"
  local postgis head
  postgis=$(db_psql -qAt -c "SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
  if [ "$postgis" != "$B_POSTGIS" ]; then
    say "note: PostGIS $postgis here, $B_POSTGIS where the backup was taken (ALTER EXTENSION postgis UPDATE if this one is older)."
  fi
  head=$(git rev-parse HEAD 2>/dev/null || echo unknown)
  if [ "$head" != "$B_COMMIT" ]; then
    say "note: the backup was taken at commit $B_COMMIT, this checkout is at $head: run .venv/bin/python manage.py migrate before serving."
  fi
}

restore_main "$@"
