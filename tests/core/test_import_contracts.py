# SPDX-License-Identifier: AGPL-3.0-or-later
"""The layers of the house are import-linter contracts (.importlinter, run by make test):
the project keeps them, and a forbidden import in a small package of the same shape fails
them, as does a listed coupling that no longer exists (the list of couplings only shrinks)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"

CONTRACT = """
[importlinter]
root_packages =
    town

[importlinter:contract:backbone]
name = The backbone imports no participation module
type = forbidden
source_modules =
    town.tiles
forbidden_modules =
    town.ideas
allow_indirect_imports = True
{ignore}
"""


def lint(directory: Path, config: str = ".importlinter") -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", config],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
    )


def town(tmp_path: Path, tiles_source: str, ignore: str = "") -> Path:
    """A package with a backbone part (tiles) and a participation module (ideas)."""
    for package in ("town", "town/tiles", "town/ideas"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "town/ideas/models.py").write_text("from town.tiles import cache\n")
    (tmp_path / "town/tiles/cache.py").write_text(tiles_source)
    (tmp_path / ".importlinter").write_text(CONTRACT.format(ignore=ignore))
    return tmp_path


def test_the_project_keeps_its_contracts():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout and "0 broken" in result.stdout


def test_a_forbidden_import_fails_and_is_named(tmp_path):
    allowed = lint(town(tmp_path, "VERSION = 1\n"))
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
    (tmp_path / "town/tiles/cache.py").write_text(
        "def style():\n    from town.ideas import models\n"
    )
    forbidden = lint(tmp_path)
    assert forbidden.returncode == 1
    assert "BROKEN" in forbidden.stdout
    assert "town.tiles.cache -> town.ideas.models" in forbidden.stdout


def test_a_listed_coupling_that_is_gone_must_leave_the_list(tmp_path):
    listed = "ignore_imports =\n    town.tiles.cache -> town.ideas.models\n"
    kept = lint(town(tmp_path, "from town.ideas import models\n", ignore=listed))
    assert kept.returncode == 0, kept.stdout + kept.stderr
    (tmp_path / "town/tiles/cache.py").write_text("VERSION = 1\n")
    stale = lint(tmp_path)
    assert stale.returncode != 0
    assert "town.tiles.cache -> town.ideas.models" in stale.stdout + stale.stderr
