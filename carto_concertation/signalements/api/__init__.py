# SPDX-License-Identifier: AGPL-3.0-or-later
"""The residents' REST API of the signalements, under /api/v1/signalements/: the
categories, the public reports (GeoJSON), filing and confirming a report, the open
reports nearby (for a "me too" rather than a twin)."""
