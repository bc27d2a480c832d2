# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' pages (residents.py: the map and its list, filing, a report's page,
the confirmation link)."""
