# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo world (territory, PLUi, an open concertation) the fuzzer runs against."""

from tests.contributions.conftest import demo_world, open_concertation  # noqa: F401
