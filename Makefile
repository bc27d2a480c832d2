# SPDX-License-Identifier: AGPL-3.0-or-later
# The two commands of the README: `make run` and `make test`. Each provisions what is
# missing on this machine first (scripts/provision.sh), so they work on a fresh Debian 12.
SHELL := /bin/bash
PYTHON := .venv/bin/python
# A local server is a development server unless told otherwise (see README, production).
export DEBUG ?= 1

.PHONY: provision run test bench lint audit migrations-check lock clean backup restore

provision:
	@scripts/provision.sh

run: provision
	@scripts/run.sh

test: provision
	@$(PYTHON) -m ruff check .
	@$(PYTHON) -m ruff format --check .
	@.venv/bin/lint-imports --no-cache --no-logo
	@$(PYTHON) manage.py makemigrations --check --dry-run >/dev/null || \
		{ echo "Model changes without a migration: run manage.py makemigrations <app> --name <what>"; exit 1; }
	@$(PYTHON) manage.py collectstatic --noinput -v 0
	@$(PYTHON) -m pytest

bench: provision
	@$(PYTHON) -m pytest tests/bench -s -q -p no:cacheprovider --override-ini="testpaths=tests/bench" --override-ini="norecursedirs="

lint: provision
	@$(PYTHON) -m ruff check . && $(PYTHON) -m ruff format --check .

# Known vulnerabilities of the locked Python and npm dependencies, exceptions in
# security/audit-exceptions.toml (scripts/audit_dependencies.py). Needs the advisory
# services (PyPI's JSON API, npm's bulk advisories): a CI step, not one of make test's.
audit: provision
	@$(PYTHON) scripts/audit_dependencies.py

# A backup of the database and MEDIA_ROOT into BACKUP_DIR, the BACKUP_KEEP newest kept;
# a restore into an empty database (docs/operations.md). Both read DATABASE_URL and
# MEDIA_ROOT as manage.py does.
export BACKUP_DIR ?= backups
export BACKUP_KEEP ?= 14
backup:
	@scripts/backup.sh

restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=$(BACKUP_DIR)/<name>  (a backup's directory)" >&2; exit 2; }
	@scripts/restore.sh "$(FILE)"

# Regenerate the locks after a change to pyproject.toml (needs uv: pip install uv):
# requirements.lock (runtime and dev, the .venv of make run and make test) and
# requirements-runtime.lock (runtime only, the Docker image), the same versions in both.
LOCK := uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --no-header
lock:
	$(LOCK) --extra dev -o requirements.lock
	$(LOCK) -c requirements.lock -o requirements-runtime.lock

clean:
	rm -rf .venv frontend/node_modules frontend/dist staticfiles .run .pytest_cache
