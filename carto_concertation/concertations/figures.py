# SPDX-License-Identifier: AGPL-3.0-or-later
"""A space's figures per commune and per PLU/PLUi zone: every module's, read from the
registry (the manifests' ``figures``), one row per commune or zone with at least one."""

from carto_concertation.core.modules import FigureDeclaration, MapSpace, modules, space_public
from carto_concertation.territories.models import Commune
from plui_documents.models import Zone


def _figures_of(space: MapSpace) -> list[FigureDeclaration]:
    """The figures of the modules the space holds and has on (MapSpace.modules)."""
    return [
        figure
        for manifest in modules()
        if manifest.name in space.modules
        for figure in manifest.figures
    ]


def _counted(per_place: dict[str, dict[int, int]]) -> set[int]:
    """The communes or zones some figure counts."""
    return {pk for counts in per_place.values() for pk in counts}


def _rows(per_place: dict[str, dict[int, int]], places: dict[int, dict]) -> list[dict]:
    return [
        {**place, "figures": {name: counts.get(pk, 0) for name, counts in per_place.items()}}
        for pk, place in places.items()
    ]


def _per_commune(space: MapSpace, figures: list[FigureDeclaration]) -> list[dict]:
    per_place = {figure.name: dict(figure.per_commune(space)) for figure in figures}
    places = {
        pk: {"insee": insee, "name": name}
        for pk, insee, name in Commune.objects.filter(
            pk__in=_counted(per_place), territory_id=space.territory_id
        ).values_list("pk", "insee", "name")
    }
    return sorted(_rows(per_place, places), key=lambda row: row["insee"])


def space_figures_per_commune(slug: str) -> list[dict] | None:
    """None when no public space has this slug."""
    space = space_public(slug)
    return None if space is None else _per_commune(space, _figures_of(space))


def space_figures_per_zone(slug: str) -> list[dict] | None:
    space = space_public(slug)
    if space is None:
        return None
    per_place = {figure.name: dict(figure.per_zone(space)) for figure in _figures_of(space)}
    places = {
        pk: {"zone": pk, "libelle": libelle, "typezone": typezone}
        for pk, libelle, typezone in Zone.objects.filter(pk__in=_counted(per_place)).values_list(
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
    figures = _figures_of(space)
    rows = _per_commune(space, figures)
    return [(figure.name, str(figure.label)) for figure in figures], [
        {**row, "values": [row["figures"][figure.name] for figure in figures]} for row in rows
    ]
