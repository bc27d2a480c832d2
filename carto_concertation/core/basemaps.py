# SPDX-License-Identifier: AGPL-3.0-or-later
"""Basemaps from other servers, and the address search: off unless the administrator
turns them on (settings BASEMAPS and ADDRESS_SEARCH, docs/maps.md).

Off, no page, style or policy names any server but ours, so a visitor's browser asks
nothing elsewhere. On, each preset brings its MapLibre raster source (the style offers
it, tiles/styles.py), its attribution and licence, and its host, which the
Content-Security-Policy then allows (core/csp.py) — that host and no other. The URLs,
layers and licences are those of ``docs/maps.md`` (IGN's Géoplateforme, whose WMTS and
TMS are not rate-limited per address, and the OpenStreetMap Foundation's tile server,
whose policy asks for an attribution and a Referer).
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

GEOPF = "https://data.geopf.fr"
OSM_TILES = "https://tile.openstreetmap.org"
# The Géoplateforme's geocoder (the Base Adresse Nationale's successor of the retired
# api-adresse.data.gouv.fr): 50 requests a second per address, asked by the browser.
ADDRESS_SEARCH_URL = f"{GEOPF}/geocodage/search"
IGN_ATTRIBUTION = '<a href="https://www.ign.fr/">© IGN</a> – Géoplateforme (Licence Ouverte 2.0)'
OSM_ATTRIBUTION = (
    '<a href="https://www.openstreetmap.org/copyright">© OpenStreetMap contributors</a> (ODbL)'
)


def _wmts(layer: str, image: str) -> str:
    return (
        f"{GEOPF}/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
        f"&STYLE=normal&FORMAT={image}&TILEMATRIXSET=PM"
        "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}"
    )


@dataclass(frozen=True)
class Basemap:
    """A raster basemap: ``overlay`` ones (the cadastre) are drawn over the chosen base,
    the others replace each other (one at a time, or none)."""

    name: str
    label: str
    tiles: str
    attribution: str
    maxzoom: int = 19
    overlay: bool = False
    owner: str = field(default="", compare=False)  # who receives the requests

    @property
    def origin(self) -> str:
        parts = urlsplit(self.tiles)
        return f"{parts.scheme}://{parts.netloc}"

    def source(self) -> dict:
        return {
            "type": "raster",
            "tiles": [self.tiles],
            # The style spec's default is 512: these tiles are 256 px.
            "tileSize": 256,
            "maxzoom": self.maxzoom,
            "attribution": self.attribution,
        }


PRESETS: dict[str, Basemap] = {
    basemap.name: basemap
    for basemap in (
        Basemap(
            "plan-ign",
            _("Plan IGN"),
            _wmts("GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2", "image/png"),
            IGN_ATTRIBUTION,
            owner="IGN",
        ),
        Basemap(
            "orthophotos",
            _("Aerial photographs (IGN)"),
            _wmts("ORTHOIMAGERY.ORTHOPHOTOS", "image/jpeg"),
            IGN_ATTRIBUTION,
            owner="IGN",
        ),
        Basemap(
            "cadastre",
            _("Cadastral parcels (IGN)"),
            _wmts("CADASTRALPARCELS.PARCELLAIRE_EXPRESS", "image/png"),
            IGN_ATTRIBUTION,
            overlay=True,
            owner="IGN",
        ),
        Basemap(
            "osm",
            _("OpenStreetMap"),
            f"{OSM_TILES}/{{z}}/{{x}}/{{y}}.png",
            OSM_ATTRIBUTION,
            owner="OpenStreetMap Foundation",
        ),
    )
}


def basemaps_enabled() -> list[Basemap]:
    """The basemaps the administrator turned on (settings.BASEMAPS, in that order), and
    the custom one of BASEMAP_TILES; none by default."""
    unknown = [name for name in settings.BASEMAPS if name not in PRESETS]
    if unknown:
        raise ImproperlyConfigured(
            f"BASEMAPS: unknown {', '.join(unknown)}; known: {', '.join(PRESETS)}"
        )
    enabled = [PRESETS[name] for name in settings.BASEMAPS]
    if settings.BASEMAP_TILES:
        enabled.append(
            Basemap(
                "custom",
                _("Basemap"),
                settings.BASEMAP_TILES,
                settings.BASEMAP_ATTRIBUTION,
                owner=urlsplit(settings.BASEMAP_TILES).netloc,
            )
        )
    return enabled


def address_search_enabled() -> bool:
    return bool(settings.ADDRESS_SEARCH)


def outside_origins() -> dict[str, list[str]]:
    """What the Content-Security-Policy adds for them: the images and connections of each
    enabled basemap's server, the geocoder's connections; empty when all are off."""
    images = list(dict.fromkeys(basemap.origin for basemap in basemaps_enabled()))
    connections = list(images)
    if address_search_enabled() and GEOPF not in connections:
        connections.append(GEOPF)
    if not images and not connections:
        return {}
    return {"img-src": images, "connect-src": connections}


def sends_referrer() -> bool:
    """OpenStreetMap's tile policy wants each request's Referer (our origin is enough)."""
    return any(basemap.origin == OSM_TILES for basemap in basemaps_enabled())
