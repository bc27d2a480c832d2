# SPDX-License-Identifier: AGPL-3.0-or-later
"""Issue 24's three sizes (×1, ×10, ×100) and their measurement: bench code only.

``python -m tests.bench.scale.build x1`` builds (or reuses, or migrates) one size's database;
tests/bench/test_scale.py builds what is missing and measures every size in one run.
"""
