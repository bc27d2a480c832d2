# SPDX-License-Identifier: AGPL-3.0-or-later
"""Vector (MVT) and raster tiles, TileJSON and MapLibre styles: see issue 4 and docs/."""
