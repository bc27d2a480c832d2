# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' back office."""

from . import admin_open311  # noqa: F401 (registers the Open311 applications)
