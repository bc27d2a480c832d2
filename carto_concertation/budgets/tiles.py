# SPDX-License-Identifier: AGPL-3.0-or-later
# The SQL below interpolates only integers passed through int() and code constants;
# every value from a request is a bound parameter.
# ruff: noqa: S608
"""The projects of a published edition as a vector tileset (``budget-<slug>``).

The suffix names an edition (its page's map), or else a public space holding the module
(the space's map): the space then shows its territory's current edition. Properties are
the dataset's public fields, never the submitter; residents filter with the house's
``status`` (core.filters). Every write that changes what the map shows announces it
(``projects_map_changed``, core.changes)."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.changes import (
    Area,
    footprint_changed_announce,
    tileset_changed_announce,
)
from carto_concertation.core.filters import STATUS
from carto_concertation.core.modules import SITE_WIDE, space_public, space_slugs_in_territory
from layers.registry import LayerDefinition

from .datasets import MODULE, PROJECTS, TILESET_PREFIX
from .models import Edition, Project
from .selectors.projects import edition_current, edition_public

LAYER = "budget-projects"
MINZOOM, MAXZOOM = 8, 16
STATUSES = tuple(str(status) for status in Project.Status)

FILTERS_SQL = "(%(status)s::text[] IS NULL OR p.status = ANY(%(status)s::text[]))"


def project_tileset(slug: str) -> str:
    return f"{TILESET_PREFIX}{slug}"


def tileset_edition(tileset: str) -> Edition | None:
    """The published edition a tileset name shows: by its slug, or the current edition of
    the territory of a public space that holds the module."""
    slug = tileset.removeprefix(TILESET_PREFIX)
    edition = edition_public(slug)
    if edition is not None:
        return edition
    space = space_public(slug)
    if space is None or MODULE not in space.modules:
        return None
    return edition_current(space.territory_id)


def _projects_layer(tileset: str, where: str) -> LayerDefinition:
    """The projects ``where`` selects on ``p``, with the filters residents use."""
    return LayerDefinition(
        name=LAYER,
        title=_("Participatory budget projects"),
        kind="vector",
        geometry_type="Geometry",
        fields=PROJECTS.pick(
            "number", "title", "status", "district", "cost", "supporters", "association"
        ),
        numeric_fields=("number", "cost", "supporters"),
        minzoom=MINZOOM,
        maxzoom=MAXZOOM,
        attribution=str(_("Projects of the residents")),
        licence=settings.OPEN_DATA_LICENCE,
        tileset=tileset,
        filters=((STATUS.name, STATUSES),),
        source=f"""
            SELECT p.id, p.number, p.title, p.status, d.name AS district,
                   COALESCE(p.revised_cost, p.estimated_cost) AS cost,
                   (SELECT count(*) FROM budgets_projectsupporter s
                     WHERE s.project_id = p.id AND s.counted) AS supporters,
                   p.association, p.geom_3857
              FROM budgets_project p
              LEFT JOIN budgets_district d ON d.id = p.district_id
             WHERE {where} AND p.geom_3857 IS NOT NULL AND NOT p.held
               AND {FILTERS_SQL}""",
    )


def project_layers(edition: Edition, tileset: str) -> list[LayerDefinition]:
    return [_projects_layer(tileset, f"p.edition_id = {int(edition.pk)}")]


def site_layers() -> list[LayerDefinition]:
    """The site-wide tileset (``budget-portail``): the projects of every published edition
    where the module is on (datasets.projects_open)."""
    where = f"""EXISTS (SELECT 1 FROM budgets_edition e
                         JOIN territories_territory t ON t.id = e.territory_id
                        WHERE e.id = p.edition_id AND e.is_published
                          AND NOT (t.modules_off @> ARRAY['{MODULE}']::varchar[]))"""
    return [_projects_layer(project_tileset(SITE_WIDE), where)]


def project_tileset_layers(tileset: str) -> list[LayerDefinition]:
    """The tileset provider (core.modules.TilesetDeclaration.layers): the site-wide
    tileset's, none for a name that shows no published edition (the tiles answer 404)."""
    if tileset == project_tileset(SITE_WIDE):
        return site_layers()
    edition = tileset_edition(tileset)
    return project_layers(edition, tileset) if edition else []


def _footprint(geoms: Iterable[GEOSGeometry]) -> tuple[Area, ...]:
    boxes = tuple(geom.transform(3857, clone=True).extent for geom in geoms if geom is not None)
    return (Area(bboxes=boxes, zooms=range(MINZOOM, MAXZOOM + 1)),) if boxes else ()


def _tilesets_showing(edition: Edition) -> list[str]:
    """The tilesets that draw the edition's projects: the site-wide one, its own, and its
    territory's spaces holding the module when it is their current edition."""
    tilesets = [project_tileset(SITE_WIDE), project_tileset(edition.slug)]
    current = edition_current(edition.territory_id)
    if current is None or current.pk != edition.pk:
        return tilesets
    for slug in space_slugs_in_territory(edition.territory_id):
        space = space_public(slug)
        if space is not None and MODULE in space.modules:
            tilesets.append(project_tileset(slug))
    return tilesets


def projects_map_changed(
    edition: Edition, *, before: Iterable[GEOSGeometry] = (), after: Iterable[GEOSGeometry] = ()
) -> None:
    """The tiles under these places change with the current transaction, on every tileset
    showing the edition. Other parts (the analysis, the results) call it after their writes."""
    before_footprint, after_footprint = _footprint(before), _footprint(after)
    for tileset in _tilesets_showing(edition):
        footprint_changed_announce(tileset, before=before_footprint, after=after_footprint)


def edition_map_changed(edition: Edition) -> None:
    """Every project of the edition may change on the map (the vote opens, the results are
    published, projects merge), on every tileset showing the edition."""
    for tileset in _tilesets_showing(edition):
        tileset_changed_announce(tileset)
