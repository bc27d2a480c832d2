# SPDX-License-Identifier: AGPL-3.0-or-later
"""OGC API – Features (Part 1 Core, Part 2 CRS) and Tiles over the open collections."""
