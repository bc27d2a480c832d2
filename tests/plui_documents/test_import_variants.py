# SPDX-License-Identifier: AGPL-3.0-or-later
"""Deliveries as collectivités really send them: encodings, CRS, layouts, versions, defects."""

import subprocess

import pytest

from plui_documents.models import DocumentVersion, UrbanDocument, Zone
from plui_documents.services import PluiImportError, plui_import

from .conftest import PLUI_DATA, SOURCE_ZONES, TROIS_PROVINCES, source_features

pytestmark = pytest.mark.django_db(transaction=True)

IDURBA = "241800432_PLUI_20200128"


def libelong_of(version, fid: int) -> str:
    return version.zones.get(source_fid=fid).libelong


@pytest.mark.parametrize(
    ("folder", "encoding"),
    [("latin1-no-cpg", "CP1252"), ("cp1252-with-cpg", "CP1252")],
)
def test_dbf_encodings_are_decoded(folder, encoding):
    version, report = plui_import(path=PLUI_DATA / "encodings" / folder)
    assert report.encodings["ZONE_URBA"] == encoding
    expected = {f.fid: str(f.get("LIBELONG")) for f in source_features(SOURCE_ZONES)}
    ue = next(fid for fid, text in expected.items() if "économique" in text)
    assert libelong_of(version, ue) == expected[ue]
    if folder == "cp1252-with-cpg":
        assert libelong_of(version, 163) == "Nm : secteur de projet d’une usine de méthanisation"


def test_cc_zone_projection_is_reprojected_to_lambert93():
    reference, _ = plui_import(path=TROIS_PROVINCES)
    version, report = plui_import(path=PLUI_DATA / "variants" / "cc46")
    assert report.source_srs == "EPSG:3946"
    assert report.counts == {"ZONE_URBA": 221, "PRESCRIPTION_SURF": 32}
    for fid in (0, 100, 204):
        a = reference.zones.get(source_fid=fid).geom.point_on_surface
        b = version.zones.get(source_fid=fid).geom
        assert b.contains(a) or b.distance(a) < 0.05


def test_z_coordinates_are_dropped():
    version, _ = plui_import(path=PLUI_DATA / "variants" / "zone_urba_3d.gpkg", idurba=IDURBA)
    assert version.zones.count() == 221
    assert not any(zone.geom.hasz for zone in version.zones.all())


def test_geopackage_delivery_with_all_tables():
    version, report = plui_import(path=PLUI_DATA / "variants" / "delivery.gpkg")
    assert report.counts == {
        "ZONE_URBA": 221,
        "PRESCRIPTION_SURF": 32,
        "PRESCRIPTION_LIN": 264,
        "PRESCRIPTION_PCT": 167,
    }
    assert version.document.idurba == IDURBA
    assert version.etat == "07"


def test_cnig_2024_layout_is_recognised():
    version, report = plui_import(path=PLUI_DATA / "variants" / "v2024")
    assert report.cnig_version == "2024"
    assert set(version.zones.values_list("formdomi", flat=True)) == {"0000"}


def test_each_invalid_geometry_is_repaired_and_reported():
    version, report = plui_import(path=PLUI_DATA / "variants" / "invalid-geometry")
    repaired = sorted(line.split(" ")[2] for line in report.repairs)
    assert repaired == ["0", "174"]
    assert "Self-intersection" in report.repairs[0]
    assert version.zones.count() == 221
    assert all(zone.geom.valid for zone in version.zones.all())


def test_overlap_and_gap_are_reported_with_where_they_are():
    _version, report = plui_import(
        path=PLUI_DATA / "variants" / "overlap-gap.geojson", idurba=IDURBA
    )
    assert any(
        "FID 176 (UE)" in line
        and "overlap" in line
        and ("FID 184 (A)" in line or "FID 177" in line)
        for line in report.warnings
    )
    gap = next(line for line in report.warnings if line.startswith("Gap of 18"))
    x, y = (int(v) for v in gap.split("around ")[1].split(" (")[0].split())
    assert abs(x - 695293) < 500 and abs(y - 6635492) < 500


def test_a_new_import_is_a_new_version_and_the_old_one_stays_queryable():
    first, _ = plui_import(path=TROIS_PROVINCES)
    second, _ = plui_import(path=PLUI_DATA / "variants" / "delivery.gpkg")

    document = UrbanDocument.objects.get(idurba=IDURBA)
    assert document.current_version == second
    assert [v.number for v in document.versions.order_by("number")] == [1, 2]
    assert Zone.objects.filter(version=first).count() == 221
    assert Zone.objects.filter(version=second).count() == 221


def test_a_failed_import_changes_nothing():
    first, _ = plui_import(path=TROIS_PROVINCES)
    with pytest.raises(PluiImportError):
        plui_import(path=PLUI_DATA / "broken" / "typezone-out-of-domain", idurba=IDURBA)
    document = UrbanDocument.objects.get(idurba=IDURBA)
    assert document.current_version == first
    assert DocumentVersion.objects.count() == 1
    assert Zone.objects.count() == 221


@pytest.mark.parametrize("epsg", [2975, 5490])  # UTM 40S (La Réunion), UTM 20N (Antilles)
def test_overseas_projections_are_reprojected(tmp_path, epsg):
    """A delivery in an overseas projection: same zones once back in Lambert-93.

    (The Cher is far from those zones, but the transformation is exact either way.)
    """
    reference, _ = plui_import(path=TROIS_PROVINCES, analyse=False)
    target = tmp_path / "241800432_ZONE_URBA_20200128.shp"
    subprocess.run(
        ["ogr2ogr", "-t_srs", f"EPSG:{epsg}", str(target), str(SOURCE_ZONES)], check=True
    )
    version, report = plui_import(path=target, analyse=False)
    assert report.source_srs == f"EPSG:{epsg}"
    a = reference.zones.get(source_fid=12).geom.centroid
    b = version.zones.get(source_fid=12).geom.centroid
    assert a.distance(b) < 0.5
