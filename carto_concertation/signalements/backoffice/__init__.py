# SPDX-License-Identifier: AGPL-3.0-or-later
"""The services' dashboard (/signalements/services/): the queue of an agent's services
with its filters and map, bulk state changes, the agent's page of a report with its
forms, the exports of the filtered queue and the figures. Pages in French, rendered on
the server; the map alone needs JavaScript (the list is its twin)."""
