# SPDX-License-Identifier: AGPL-3.0-or-later
"""The layer registry and the reading of vector sources (GeoJSON, shapefile, GeoPackage, zip)."""
