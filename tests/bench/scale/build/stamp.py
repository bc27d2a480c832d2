# SPDX-License-Identifier: AGPL-3.0-or-later
"""What built a size's database, and what a later run must redo on it.

A database is stamped with four things: the generator's digest (the modules that lay
out the data), the size, the digest of the list of migrations, and the digest of each
step derived from the data after it is loaded (DERIVED). A later run rebuilds the
database only when the generator or the size changed (25 minutes for the three sizes);
a new migration is applied to the kept database by ``migrate``, and a derived step is
redone alone when its own code changed.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg.types.json import Jsonb

from .db import connect

GENERATOR_VERSION = "3"
ROOT = Path(__file__).resolve().parents[4]
HERE = Path(__file__).resolve().parent
# The modules whose change changes the rows the generator writes.
GENERATOR_FILES = ("sizes.py", "db.py", "zoning.py", "participation.py")
# The steps run on the loaded data, in this order, each with the files it depends on.
DERIVED = {
    "generalise": (ROOT / "plui_documents" / "generalise.py", HERE / "generalise.py"),
}
BUILD = "build"
MIGRATE = "migrate"


@dataclass(frozen=True)
class Stamp:
    generator: str
    size: str
    migrations: str
    derived: dict[str, str] = field(default_factory=dict)
    seconds: float = 0
    bytes: int = 0


def _digest(paths) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def migrations_digest() -> str:
    """The migrations' names: a new one, or one renumbered, changes it."""
    digest = hashlib.sha256()
    for migration in sorted(ROOT.glob("**/migrations/0*.py")):
        if ".venv" not in migration.parts:
            digest.update(str(migration.relative_to(ROOT)).encode())
    return digest.hexdigest()[:12]


def wanted(size: str, derived: tuple[str, ...] = tuple(DERIVED)) -> Stamp:
    """The stamp the code of this checkout gives the size's database."""
    return Stamp(
        generator=f"{GENERATOR_VERSION}-{_digest(HERE / name for name in GENERATOR_FILES)}",
        size=size,
        migrations=migrations_digest(),
        derived={step: _digest(DERIVED[step]) for step in derived},
    )


def to_redo(found: Stamp | None, want: Stamp) -> list[str]:
    """What brings the database stamped ``found`` to ``want``: [BUILD] (everything), or
    MIGRATE and the derived steps whose code changed, in order ([] when it is up to date)."""
    if found is None or found.generator != want.generator or found.size != want.size:
        return [BUILD]
    steps = [MIGRATE] if found.migrations != want.migrations else []
    return steps + [
        step for step, digest in want.derived.items() if found.derived.get(step) != digest
    ]


def read(url: str) -> Stamp | None:
    """The database's stamp, or None (no database, no stamp, a stamp of another form)."""
    try:
        with connect(url) as conn:
            row = conn.execute(
                "SELECT generator, size, migrations, derived, seconds, bytes FROM bench_scale_stamp"
            ).fetchone()
    except psycopg.Error:
        return None
    return Stamp(*row) if row else None


def write(conn: psycopg.Connection, stamp: Stamp) -> None:
    conn.execute(
        "DROP TABLE IF EXISTS bench_scale_stamp;"
        " CREATE TABLE bench_scale_stamp (generator text, size text, migrations text,"
        " derived jsonb, seconds real, bytes bigint)"
    )
    conn.execute(
        "INSERT INTO bench_scale_stamp VALUES (%s, %s, %s, %s, %s, %s)",
        (
            stamp.generator,
            stamp.size,
            stamp.migrations,
            Jsonb(stamp.derived),
            stamp.seconds,
            stamp.bytes,
        ),
    )
