# SPDX-License-Identifier: AGPL-3.0-or-later
# The SQL below interpolates only integers passed through int() and code constants;
# every value from a request is a bound parameter.
# ruff: noqa: S608
"""The contributions of a concertation as a vector tileset.

Below ``AGGREGATE_BELOW`` the tileset serves counts per commune and per PLUi zone
(a whole EPCI reads at a glance, and tiles stay small); from that zoom on, the
contributions themselves. A change to one contribution therefore shows under its own
bounding box at the point zooms, and under its commune and zones at the aggregated
zooms: nothing else (contributions.changes announces exactly that).
"""

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.db import connection
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.changes import Area, Footprint
from carto_concertation.core.filters import CREATED_AFTER, CREATED_BEFORE, STATUS, THEME
from carto_concertation.core.modules import SITE_WIDE, MapSpace, space_public
from layers.registry import LayerDefinition

from .datasets import IDEAS, TILESET_PREFIX, idea_spaces_open
from .models import Contribution

AGGREGATE_BELOW = 13
MAXZOOM = 16
ATTRIBUTION = "Contributions des participants"

# The tile filters (core.filters' vocabulary), as SQL on the contribution ``k``: tiles.filters
# gives every parameter, NULL when not asked, so one prepared statement serves every
# combination. The same selection as the list's and the dashboard's filters.
FILTERS_SQL = f"""
    (%(theme)s::int[] IS NULL OR EXISTS (SELECT 1 FROM contributions_contribution_themes ct
        WHERE ct.contribution_id = k.id AND ct.theme_id = ANY(%(theme)s::int[])))
    AND (%(status)s::text[] IS NULL OR k.status = ANY(%(status)s::text[]))
    AND (%(created_after)s::date IS NULL
         OR (k.created_at AT TIME ZONE '{settings.TIME_ZONE}')::date >= %(created_after)s::date)
    AND (%(created_before)s::date IS NULL
         OR (k.created_at AT TIME ZONE '{settings.TIME_ZONE}')::date <= %(created_before)s::date)
"""


def contribution_tileset(slug: str) -> str:
    return f"{TILESET_PREFIX}{slug}"


def _public(concertation_id: int) -> str:
    from .selectors import PUBLIC_STATUSES

    statuses = ", ".join(f"'{status}'" for status in PUBLIC_STATUSES)  # code constants
    return (
        f"k.concertation_id = {int(concertation_id)} AND k.status IN ({statuses}) AND {FILTERS_SQL}"
    )


def _counts(theme_ids: list[int]) -> str:
    """The count of ideas and per theme, over ``k`` joined once to its themes ``ct``
    (one join rather than a subquery per theme: measured faster on 100,000 ideas)."""
    per_theme = "".join(
        f", count(*) FILTER (WHERE ct.theme_id = {int(pk)}) AS theme_{int(pk)}" for pk in theme_ids
    )
    return f"count(DISTINCT k.id) AS count{per_theme}"


THEMES_JOIN = "LEFT JOIN contributions_contribution_themes ct ON ct.contribution_id = k.id"


def contribution_layers(space: MapSpace) -> list[LayerDefinition]:
    """The layers of a concertation's tileset: counts per commune and per PLUi zone
    below AGGREGATE_BELOW, the contributions themselves from there on."""
    from .selectors import PUBLIC_STATUSES

    theme_ids = sorted(pk for pk, _colour in space.themes)
    theme_fields = tuple(f"theme_{pk}" for pk in theme_ids)
    filters = (
        (THEME.name, tuple(str(pk) for pk in theme_ids)),
        (STATUS.name, tuple(str(status) for status in PUBLIC_STATUSES)),
        (CREATED_AFTER.name, ()),
        (CREATED_BEFORE.name, ()),
    )
    common = {
        "kind": "vector",
        "attribution": ATTRIBUTION,
        "licence": settings.OPEN_DATA_LICENCE,
        "tileset": contribution_tileset(space.slug),
        "filters": filters,
    }
    public = _public(space.pk)
    layers = [
        LayerDefinition(
            name="contributions_by_commune",
            title=_("Contributions per commune"),
            geometry_type="MultiPolygon",
            fields=("insee", "name", "count", *theme_fields),
            numeric_fields=("count", *theme_fields),
            minzoom=0,
            maxzoom=AGGREGATE_BELOW - 1,
            source=f"""
                SELECT c.id, c.insee, c.name, a.count{"".join(f", a.{f}" for f in theme_fields)},
                       c.geom_3857
                  FROM territories_commune c
                 CROSS JOIN LATERAL (
                       SELECT {_counts(theme_ids)}
                         FROM contributions_contribution k {THEMES_JOIN}
                        WHERE k.commune_id = c.id AND {public}) a
                 WHERE c.territory_id = {int(space.territory_id)} AND a.count > 0""",
            **common,
        )
    ]
    if space.zoning_document_id:
        layers.append(
            LayerDefinition(
                name="contributions_by_zone",
                title=_("Contributions per PLUi zone"),
                geometry_type="MultiPolygon",
                fields=("libelle", "typezone", "count", *theme_fields),
                numeric_fields=("count", *theme_fields),
                minzoom=0,
                maxzoom=AGGREGATE_BELOW - 1,
                source=f"""
                    SELECT z.id, z.libelle, z.typezone,
                           a.count{"".join(f", a.{f}" for f in theme_fields)}, z.geom_3857
                      FROM plui_documents_zone z
                     CROSS JOIN LATERAL (
                           SELECT {_counts(theme_ids)}
                             FROM contributions_contributionzone l
                             JOIN contributions_contribution k ON k.id = l.contribution_id
                             {THEMES_JOIN}
                            WHERE l.zone_id = z.id AND {public}) a
                     WHERE z.version_id = (SELECT current_version_id FROM plui_documents_urbandocument
                                            WHERE id = {int(space.zoning_document_id)})
                       AND a.count > 0""",
                **common,
            )
        )
    layers.append(_ideas_layer(public, minzoom=AGGREGATE_BELOW, **common))
    return layers


def _ideas_layer(where: str, *, minzoom: int, **common) -> LayerDefinition:
    """The ideas themselves (those ``where`` selects on ``k``), from ``minzoom`` on."""
    return LayerDefinition(
        name="contributions",
        title=_("Contributions"),
        geometry_type="Geometry",
        fields=IDEAS.pick("title", "status", "theme", "themes", "support", "created"),
        numeric_fields=("theme", "support"),
        minzoom=minzoom,
        maxzoom=MAXZOOM,
        source=f"""
            SELECT k.id, k.title, k.status,
                   (SELECT min(ct.theme_id) FROM contributions_contribution_themes ct
                     WHERE ct.contribution_id = k.id) AS theme,
                   (SELECT string_agg(ct.theme_id::text, ',' ORDER BY ct.theme_id)
                      FROM contributions_contribution_themes ct
                     WHERE ct.contribution_id = k.id) AS themes,
                   k.votes_for - k.votes_against + k.rating_sum AS support,
                   to_char(k.created_at AT TIME ZONE '{settings.TIME_ZONE}', 'YYYY-MM-DD') AS created,
                   k.geom_3857
              FROM contributions_contribution k
             WHERE {where}""",
        **common,
    )


def site_layers() -> list[LayerDefinition]:
    """The site-wide tileset (``contributions-portail``): every idea of the open data
    (datasets.ideas_open: of a public concertation holding the ideas, where the module is
    on), as itself at every zoom. The spaces are selected in the tile's own SQL, the very
    query of ``datasets.idea_spaces_open``, so that no space's change is missed."""
    from .selectors import PUBLIC_STATUSES

    spaces, params = idea_spaces_open().order_by().values("pk").query.sql_with_params()
    statuses = ", ".join(f"'{status}'" for status in PUBLIC_STATUSES)  # code constants
    where = f"""k.status IN ({statuses}) AND {FILTERS_SQL}
        AND k.concertation_id IN ({connection.ops.compose_sql(spaces, params)})"""
    # No theme: each concertation has its own.
    filters = (
        (STATUS.name, tuple(str(status) for status in PUBLIC_STATUSES)),
        (CREATED_AFTER.name, ()),
        (CREATED_BEFORE.name, ()),
    )
    return [
        _ideas_layer(
            where,
            minzoom=0,
            kind="vector",
            attribution=ATTRIBUTION,
            licence=settings.OPEN_DATA_LICENCE,
            tileset=contribution_tileset(SITE_WIDE),
            filters=filters,
        )
    ]


def contribution_tileset_layers(tileset: str) -> list[LayerDefinition]:
    """The tileset provider: the layers of ``contributions-<slug>`` for a public
    concertation, the site-wide tileset's, none otherwise."""
    if tileset == contribution_tileset(SITE_WIDE):
        return site_layers()
    space = space_public(tileset.removeprefix(TILESET_PREFIX))
    return contribution_layers(space) if space else []


def space_footprint(concertation_id: int) -> Footprint:
    """Where a concertation's ideas show on the site-wide tileset (every idea, whatever its
    status: a moderation does not move it), at its zooms; nothing when it has none."""
    extent = Contribution.objects.filter(concertation_id=concertation_id).aggregate(
        extent=Extent("geom_3857")
    )["extent"]
    return (Area(bboxes=(extent,), zooms=range(MAXZOOM + 1)),) if extent else ()
