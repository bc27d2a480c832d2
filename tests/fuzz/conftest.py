# SPDX-License-Identifier: AGPL-3.0-or-later
"""The fuzzer runs against the demo world (territory, PLUi, an open concertation):
``open_concertation`` of tests/conftest.py."""
