# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes on territories and communes, one transaction each."""

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.gis.db.models import Union
from django.contrib.gis.geos import MultiPolygon
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carto_concertation.core.changes import tileset_changed_announce
from carto_concertation.core.modules import module_get, modules, space_slugs_in_territory

from .importers import CommuneRecord, read_commune_records
from .models import Commune, Territory
from .validators import validate_siren


@dataclass
class TerritoryImportReport:
    territory: Territory
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    detached: list[str] = field(default_factory=list)

    @property
    def commune_count(self) -> int:
        return len(self.created) + len(self.updated)


def territory_import(
    *, path: Path, siren: str, name: str, source_srid: int | None = None
) -> TerritoryImportReport:
    """Load an EPCI and its communes from a file; all of it, or nothing.

    Communes are matched on their INSEE code, so a second import of the same file
    changes nothing and a new file (a merger of communes) updates in place.
    """
    validate_siren(siren)
    if not name.strip():
        raise ValidationError({"name": _("The territory needs a name.")})
    records = read_commune_records(path, source_srid=source_srid)
    with transaction.atomic():
        territory, _created = Territory.objects.select_for_update().get_or_create(
            siren=siren,
            # A placeholder outline, replaced below in this transaction by the union.
            defaults={"name": name.strip(), "geom": records[0].geom},
        )
        report = TerritoryImportReport(territory=territory)
        for record in records:
            _commune_upsert(record, territory, report)
        kept = {record.insee for record in records}
        leaving = territory.communes.exclude(insee__in=kept)
        report.detached = sorted(leaving.values_list("insee", flat=True))
        leaving.update(territory=None)
        territory.name = name.strip()
        territory.geom = _territory_outline(territory)
        territory.save()
        tileset_changed_announce("communes")
        tileset_changed_announce("territories")
    return report


def territory_refresh_outline(*, territory_id: int) -> Territory:
    """Recompute an EPCI's outline as the union of its communes."""
    with transaction.atomic():
        territory = Territory.objects.select_for_update().get(pk=territory_id)
        territory.geom = _territory_outline(territory)
        territory.save(update_fields=["geom", "updated_at"])
        tileset_changed_announce("territories")
    return territory


def _commune_upsert(
    record: CommuneRecord, territory: Territory, report: TerritoryImportReport
) -> None:
    _commune, created = Commune.objects.update_or_create(
        insee=record.insee,
        defaults={
            "name": record.name,
            "population": record.population,
            "geom": record.geom,
            "territory": territory,
        },
    )
    (report.created if created else report.updated).append(record.insee)


def _territory_outline(territory: Territory) -> MultiPolygon:
    outline = territory.communes.aggregate(outline=Union("geom"))["outline"]
    if outline is None:
        return territory.geom
    return _as_multipolygon(outline)


def _as_multipolygon(geom) -> MultiPolygon:
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon(geom, srid=geom.srid)


def commune_save(*, commune: Commune, previous_territory_id: int | None = None) -> Commune:
    """Save an edited commune; the outlines of the territories it touches follow, in Celery."""
    from .tasks import territory_refresh_outline_task

    commune.full_clean()
    with transaction.atomic():
        commune.save()
        tileset_changed_announce("communes")
        for territory_id in {previous_territory_id, commune.territory_id} - {None}:
            transaction.on_commit(
                lambda territory_id=territory_id: territory_refresh_outline_task.delay(territory_id)
            )
    return commune


@transaction.atomic
def territory_rename(*, territory: Territory, name: str) -> Territory:
    if not name.strip():
        raise ValidationError({"name": _("The territory needs a name.")})
    territory.name = name.strip()
    territory.save(update_fields=["name", "updated_at"])
    tileset_changed_announce("territories")
    return territory


def territory_modules_switch(*, territory: Territory, modules_off) -> Territory:
    """Switch participation modules off in a territory (those named, by their manifest
    name) and on again (the others). A module switched off has no navigation entry there,
    and its tilesets and API answer 404 for the territory's spaces; the tiles those
    tilesets cached go with the commit, whichever way the switch went."""
    wanted = sorted(set(modules_off))
    unknown = [name for name in wanted if module_get(name) is None]
    if unknown:
        known = ", ".join(manifest.name for manifest in modules()) or "—"
        raise ValidationError(
            {
                "modules_off": _("No participation module is named %(names)s (known: %(known)s).")
                % {"names": ", ".join(unknown), "known": known}
            }
        )
    with transaction.atomic():
        territory = Territory.objects.select_for_update().get(pk=territory.pk)
        switched = set(territory.modules_off) ^ set(wanted)
        if not switched:
            return territory
        territory.modules_off = wanted
        territory.save(update_fields=["modules_off", "updated_at"])
        slugs = space_slugs_in_territory(territory.pk)
        for name in sorted(switched):
            manifest = module_get(name)
            for declaration in manifest.tilesets if manifest else ():
                for slug in slugs:
                    tileset_changed_announce(declaration.tileset(slug))
                if declaration.site_wide:
                    tileset_changed_announce(declaration.site_tileset)
    return territory
