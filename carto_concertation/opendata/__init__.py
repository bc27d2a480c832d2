# SPDX-License-Identifier: AGPL-3.0-or-later
"""Open data: what every module and the backbone declare as open datasets, published
through standard APIs (OGC API – Features and Tiles), a DCAT catalogue and scheduled
files. It reads the declarations (core.modules.DatasetDeclaration with a FeatureSource)
and names no participation module."""
