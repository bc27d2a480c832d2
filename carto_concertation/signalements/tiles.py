# SPDX-License-Identifier: AGPL-3.0-or-later
# The SQL below interpolates only integers passed through int(), code constants and the
# hexadecimal EWKB of the space's perimeter; every value from a request is a bound
# parameter.
# ruff: noqa: S608
"""The territory's public reports inside a space's perimeter, as a vector tileset
(``signalements-<space slug>``).

A report belongs to its territory, not to a space: a space that holds the module shows
those of its territory that lie in its perimeter. Only what ``selectors.reports_public``
lets anyone see is tiled (confirmed, public, not a banned sender's), and a duplicate
gives way to its original; the properties are the dataset's public fields, never the
reporter. Residents filter the tiles with the house's vocabulary (core.filters):
``category`` (a parent category selects its children) and ``status`` (the report's
state).
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.filters import CATEGORY, CREATED_AFTER, CREATED_BEFORE, STATUS
from carto_concertation.core.modules import SITE_WIDE, MapSpace, space_public
from layers.registry import LayerDefinition

from .datasets import MODULE, REPORTS, TILESET_PREFIX
from .models import Category, Report

LAYER = "signalements"
MINZOOM, MAXZOOM = 8, 16
# The states the map shows: every public one but a duplicate, which its original stands for.
MAPPED_STATES = tuple(
    state
    for state in Report.State
    if state not in (Report.State.UNCONFIRMED, Report.State.DUPLICATE)
)

# The same selection as selectors.reports_public(), in SQL on the report ``r``.
PUBLIC_SQL = "r.is_public AND NOT r.is_hidden"

FILTERS_SQL = f"""
    (%(category)s::int[] IS NULL OR r.category_id = ANY(%(category)s::int[])
         OR c.parent_id = ANY(%(category)s::int[]))
    AND (%(status)s::text[] IS NULL OR r.state = ANY(%(status)s::text[]))
    AND (%(created_after)s::date IS NULL
         OR (r.created_at AT TIME ZONE '{settings.TIME_ZONE}')::date >= %(created_after)s::date)
    AND (%(created_before)s::date IS NULL
         OR (r.created_at AT TIME ZONE '{settings.TIME_ZONE}')::date <= %(created_before)s::date)
"""


def report_tileset(space_slug: str) -> str:
    return f"{TILESET_PREFIX}{space_slug}"


# The states the site-wide tileset shows: those of the open data (selectors.reports_public),
# a duplicate included, as the OGC API collection it draws lists them.
OPEN_STATES = tuple(state for state in Report.State if state != Report.State.UNCONFIRMED)


def _states_sql(states: tuple[str, ...]) -> str:
    return ", ".join(f"'{state}'" for state in states)  # code constants


def _perimeter_sql(space: MapSpace) -> str:
    """The space's perimeter as a literal (hexadecimal EWKB: digits and letters only), so
    that the module names no table of the space."""
    if not space.perimeter:
        return "TRUE"
    return f"ST_Intersects(r.geom, ST_GeomFromEWKB(decode('{space.perimeter.hexewkb.decode()}', 'hex')))"


def _reports_layer(
    tileset: str, where: str, category_ids: tuple[str, ...] | None, states: tuple[str, ...]
) -> LayerDefinition:
    """The public reports in these states ``where`` selects on ``r``, with the filters
    residents use (a category among ``category_ids``; None: no category filter)."""
    category_filter = ((CATEGORY.name, category_ids),) if category_ids is not None else ()
    return LayerDefinition(
        name=LAYER,
        title=_("Reports about public space"),
        kind="vector",
        geometry_type="Point",
        fields=REPORTS.pick("category", "category_name", "state", "created", "followers"),
        numeric_fields=("followers",),
        minzoom=MINZOOM,
        maxzoom=MAXZOOM,
        attribution=str(_("Reports of the residents")),
        licence=settings.OPEN_DATA_LICENCE,
        tileset=tileset,
        filters=(
            *category_filter,
            (STATUS.name, tuple(str(state) for state in states)),
            (CREATED_AFTER.name, ()),
            (CREATED_BEFORE.name, ()),
        ),
        source=f"""
            SELECT r.id, c.code AS category, c.name AS category_name, r.state,
                   to_char(r.created_at AT TIME ZONE '{settings.TIME_ZONE}', 'YYYY-MM-DD')
                       AS created,
                   (SELECT count(*) FROM signalements_reportfollower f
                     WHERE f.report_id = r.id) AS followers,
                   r.geom_3857
              FROM signalements_report r
              JOIN signalements_category c ON c.id = r.category_id
             WHERE {where} AND {PUBLIC_SQL} AND r.state IN ({_states_sql(states)})
               AND {FILTERS_SQL}""",
    )


def report_layers(space: MapSpace) -> list[LayerDefinition]:
    """The one layer of a space's tileset: its territory's mapped public reports in its
    perimeter, with the filters residents use."""
    category_ids = tuple(
        str(pk)
        for pk in Category.objects.filter(territory_id=space.territory_id, active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    where = f"r.territory_id = {int(space.territory_id)} AND {_perimeter_sql(space)}"
    return [_reports_layer(report_tileset(space.slug), where, category_ids, MAPPED_STATES)]


def site_layers() -> list[LayerDefinition]:
    """The site-wide tileset (``signalements-portail``): the public reports of every
    territory where the module is on (datasets.reports_open), whatever the spaces, a
    duplicate included. No category filter: each territory has its own categories."""
    where = f"""NOT EXISTS (SELECT 1 FROM territories_territory t WHERE t.id = r.territory_id
                              AND t.modules_off @> ARRAY['{MODULE}']::varchar[])"""
    return [_reports_layer(report_tileset(SITE_WIDE), where, None, OPEN_STATES)]


def report_tileset_layers(tileset: str) -> list[LayerDefinition]:
    """The tileset provider (core.modules.TilesetDeclaration.layers): the layer of a space
    residents see, or the site-wide tileset's, none for any other name (tiles answer 404 where the space does not
    hold the module)."""
    if tileset == report_tileset(SITE_WIDE):
        return site_layers()
    space = space_public(tileset.removeprefix(TILESET_PREFIX))
    return report_layers(space) if space else []
