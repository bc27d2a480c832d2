# SPDX-License-Identifier: AGPL-3.0-or-later
"""The image installs only what the hashed locks say, and `make audit`
(scripts/audit_dependencies.py) fails on a vulnerable package no exception explains, on
an exception past its date, on a service that does not answer and on a package left
unaudited. pip-audit itself runs against a fake OSV service on the loopback; npm's
report, which cannot be pointed elsewhere, is judged from recorded answers."""

import importlib.util
import json
import re
import shlex
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
_spec = importlib.util.spec_from_file_location(
    "audit_dependencies", ROOT / "scripts" / "audit_dependencies.py"
)
audit = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit)

TODAY = date(2026, 12, 6)
HASH = "--hash=sha256:" + "0" * 64
FAKE_LOCK = f"django==4.2.0 \\\n    {HASH}\nidna==3.0 \\\n    {HASH}\n"
ADVISORY = {
    "id": "GHSA-faux-0000-0001",
    "aliases": ["CVE-2099-0001"],
    "summary": "A fake advisory",
    "affected": [
        {
            "package": {"name": "django", "ecosystem": "PyPI"},
            "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "4.2.1"}]}],
        }
    ],
}


# --- The image -----------------------------------------------------------------------


def _commands(dockerfile: str) -> list[str]:
    """The shell commands of the Dockerfile's RUN instructions, one per && or ;."""
    joined = re.sub(r"\\\n", " ", dockerfile)
    runs = [line[4:] for line in joined.splitlines() if line.startswith("RUN ")]
    return [c.strip() for run in runs for c in re.split(r"&&|;", run) if c.strip()]


def test_the_image_installs_only_from_the_hashed_locks():
    commands = _commands((ROOT / "Dockerfile").read_text())
    installs = [c for c in commands if re.search(r"\b(pip3?|uv|easy_install|yarn|pnpm)\b", c)]
    npm = [shlex.split(c)[:2] for c in commands if c.startswith("npm ")]
    assert installs == ["pip install --no-cache-dir --require-hashes -r requirements-runtime.lock"]
    # npm ci installs package-lock.json as it is (and fails when package.json differs).
    assert npm and all(args[1] in ("ci", "run") for args in npm), npm
    lock = (ROOT / "requirements-runtime.lock").read_text()
    pinned = re.findall(r"^[A-Za-z0-9][^\s=]*==\S+ \\\n((?:\s+--hash=\S+(?: \\)?\n)+)", lock, re.M)
    assert len(pinned) == len(audit.locked_packages(lock)) > 50


# --- Python: pip-audit against a fake OSV service ---------------------------------------


@contextmanager
def fake_osv(*, status: int = 200) -> Iterator[str]:
    """OSV's /v1/query on the loopback: the advisory above for django 4.2.0, nothing for
    the rest; or ``status`` for every query (a service in trouble)."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            body = b"{}"
            if (query["package"]["name"], query["version"]) == ("django", "4.2.0"):
                body = json.dumps({"vulns": [ADVISORY]}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/v1/query"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fake_lock(tmp_path) -> Path:
    path = tmp_path / "fake.lock"
    path.write_text(FAKE_LOCK)
    return path


def exemption(revisit: date, id_: str = "CVE-2099-0001") -> audit.Exemption:
    return audit.Exemption(
        id=id_, ecosystem="python", package="django", reason="Not reached.", revisit=revisit
    )


def test_a_vulnerable_locked_package_fails_the_audit_unless_explained(fake_lock):
    with fake_osv() as url:
        unexplained = audit.lock_problems(fake_lock, [], TODAY, url)
        explained = audit.lock_problems(fake_lock, [exemption(date(2027, 1, 31))], TODAY, url)
        expired = audit.lock_problems(fake_lock, [exemption(date(2026, 12, 5))], TODAY, url)
    assert unexplained == [
        # pip-audit names an advisory by its CVE when it has one.
        "fake.lock: django 4.2.0 has CVE-2099-0001 / GHSA-faux-0000-0001"
        " (fixed in: 4.2.1) and no exception explains it"
    ]
    assert explained == []
    assert expired == [
        "fake.lock: python django: the exception for CVE-2099-0001 was to be revisited"
        " by 2026-12-05"
    ]


def test_every_package_of_both_locks_is_audited():
    """Against a service that knows them all (and of no advisory on them), the project's
    own locks leave nothing unaudited: pip-audit and the script read the same packages."""
    with fake_osv() as url:
        for lock in audit.LOCKS:
            assert audit.lock_problems(ROOT / lock, [], TODAY, url) == [], lock


def test_a_service_in_trouble_fails_the_audit(fake_lock):
    with fake_osv(status=503) as url:
        problems = audit.lock_problems(fake_lock, [], TODAY, url)
    assert len(problems) == 1
    assert problems[0].startswith("pip-audit on fake.lock gave no report")


def test_a_package_the_service_skipped_or_left_out_fails_the_audit():
    """What pip-audit answers here through the PyPI mirror (its JSON API 404s): every
    package skipped, exit 0, "No known vulnerabilities found"."""
    report = {
        "dependencies": [
            {
                "name": "django",
                "skip_reason": "Dependency not found on PyPI and could not be audited: django (4.2.0)",
            }
        ],
        "fixes": [],
    }
    problems = audit.python_problems(
        report, audit.locked_packages(FAKE_LOCK), [], TODAY, "fake.lock"
    )
    assert problems == [
        "fake.lock: django left unaudited (Dependency not found on PyPI and could not be"
        " audited: django (4.2.0))",
        "fake.lock: idna 3.0 left unaudited (not in the report)",
    ]


# --- npm: recorded answers --------------------------------------------------------------


NPM_REPORT = {
    "auditReportVersion": 2,
    "vulnerabilities": {
        "fauxlib": {
            "name": "fauxlib",
            "severity": "high",
            "via": [
                {
                    "source": 1099999,
                    "name": "fauxlib",
                    "title": "Prototype pollution",
                    "url": "https://github.com/advisories/GHSA-faux-0000-0002",
                    "severity": "high",
                    "range": "<1.2.3",
                }
            ],
        },
        "uses-fauxlib": {"name": "uses-fauxlib", "severity": "high", "via": ["fauxlib"]},
    },
    "metadata": {"dependencies": {"prod": 40, "dev": 2, "total": 42}},
}


def test_npm_advisories_fail_the_audit_unless_explained():
    explained = audit.Exemption(
        id="GHSA-faux-0000-0002",
        ecosystem="npm",
        package="fauxlib",
        reason="Only at build time.",
        revisit=date(2027, 1, 31),
    )
    assert audit.npm_problems(NPM_REPORT, [], TODAY) == [
        "frontend: fauxlib <1.2.3 has 1099999 / GHSA-faux-0000-0002 (Prototype pollution)"
        " and no exception explains it"
    ]
    assert audit.npm_problems(NPM_REPORT, [explained], TODAY) == []


def test_npm_answering_an_error_fails_the_audit():
    """npm's answer here: its registry refuses the bulk advisories endpoint."""
    refused = {
        "message": "405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk"
    }
    with pytest.raises(audit.ServiceError, match="405 Method Not Allowed"):
        audit.npm_problems(refused, [], TODAY)
    nothing = {**NPM_REPORT, "vulnerabilities": {}, "metadata": {"dependencies": {"total": 0}}}
    assert audit.npm_problems(nothing, [], TODAY) == [
        "frontend/package-lock.json: npm audit audited no package"
    ]


# --- The exceptions file ----------------------------------------------------------------


def test_an_exception_needs_a_reason_and_a_date():
    exemptions, problems = audit.exemptions_load(
        '[[exception]]\nid = "CVE-1"\necosystem = "python"\npackage = "x"\nrevisit = 2027-01-01\n'
    )
    assert exemptions == []
    assert problems == [
        "exception #1: needs id, ecosystem, package, reason and a revisit date"
        " (missing or wrong: reason)"
    ]
    _kept, none = audit.exemptions_load((ROOT / "security" / "audit-exceptions.toml").read_text())
    assert none == []
