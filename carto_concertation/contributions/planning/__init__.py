# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas module's planning tools: the planners' dashboard (dashboard.py, its APIs in
dashboard_api.py), the figures it shows (stats.py, filtered by stats_filters.py), the
answer templates and the answer given to several ideas at once (answer_templates.py), the
bilan de la concertation (bilan.py, bilan_maps.py, built by tasks.py) and who may use them
(permissions.py). Their paths are the module's (contributions/urls.py)."""
