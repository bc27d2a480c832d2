# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads on territories and communes; geometries leave in WGS84 (RFC 7946).

Whether a participation module is switched on in a territory is read here, and only here
(``module_enabled``, and ``module_on`` for a query that keeps what lies where it is on):
the tiles, the modules' API and pages and the navigation all ask these."""

from collections.abc import Iterable

from django.contrib.gis.db.models.functions import Envelope, Transform
from django.db.models import Count, Q, QuerySet

from carto_concertation.core.search import HITS_PER_KIND, SearchHit, fold, place_of

from .models import Commune, Territory

WGS84 = 4326


def territory_list() -> QuerySet[Territory]:
    return Territory.objects.annotate(geom_wgs84=Transform("geom", WGS84)).order_by("name")


def territory_extents() -> dict[str, list[float]]:
    """Each territory's extent in WGS84, [west, south, east, north], by its id as text
    (the value of a form's select): where a map of something in it opens."""
    rows = Territory.objects.annotate(box=Envelope(Transform("geom", WGS84))).values_list(
        "pk", "box"
    )
    return {str(pk): [round(value, 6) for value in box.extent] for pk, box in rows}


def commune_list() -> QuerySet[Commune]:
    return (
        Commune.objects.select_related("territory")
        .annotate(geom_wgs84=Transform("geom", WGS84))
        .order_by("name")
    )


def commune_for_geometry(*, geom) -> Commune | None:
    """The commune a geometry lies in (for a line or an area: the one with most of it)."""
    point = geom.point_on_surface if geom.geom_type != "Point" else geom
    return Commune.objects.filter(geom__intersects=point).order_by("insee").first()


def module_on(module_name: str, territory: str = "territory") -> Q:
    """The rows whose territory (reached by the lookup path ``territory``; "" for the
    territories themselves) has this module switched on: a module's view filters its space
    or its objects with it in the query it makes anyway (no query more), and what lies
    where the module is off is not found."""
    path = f"{territory}__modules_off__contains" if territory else "modules_off__contains"
    return ~Q(**{path: [module_name]})


def module_enabled(module_name: str, territory_id: int | None) -> bool:
    """Whether a module is on in a territory: it is, unless an administrator switched it
    off there (services.territory_modules_switch). No territory: on."""
    if territory_id is None:
        return True
    off = Territory.objects.filter(pk=territory_id).exclude(module_on(module_name, ""))
    return not off.exists()


def module_on_in(territory: Territory, module_name: str) -> bool:
    """Whether a module is on in this territory, from its row already read (no query)."""
    return module_name not in territory.modules_off


def module_enabled_somewhere(module_name: str, territory_ids: Iterable[int] | None = None) -> bool:
    """Whether a module is on in one of these territories (every territory when None): its
    navigation entries show. Among no territory at all, nothing is switched off."""
    territories = Territory.objects.all()
    if territory_ids is not None:
        territories = territories.filter(pk__in=list(territory_ids))
    counts = territories.aggregate(
        every=Count("pk"), on=Count("pk", filter=module_on(module_name, ""))
    )
    return counts["on"] > 0 or counts["every"] == 0


def commune_search(*, territory_id: int, query: str, limit: int = HITS_PER_KIND) -> list[SearchHit]:
    """The territory's communes whose name (accents, case and hyphens aside) or INSEE
    code starts with the words, or whose name holds them; each with its box."""
    wanted = fold(query)
    names = Commune.objects.filter(territory_id=territory_id).values_list("pk", "name", "insee")
    starting, holding = [], []
    for pk, name, insee in names:
        folded = fold(name)
        if folded.startswith(wanted) or insee.startswith(query.strip()):
            starting.append(pk)
        elif wanted in folded:
            holding.append(pk)
    found = (starting + holding)[:limit]
    communes = {
        commune.pk: commune
        for commune in Commune.objects.filter(pk__in=found)
        .annotate(box=Envelope(Transform("geom", 4326)))
        .only("pk", "name", "insee")
    }
    return [
        SearchHit(
            label=communes[pk].name,
            detail=f"INSEE {communes[pk].insee}",
            **place_of(communes[pk].box.extent),
        )
        for pk in found
    ]
