# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the catalogue publishes: a dataset per collection and territory that has open
files (written by files.py), each with its files in the order of FORMATS."""

from dataclasses import dataclass
from datetime import datetime

from carto_concertation.territories.models import Territory
from carto_concertation.territories.selectors import module_on_in

from ..collections import Collection, collection_get, collections
from ..models import OpenFile
from .formats import FORMATS


def collection_open_in(collection: Collection, territory: Territory) -> bool:
    """A module's collection is published where the module is on (the backbone's
    everywhere): switched off in a territory, its data leaves by no surface there."""
    return not collection.module or module_on_in(territory, collection.module)


@dataclass(frozen=True)
class OpenDataset:
    collection: Collection
    territory: Territory
    files: tuple[OpenFile, ...]

    @property
    def anchor(self) -> str:
        """Its place on the open-data page (the DCAT landing page)."""
        return f"{self.territory.siren}-{self.collection.id}"

    @property
    def features(self) -> int:
        return self.files[0].features

    @property
    def modified(self) -> datetime:
        return max(f.modified for f in self.files)


def _format_order(record: OpenFile) -> int:
    return list(FORMATS).index(record.format) if record.format in FORMATS else len(FORMATS)


def open_datasets(*, siren: str = "", collection_id: str = "") -> list[OpenDataset]:
    """The published datasets, by territory name then in the collections' order; of one
    territory when ``siren`` is given, of one collection when ``collection_id`` is."""
    records = OpenFile.objects.select_related("territory")
    if siren:
        records = records.filter(territory__siren=siren)
    if collection_id:
        records = records.filter(collection=collection_id)
    grouped: dict[tuple[int, str], list[OpenFile]] = {}
    territories: dict[int, Territory] = {}
    for record in records:
        grouped.setdefault((record.territory_id, record.collection), []).append(record)
        territories[record.territory_id] = record.territory
    found = collections()
    datasets = []
    for territory in sorted(territories.values(), key=lambda t: (t.name, t.siren)):
        for collection in found:
            files = grouped.get((territory.pk, collection.id))
            if files and collection_open_in(collection, territory):
                ordered = tuple(sorted(files, key=_format_order))
                datasets.append(OpenDataset(collection, territory, ordered))
    return datasets


def open_file_get(*, siren: str, collection_id: str, fmt: str) -> OpenFile | None:
    """A published file, None when there is none (unknown, not public there)."""
    collection = collection_get(collection_id)
    if collection is None or fmt not in FORMATS:
        return None
    record = (
        OpenFile.objects.select_related("territory")
        .filter(territory__siren=siren, collection=collection_id, format=fmt)
        .first()
    )
    if record is None or not collection_open_in(collection, record.territory):
        return None
    return record
