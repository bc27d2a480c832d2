# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo world and its relay, for the tests of odd input across the API."""

from tests.contributions.conftest import demo_world, open_concertation  # noqa: F401
from tests.workshops.conftest import relay  # noqa: F401
