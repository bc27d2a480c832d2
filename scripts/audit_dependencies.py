#!/usr/bin/env python3
# SPDX-License-Identifier: AGPL-3.0-or-later
"""`make audit`: the known vulnerabilities of the locked dependencies.

Python: pip-audit reads each lock (requirements.lock, requirements-runtime.lock) by
hash, installing nothing (``--require-hashes --disable-pip``). Frontend: ``npm audit
--package-lock-only`` reads frontend/package-lock.json. Exceptions are in
security/audit-exceptions.toml, each with its reason and the date to look at it again.

Fails (exit 1, each problem on a line) on a vulnerability no exception explains, on an
exception past its date or without a reason, on a service that did not answer, and on a
locked package left unaudited: pip-audit answers "No known vulnerabilities found" and
exits 0 when its service knew none of the packages (each then has a ``skip_reason``), so
its exit code alone proves nothing. docs/security.md, Dependencies.
"""

import json
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ("requirements.lock", "requirements-runtime.lock")
FRONTEND = ROOT / "frontend"
# OSV's query endpoint (PyPA's advisories, GitHub's and the PYSEC ids): AUDIT_OSV_URL
# points pip-audit at a mirror of it.
OSV_URL = "https://api.osv.dev/v1/query"
# A pinned line of a lock: "name==version \" (its hashes follow).
_PINNED = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)


class ServiceError(Exception):
    """An audit service (or its client) gave no usable answer."""


@dataclass(frozen=True)
class Exemption:
    """One vulnerability accepted for now: its id (or an alias), where, why, until when."""

    id: str
    ecosystem: str  # "python" or "npm"
    package: str
    reason: str
    revisit: date


def normalized(name: str) -> str:
    """A package's name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_packages(lock_text: str) -> dict[str, str]:
    """{normalized name: version} of every pinned package of a lock."""
    return {normalized(name): version for name, version in _PINNED.findall(lock_text)}


def exemptions_load(text: str) -> tuple[list[Exemption], list[str]]:
    """The exceptions of security/audit-exceptions.toml, and what is wrong with them."""
    exemptions, problems = [], []
    for n, entry in enumerate(tomllib.loads(text).get("exception", []), start=1):
        missing = [
            k for k in ("id", "ecosystem", "package", "reason", "revisit") if not entry.get(k)
        ]
        if missing or not isinstance(entry.get("revisit"), date):
            problems.append(
                f"exception #{n}: needs id, ecosystem, package, reason and a revisit date"
                f" (missing or wrong: {', '.join(missing) or 'revisit'})"
            )
            continue
        exemptions.append(
            Exemption(
                id=entry["id"],
                ecosystem=entry["ecosystem"],
                package=normalized(entry["package"]),
                reason=entry["reason"].strip(),
                revisit=entry["revisit"],
            )
        )
    return exemptions, problems


def _explained(
    ecosystem: str, package: str, ids: Iterable[str], exemptions: list[Exemption], today: date
) -> tuple[Exemption | None, str]:
    """The exception that covers one of ``ids`` of this package, and a problem when it
    has expired."""
    ids = set(ids)
    for exemption in exemptions:
        if (exemption.ecosystem, exemption.package) == (ecosystem, package) and exemption.id in ids:
            if exemption.revisit < today:
                return exemption, (
                    f"{ecosystem} {package}: the exception for {exemption.id} was to be"
                    f" revisited by {exemption.revisit.isoformat()}"
                )
            return exemption, ""
    return None, ""


def python_problems(
    report: dict, locked: dict[str, str], exemptions: list[Exemption], today: date, lock: str
) -> list[str]:
    """What pip-audit's JSON report of one lock leaves unexplained."""
    problems = []
    reported = set()
    for dependency in report.get("dependencies", []):
        name = normalized(dependency.get("name", ""))
        reported.add(name)
        if dependency.get("skip_reason"):
            problems.append(f"{lock}: {name} left unaudited ({dependency['skip_reason']})")
            continue
        for vulnerability in dependency.get("vulns", []):
            ids = [vulnerability["id"], *vulnerability.get("aliases", [])]
            exemption, expired = _explained("python", name, ids, exemptions, today)
            if expired:
                problems.append(f"{lock}: {expired}")
            elif exemption is None:
                fixes = ", ".join(vulnerability.get("fix_versions", [])) or "none yet"
                problems.append(
                    f"{lock}: {name} {dependency.get('version')} has {' / '.join(ids)}"
                    f" (fixed in: {fixes}) and no exception explains it"
                )
    for name in sorted(set(locked) - reported):
        problems.append(f"{lock}: {name} {locked[name]} left unaudited (not in the report)")
    return problems


def _advisory_ids(via: dict) -> list[str]:
    """The ids of one npm advisory: its GHSA (the last part of its URL) and its number."""
    ids = [str(via.get("source", ""))]
    if url := via.get("url"):
        ids.append(url.rstrip("/").rsplit("/", 1)[-1])
    return [i for i in ids if i]


def npm_problems(report: dict, exemptions: list[Exemption], today: date) -> list[str]:
    """What ``npm audit --json``'s report leaves unexplained; an error answer is the
    service's failure."""
    if "error" in report or "vulnerabilities" not in report or "metadata" not in report:
        detail = report.get("error", {}).get("summary") or report.get("message") or "no report"
        raise ServiceError(f"npm audit gave no report: {detail}")
    if not report["metadata"].get("dependencies", {}).get("total"):
        return ["frontend/package-lock.json: npm audit audited no package"]
    problems = []
    for name, entry in sorted(report["vulnerabilities"].items()):
        # "via" holds the advisories on the package itself, and the names of the
        # vulnerable packages it depends on (reported on their own).
        for via in entry.get("via", []):
            if not isinstance(via, dict):
                continue
            ids = _advisory_ids(via)
            exemption, expired = _explained("npm", normalized(name), ids, exemptions, today)
            if expired:
                problems.append(f"frontend: {expired}")
            elif exemption is None:
                problems.append(
                    f"frontend: {name} {via.get('range', '')} has {' / '.join(ids)}"
                    f" ({via.get('title', '')}) and no exception explains it"
                )
    return problems


def _last_line(output: str) -> str:
    """What a failed command said last (a traceback's exception line)."""
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1][:500] if lines else "nothing"


def pip_audit(lock: Path, osv_url: str = OSV_URL) -> dict:
    """pip-audit's JSON report of one lock, read by hash, nothing installed, against
    the OSV service at ``osv_url``."""
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        str(lock),
        "--require-hashes",
        "--disable-pip",
        "--vulnerability-service",
        "osv",
        "--osv-url",
        osv_url,
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]
    # The command is ours, its one argument a lock of the repository.
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)  # noqa: S603
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        raise ServiceError(
            f"pip-audit on {lock.name} gave no report (exit {done.returncode}):"
            f" {_last_line(done.stderr)}"
        ) from None
    return report


def npm_audit(frontend: Path) -> dict:
    """npm's report of the frontend lock (it exits 1 when it finds something)."""
    done = subprocess.run(
        ["npm", "audit", "--package-lock-only", "--json"],  # noqa: S607 — npm on PATH, as make finds it
        cwd=frontend,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        raise ServiceError(
            f"npm audit gave no report (exit {done.returncode}): {_last_line(done.stderr)}"
        ) from None


def lock_problems(path: Path, exemptions: list[Exemption], today: date, osv_url: str) -> list[str]:
    """What is wrong with one Python lock: its unexplained vulnerabilities, its packages
    left unaudited, or the service's silence."""
    try:
        report = pip_audit(path, osv_url)
    except ServiceError as error:
        return [str(error)]
    return python_problems(report, locked_packages(path.read_text()), exemptions, today, path.name)


def audit(root: Path = ROOT, today: date | None = None, osv_url: str = OSV_URL) -> list[str]:
    """Every problem of the locks under ``root``, as lines."""
    today = today or date.today()
    exemptions_file = root / "security" / "audit-exceptions.toml"
    exemptions, problems = exemptions_load(exemptions_file.read_text())
    for lock in LOCKS:
        problems += lock_problems(root / lock, exemptions, today, osv_url)
    try:
        problems += npm_problems(npm_audit(root / "frontend"), exemptions, today)
    except ServiceError as error:
        problems.append(str(error))
    return problems


def main() -> int:
    problems = audit(osv_url=os.environ.get("AUDIT_OSV_URL") or OSV_URL)
    for line in problems:
        print(line)
    if problems:
        print(f"audit failed: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print("audit: no known vulnerability left unexplained, every locked package audited")
    return 0


if __name__ == "__main__":
    sys.exit(main())
