# SPDX-License-Identifier: AGPL-3.0-or-later
"""The REST API of the signalements, under /api/v1/signalements/: the residents' (views:
categories, public reports as GeoJSON, filing and confirming, the open reports nearby for
a "me too") and the workflow's (workflow: state, re-routing, duplicates, following, the
reporter's "est-ce réparé ?" answer)."""
