# SPDX-License-Identifier: AGPL-3.0-or-later
"""``{% outside_services as outside %}``: what the maps ask of other servers, for the
privacy notice (core.basemaps): each receiver with the basemaps asked of it and whether
the address search is theirs; empty when the administrator turned nothing on."""

from django import template

from carto_concertation.core.basemaps import (
    GEOPF,
    address_search_enabled,
    basemaps_enabled,
)

register = template.Library()


@register.simple_tag
def outside_services() -> list[dict]:
    receivers: dict[str, dict] = {}
    for basemap in basemaps_enabled():
        receiver = receivers.setdefault(
            basemap.origin,
            {"owner": basemap.owner, "host": basemap.origin, "basemaps": [], "addresses": False},
        )
        receiver["basemaps"].append(str(basemap.label))
    if address_search_enabled():
        receivers.setdefault(
            GEOPF, {"owner": "IGN", "host": GEOPF, "basemaps": [], "addresses": False}
        )["addresses"] = True
    return list(receivers.values())
