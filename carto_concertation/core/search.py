# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the search box of a space's map finds, whoever finds it: the backbone's communes,
zones and règlement pages and each module's own things (its manifest's ``search``
callable, ``(space, query, limit) -> [SearchHit]``), all from our own data.

Each hit has a place, when it has one — its box and centre in WGS84 — for the map to
fly there, and an address of its own, when it has one (an idea, a page of the
règlement)."""

import unicodedata
from dataclasses import dataclass

# The longest query the search box takes (characters), and the hits of each kind.
QUERY_MAX = 100
QUERY_MIN = 2
HITS_PER_KIND = 5


@dataclass(frozen=True)
class SearchHit:
    label: str
    detail: str = ""
    url: str = ""
    # (west, south, east, north) in WGS84, and the centre (lon, lat); None without a place.
    bbox: tuple[float, float, float, float] | None = None
    center: tuple[float, float] | None = None

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "detail": self.detail,
            "url": self.url,
            "bbox": list(self.bbox) if self.bbox else None,
            "center": list(self.center) if self.center else None,
        }


def place_of(extent: tuple[float, float, float, float] | None) -> dict:
    """``bbox`` and ``center`` keyword arguments of a hit, from a WGS84 extent."""
    if extent is None or extent[0] is None:
        return {}
    west, south, east, north = (round(float(v), 6) for v in extent)
    return {
        "bbox": (west, south, east, north),
        "center": (round((west + east) / 2, 6), round((south + north) / 2, 6)),
    }


def fold(text: str) -> str:
    """Lower case without accents nor hyphens: "Saint-Étienne" is found as "saint etienne"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("-", " ").replace("'", " ").split())
