# SPDX-License-Identifier: AGPL-3.0-or-later
"""Open-data exports of a concertation: GeoJSON, CSV with WKT, GeoPackage."""
