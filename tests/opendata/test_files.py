# SPDX-License-Identifier: AGPL-3.0-or-later
"""The open files (issue 22, point 4): each collection of each territory as GeoJSON, CSV,
GeoPackage and, for the large ones, FlatGeobuf, read back by GDAL; rewritten only when
their content changes, all or nothing; served with their size, date and checksum."""

import csv
import hashlib
import io
import json
import sqlite3
from pathlib import Path

import pytest
from django.contrib.gis.geos import GEOSGeometry

from carto_concertation.opendata.catalogue import files as open_files
from carto_concertation.opendata.catalogue.files import (
    OpenFileError,
    open_file_path,
    open_files_refresh,
    open_files_root,
)
from carto_concertation.opendata.models import OpenFile
from carto_concertation.territories.services import territory_modules_switch
from tests.factories import ConcertationFactory, ContributionFactory, TerritoryFactory

from .open_files_world import TEST_IDEAS, ogr_features, ogrinfo, with_test_ideas

pytestmark = pytest.mark.django_db
FIELDS = ["insee", "name", "territory", "territory_siren"]


@pytest.fixture(autouse=True)
def open_data_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = "https://carto.example.org"
    return tmp_path / "opendata"


@pytest.fixture
def two_territories():
    return TerritoryFactory(communes=3), TerritoryFactory(communes=1)


def recorded(territory) -> dict[str, OpenFile]:
    return {r.format: r for r in OpenFile.objects.filter(territory=territory)}


def test_each_territory_gets_its_communes_in_every_format_gdal_reads(two_territories):
    territory, other = two_territories
    written = open_files_refresh()
    # The other collections have no feature in these territories: no file.
    assert {(w.siren, w.collection, w.features) for w in written if w.features} == {
        (territory.siren, "communes", 3),
        (other.siren, "communes", 1),
    }
    records = recorded(territory)
    assert set(records) == {"geojson", "csv", "gpkg"}  # below OPEN_DATA_FLATGEOBUF_FROM
    insee = sorted(territory.communes.values_list("insee", flat=True))
    for fmt, record in records.items():
        path = open_file_path(siren=territory.siren, collection="communes", fmt=fmt)
        assert path.parent == open_files_root() / territory.siren
        data = path.read_bytes()
        assert record.size == len(data) and record.features == 3
        assert record.sha256 == hashlib.sha256(data).hexdigest()
        features = ogr_features(path)
        assert sorted(f["properties"]["insee"] for f in features) == insee, fmt
        assert {f["properties"]["territory_siren"] for f in features} == {territory.siren}
        assert set(features[0]["properties"]) == set(FIELDS), fmt
        # Where the commune is: the same place whatever the format and its CRS.
        commune = territory.communes.get(insee=features[0]["properties"]["insee"])
        read = GEOSGeometry(json.dumps(features[0]["geometry"]), srid=4326)
        expected = commune.geom.transform(4326, clone=True)
        assert read.centroid.distance(expected.centroid) < 1e-6, fmt

    collection = json.loads(
        open_file_path(siren=other.siren, collection="communes", fmt="geojson").read_bytes()
    )
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 1
    assert collection["licence"]["url"] == "https://www.etalab.gouv.fr/licence-ouverte-open-licence"
    lon, lat = collection["features"][0]["geometry"]["coordinates"][0][0][0]
    assert -6 < lon < 10 and 41 < lat < 52  # CRS84: longitude first


def test_the_csv_is_utf8_with_the_declared_fields_and_a_wkt_column_in_crs84(two_territories):
    territory, _ = two_territories
    commune = territory.communes.order_by("insee").first()
    commune.name = "Saint-Étienne-de-l'Œuvre, « le bourg »"
    commune.save()
    open_files_refresh()
    path = open_file_path(siren=territory.siren, collection="communes", fmt="csv")
    data = path.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")  # UTF-8 without a byte order mark
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0] == [*FIELDS, "wkt"]
    by_insee = {row[0]: row for row in rows[1:]}
    assert by_insee[commune.insee][1] == commune.name
    geometry = GEOSGeometry(by_insee[commune.insee][-1], srid=4326)
    assert geometry.geom_type == "MultiPolygon"
    assert geometry.centroid.distance(commune.geom.transform(4326, clone=True).centroid) < 1e-6
    # GDAL finds the geometry column by itself, and so does QGIS.
    assert "MULTIPOLYGON" in ogrinfo(path)


def test_the_geopackage_is_in_the_sites_srid_with_each_fields_type(monkeypatch, settings):
    with_test_ideas(monkeypatch)
    concertation = ConcertationFactory(territory=TerritoryFactory(communes=2))
    themes = list(concertation.themes.values_list("pk", flat=True))
    ContributionFactory(concertation=concertation, theme_ids=themes[:2])
    ContributionFactory(concertation=concertation, shape="line")
    # A text that looks like a date stays text.
    ContributionFactory(concertation=concertation, shape="area", title="2026-01-02")
    open_files_refresh()
    siren = concertation.territory.siren
    path = open_file_path(siren=siren, collection=TEST_IDEAS.name, fmt="gpkg")
    described = ogrinfo(path, "-so")
    assert f'ID["EPSG",{settings.SRID}]' in described
    for line in (
        "id: Integer64",
        "title: String",
        "votes_for: Integer64",
        "zone_share: Real",
        "retained: Integer(Boolean)",
        "themes: String(JSON)",  # a list, as JSON text
        "created_at: DateTime",
        "created: Date",
        "link: String",
    ):
        assert line in described, line
    features = ogr_features(path)
    assert {f["geometry"]["type"] for f in features} == {"Point", "LineString", "Polygon"}
    # GDAL gives the JSON text back as the list it is.
    with_themes = next(f for f in features if f["properties"]["themes"] != [])
    assert len(with_themes["properties"]["themes"]) == 2
    link = with_themes["properties"]["link"]
    assert link == f"https://carto.example.org/idees/{with_themes['properties']['id']}/"
    # Date-times in UTC, as the GeoPackage standard says (the GeoJSON keeps the module's).
    with sqlite3.connect(path) as database:
        stored = database.execute('SELECT created_at, title FROM "idees-test"').fetchall()
    assert all(moment.endswith("Z") for moment, _ in stored), stored
    assert "2026-01-02" in {title for _, title in stored}


def test_the_large_datasets_also_come_as_flatgeobuf(two_territories, settings):
    territory, other = two_territories
    settings.OPEN_DATA_FLATGEOBUF_FROM = 2
    open_files_refresh()
    assert set(recorded(territory)) == {"geojson", "csv", "gpkg", "fgb"}
    assert set(recorded(other)) == {"geojson", "csv", "gpkg"}
    path = open_file_path(siren=territory.siren, collection="communes", fmt="fgb")
    assert len(ogr_features(path)) == 3
    assert 'ID["EPSG",4326]' in ogrinfo(path, "-so")
    # Below the threshold again: the FlatGeobuf goes, file and record.
    settings.OPEN_DATA_FLATGEOBUF_FROM = 10
    open_files_refresh()
    assert set(recorded(territory)) == {"geojson", "csv", "gpkg"}
    assert not path.exists()


def test_an_unchanged_dataset_keeps_its_files_and_dates_a_changed_one_is_rewritten(
    two_territories,
):
    territory, other = two_territories
    open_files_refresh()
    before = recorded(territory)
    gpkg = open_file_path(siren=territory.siren, collection="communes", fmt="gpkg")
    inode = gpkg.stat().st_ino
    again = {(w.siren, w.changed) for w in open_files_refresh() if w.collection == "communes"}
    assert again == {(territory.siren, False), (other.siren, False)}
    assert {f: (r.sha256, r.modified) for f, r in recorded(territory).items()} == {
        f: (r.sha256, r.modified) for f, r in before.items()
    }
    assert gpkg.stat().st_ino == inode

    commune = territory.communes.order_by("insee").first()
    commune.name = "Nouveau nom"
    commune.save()
    changed = {(w.siren, w.changed) for w in open_files_refresh() if w.collection == "communes"}
    assert changed == {(territory.siren, True), (other.siren, False)}
    after = recorded(territory)
    for fmt in ("geojson", "csv"):
        assert after[fmt].sha256 != before[fmt].sha256
        assert after[fmt].modified > before[fmt].modified
    assert gpkg.stat().st_ino != inode
    assert "Nouveau nom" in {f["properties"]["name"] for f in ogr_features(gpkg)}

    # A file lost on disk is written again, though the data did not change.
    gpkg.unlink()
    assert {(w.siren, w.changed) for w in open_files_refresh()} >= {(territory.siren, True)}
    assert gpkg.exists()


def test_files_go_with_their_features_module_or_territory(monkeypatch, two_territories):
    with_test_ideas(monkeypatch)
    territory, other = two_territories
    concertation = ConcertationFactory(territory=territory)
    idea = ContributionFactory(concertation=concertation)
    open_files_refresh()
    ideas = open_file_path(siren=territory.siren, collection=TEST_IDEAS.name, fmt="csv")
    assert ideas.exists()
    assert not OpenFile.objects.filter(territory=other, collection=TEST_IDEAS.name).exists()

    # Back to moderation, the only idea leaves: no empty files are published.
    type(idea).objects.filter(pk=idea.pk).update(status="submitted")
    open_files_refresh()
    assert not ideas.exists()
    assert not OpenFile.objects.filter(collection=TEST_IDEAS.name).exists()

    # A territory deleted: its files go too.
    other_csv = open_file_path(siren=other.siren, collection="communes", fmt="csv")
    assert other_csv.exists()
    other.delete()
    open_files_refresh()
    assert not other_csv.exists() and not other_csv.parent.exists()


def test_a_module_switched_off_in_a_territory_publishes_no_file_there(monkeypatch):
    """A module's collection (here the ideas of the test, declared as the ideas module's)
    leaves the territory where the module is switched off."""
    from carto_concertation.opendata import collections as opendata_collections
    from carto_concertation.opendata.collections import Collection

    real = opendata_collections.collections
    monkeypatch.setattr(
        opendata_collections,
        "collections",
        lambda: [*real(), Collection(TEST_IDEAS, "ideas")],
    )
    monkeypatch.setattr(open_files, "collections", opendata_collections.collections)
    concertation = ConcertationFactory(territory=TerritoryFactory(communes=1))
    ContributionFactory(concertation=concertation)
    territory = concertation.territory
    open_files_refresh()
    path = open_file_path(siren=territory.siren, collection=TEST_IDEAS.name, fmt="geojson")
    assert path.exists()
    territory_modules_switch(territory=territory, modules_off=["ideas"])
    territory.refresh_from_db()
    open_files_refresh()
    assert not path.exists()
    assert set(recorded(territory)) == {"geojson", "csv", "gpkg"}  # the communes stay
    assert {r.collection for r in OpenFile.objects.filter(territory=territory)} == {"communes"}


def test_a_failed_write_leaves_the_files_as_they_were(two_territories, monkeypatch):
    territory, _ = two_territories
    open_files_refresh()
    before = {
        fmt: open_file_path(siren=territory.siren, collection="communes", fmt=fmt).read_bytes()
        for fmt in ("geojson", "csv", "gpkg")
    }
    records = {f: r.sha256 for f, r in recorded(territory).items()}
    commune = territory.communes.order_by("insee").first()
    commune.name = "Changé"
    commune.save()

    def broken(arguments):
        raise OpenFileError("ogr2ogr: no space left on device")

    monkeypatch.setattr(open_files, "_ogr2ogr", broken)
    with pytest.raises(OpenFileError, match="no space left"):
        open_files_refresh()
    for fmt, data in before.items():
        path = open_file_path(siren=territory.siren, collection="communes", fmt=fmt)
        assert path.read_bytes() == data, fmt
    assert {f: r.sha256 for f, r in recorded(territory).items()} == records
    # Nothing half-written is left beside the files.
    assert sorted(p.name for p in (open_files_root() / territory.siren).iterdir()) == [
        "communes.csv",
        "communes.geojson",
        "communes.gpkg",
    ]


def test_a_collection_id_that_cannot_name_a_file_is_refused(monkeypatch):
    from carto_concertation.opendata.collections import Collection

    TerritoryFactory(communes=1)
    bad = TEST_IDEAS.__class__(**{**TEST_IDEAS.__dict__, "name": "../idees"})
    monkeypatch.setattr(open_files, "collections", lambda: [Collection(bad, "")])
    with pytest.raises(OpenFileError, match="cannot name a file"):
        open_files_refresh()
    assert not any(Path(open_files_root()).glob("**/*.geojson"))


def test_the_command_writes_the_files_now(two_territories):
    from io import StringIO

    from django.core.management import call_command

    territory, _ = two_territories
    out = StringIO()
    call_command("open_files_refresh", stdout=out)
    assert f"{territory.siren} communes: 3 features, written (geojson, csv, gpkg)" in out.getvalue()
    assert open_file_path(siren=territory.siren, collection="communes", fmt="gpkg").exists()
    again = StringIO()
    call_command("open_files_refresh", stdout=again)
    assert f"{territory.siren} communes: 3 features, unchanged" in again.getvalue()
