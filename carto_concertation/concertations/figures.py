# SPDX-License-Identifier: AGPL-3.0-or-later
"""A space's figures per commune and per PLU/PLUi zone: every module's, read from the
registry (core.modules.figures), one row per commune or zone with at least one."""

from carto_concertation.core.modules import FigureDeclaration, MapSpace, modules, space_public
from carto_concertation.territories.models import Commune
from carto_concertation.territories.selectors import module_enabled
from plui_documents.models import Zone


def _figures_of(space: MapSpace) -> list[FigureDeclaration]:
    """The figures of the modules on in the space's territory (territories.modules_off)."""
    return [
        figure
        for manifest in modules()
        if module_enabled(manifest.name, space.territory_id)
        for figure in manifest.figures
    ]


def _rows(per_place: dict[str, dict[int, int]], places: dict[int, dict]) -> list[dict]:
    ids = sorted({pk for counts in per_place.values() for pk in counts})
    return [
        {
            **places[pk],
            "figures": {name: counts.get(pk, 0) for name, counts in per_place.items()},
        }
        for pk in ids
        if pk in places
    ]


def space_figures_per_commune(slug: str) -> list[dict] | None:
    """None when no public space has this slug."""
    space = space_public(slug)
    if space is None:
        return None
    per_place = {figure.name: dict(figure.per_commune(space)) for figure in _figures_of(space)}
    ids = {pk for counts in per_place.values() for pk in counts}
    places = {
        pk: {"insee": insee, "name": name}
        for pk, insee, name in Commune.objects.filter(
            pk__in=ids, territory_id=space.territory_id
        ).values_list("pk", "insee", "name")
    }
    return sorted(_rows(per_place, places), key=lambda row: row["insee"])


def space_figures_per_zone(slug: str) -> list[dict] | None:
    space = space_public(slug)
    if space is None:
        return None
    per_place = {figure.name: dict(figure.per_zone(space)) for figure in _figures_of(space)}
    ids = {pk for counts in per_place.values() for pk in counts}
    places = {
        pk: {"zone": pk, "libelle": libelle, "typezone": typezone}
        for pk, libelle, typezone in Zone.objects.filter(pk__in=ids).values_list(
            "pk", "libelle", "typezone"
        )
    }
    return sorted(_rows(per_place, places), key=lambda row: (row["libelle"], row["zone"]))


def space_figures_table(slug: str) -> tuple[list[tuple[str, str]], list[dict]]:
    """The figures per commune as a page shows them: the (name, label) of each module's
    figure, then one row per commune with a value for each, in that order."""
    space = space_public(slug)
    if space is None:
        return [], []
    columns = [(figure.name, str(figure.label)) for figure in _figures_of(space)]
    rows = space_figures_per_commune(slug) or []
    return columns, [
        {**row, "values": [row["figures"][name] for name, _label in columns]} for row in rows
    ]
