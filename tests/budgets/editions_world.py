# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the editions' tests share: an edition in the analysis phase with its planner, and
district files written with GDAL (ogr2ogr) from the territory's own communes."""

import json
import subprocess
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from carto_concertation.budgets.models import Edition, EditionPhase
from tests.factories.accounts import user_with_role
from tests.factories.budgets import EditionFactory
from tests.factories.geometry import cell_of, square, wgs84
from tests.factories.territories import TerritoryFactory


def quarters(territory) -> list[tuple[str, object]]:
    """Two districts splitting the territory's first commune row: its first two cells."""
    column, row = cell_of(territory.geom)
    return [("Nord", square(column, row)), ("Sud", square(column + 1, row))]


def geojson_4326(path: Path, shapes: list[tuple[str, object]], field: str = "nom") -> Path:
    features = [
        {"type": "Feature", "properties": {field: name}, "geometry": json.loads(wgs84(geom).json)}
        for name, geom in shapes
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def ogr(target: Path, source: Path, *options: str) -> Path:
    subprocess.run(["ogr2ogr", *options, str(target), str(source)], check=True)
    return target


def geopackage_2154(folder: Path, shapes) -> Path:
    source = geojson_4326(folder / "source.geojson", shapes)
    return ogr(folder / "quartiers.gpkg", source, "-f", "GPKG", "-t_srs", "EPSG:2154")


def zipped_shapefile(folder: Path, shapes) -> Path:
    source = geojson_4326(folder / "source.geojson", shapes)
    shp = folder / "shp"
    ogr(shp, source, "-f", "ESRI Shapefile", "-t_srs", "EPSG:2154", "-nln", "quartiers")
    archive = folder / "quartiers.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for part in shp.iterdir():
            bundle.write(part, part.name)
    return archive


def table_without_geometry(folder: Path) -> Path:
    csv = folder / "quartiers.csv"
    csv.write_text("nom,budget\nNord,1000\nSud,2000\n")
    return ogr(folder / "table.gpkg", csv, "-f", "GPKG")


def set_phases(edition: Edition, current: str) -> None:
    """The five phases, ``current`` open now, the others before or after it."""
    now = timezone.now()
    kinds = [kind for kind, _label in EditionPhase.Kind.choices]
    at = kinds.index(current)
    for index, kind in enumerate(kinds):
        starts = now + timedelta(days=30 * (index - at)) - timedelta(days=1)
        EditionPhase.objects.create(
            edition=edition,
            kind=kind,
            starts_at=starts,
            ends_at=None if kind == "realisation" else starts + timedelta(days=29),
        )


@pytest.fixture(name="world")
def world_fixture():
    """An unpublished edition in its analysis phase, its planner, a planner elsewhere."""
    edition = EditionFactory(districts=2, is_published=False)
    set_phases(edition, "analysis")
    planner = user_with_role("planner", territory=edition.territory)
    stranger = user_with_role("planner", territory=TerritoryFactory(communes=1))
    return type("World", (), {"edition": edition, "planner": planner, "stranger": stranger})
