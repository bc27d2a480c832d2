# SPDX-License-Identifier: AGPL-3.0-or-later
"""Benchmarks: each measures us against a floor run in the same session, as a ratio.

Figures are printed and merged into bench-results.json at the repository root.
"""

import json
from pathlib import Path

import pytest

RESULTS = Path(__file__).resolve().parent.parent.parent / "bench-results.json"


@pytest.fixture(scope="session")
def bench_results():
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    yield results
    RESULTS.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
