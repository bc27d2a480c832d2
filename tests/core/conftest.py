# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo's relay, for the tests of odd input across the API (the demo world itself
is a fixture of tests/conftest.py)."""

from tests.workshops.conftest import relay  # noqa: F401
