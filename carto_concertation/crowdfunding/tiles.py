# SPDX-License-Identifier: AGPL-3.0-or-later
# The SQL below interpolates only integers passed through int() and code constants;
# every value from a request is a bound parameter.
# ruff: noqa: S608
"""The portal's projects as a vector tileset (``crowdfunding-<suffix>``).

A portal per territory, as the Ardèche's: the suffix is a territory's SIREN (stable and
public, where a slug may change) for its own portal, ``portail`` for the site's portal
(``/financement/``, every territory's projects), or else a public space holding the module
(the house's space map names tilesets by the space's slug): the space then shows its
territory's projects. Refused and submitted projects are never drawn. Properties are the
dataset's public fields, never the submitter; residents filter with the house's
``status`` (core.filters). A write that changes what the map shows announces it
(``projects_map_changed``, core.changes)."""

import re

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.changes import Area, footprint_changed_announce
from carto_concertation.core.filters import STATUS
from carto_concertation.core.modules import SITE_WIDE, space_public, space_slugs_in_territory
from carto_concertation.territories.models import Territory
from layers.registry import LayerDefinition

from .datasets import PROJECTS, TILESET_PREFIX
from .models import Project
from .selectors.portal import MAP_STATUSES, MODULE

PORTAL = SITE_WIDE  # the site's portal is the module's site-wide tileset
LAYER = "crowdfunding"
MINZOOM, MAXZOOM = 6, 16
SIREN = re.compile(r"^\d{9}$")
STATUSES = tuple(str(status) for status in MAP_STATUSES)
FIELDS = PROJECTS.pick(
    "slug",
    "title",
    "status",
    "modality",
    "theme",
    "commune",
    "commune_insee",
    "porteur_name",
    "goal",
    "raised",
    "contributors",
    "progress",
    "campaign_ends_on",
)

FILTERS_SQL = "(%(status)s::text[] IS NULL OR p.status = ANY(%(status)s::text[]))"


def project_tileset(suffix: str) -> str:
    return f"{TILESET_PREFIX}{suffix}"


PORTAL_TILESET = project_tileset(PORTAL)


def tileset_territory(tileset: str) -> Territory | bool | None:
    """The territory a tileset shows: a territory, True for the whole portal, None for
    a name that shows nothing (no such territory, no space holding the module)."""
    suffix = tileset.removeprefix(TILESET_PREFIX)
    if suffix == PORTAL:
        return True
    if SIREN.match(suffix):
        return Territory.objects.filter(siren=suffix).first()
    space = space_public(suffix)
    if space is None or MODULE not in space.modules:
        return None
    return Territory.objects.filter(pk=space.territory_id).first()


def project_layers(tileset: str, territory_id: int | None) -> list[LayerDefinition]:
    within = f"AND p.territory_id = {int(territory_id)}" if territory_id is not None else ""
    statuses = ", ".join(f"'{status}'" for status in STATUSES)
    return [
        LayerDefinition(
            name=LAYER,
            title=_("Crowdfunding projects"),
            kind="vector",
            geometry_type="Geometry",
            fields=FIELDS,
            numeric_fields=("goal", "raised", "contributors", "progress"),
            minzoom=MINZOOM,
            maxzoom=MAXZOOM,
            attribution=str(_("Crowdfunding projects of the territory")),
            licence=settings.OPEN_DATA_LICENCE,
            tileset=tileset,
            filters=((STATUS.name, STATUSES),),
            source=f"""
                SELECT p.id, p.slug, p.title, p.status, p.modality, p.theme,
                       c.name AS commune, c.insee AS commune_insee, p.porteur_name,
                       p.goal, p.raised, p.contributors,
                       (p.raised * 100 / p.goal) AS progress,
                       to_char(p.campaign_ends_on, 'YYYY-MM-DD') AS campaign_ends_on,
                       p.geom_3857
                  FROM crowdfunding_project p
                  JOIN territories_territory t ON t.id = p.territory_id
                  LEFT JOIN territories_commune c ON c.id = p.commune_id
                 WHERE p.status IN ({statuses}) {within}
                   AND NOT (t.modules_off @> ARRAY['{MODULE}']::varchar[])
                   AND p.geom_3857 IS NOT NULL
                   AND {FILTERS_SQL}""",
        )
    ]


def project_tileset_layers(tileset: str) -> list[LayerDefinition]:
    """The tileset provider (core.modules.TilesetDeclaration.layers): none for a name
    that shows nothing (the tiles answer 404)."""
    territory = tileset_territory(tileset)
    if territory is None:
        return []
    return project_layers(tileset, None if territory is True else territory.pk)


def _tilesets_showing(project: Project) -> list[str]:
    """The tilesets that draw the project: the site's portal, its territory's, and its
    territory's public spaces holding the module."""
    tilesets = [PORTAL_TILESET, project_tileset(project.territory.siren)]
    for slug in space_slugs_in_territory(project.territory_id):
        space = space_public(slug)
        if space is not None and MODULE in space.modules:
            tilesets.append(project_tileset(slug))
    return tilesets


def _footprint(geom: GEOSGeometry | None) -> tuple[Area, ...]:
    if geom is None:
        return ()
    box = geom.transform(3857, clone=True).extent
    return (Area(bboxes=(box,), zooms=range(MINZOOM, MAXZOOM + 1)),)


def projects_map_changed(
    project: Project,
    *,
    before: GEOSGeometry | None = None,
    after: GEOSGeometry | None = None,
) -> None:
    """The tiles under the project change with the current transaction, on every tileset
    drawing it. The other parts call it after each write that changes what the map shows:
    a status (accepted, funded, inaugurated…; with no place given, the project's own
    place is announced), the figures, the title, or its place (``before`` the old one,
    ``after`` the new one)."""
    if before is None and after is None:
        before = after = project.geom
    before_footprint, after_footprint = _footprint(before), _footprint(after)
    for tileset in _tilesets_showing(project):
        footprint_changed_announce(tileset, before=before_footprint, after=after_footprint)
