# SPDX-License-Identifier: AGPL-3.0-or-later
"""Defects met on real deliveries from other départements, each with a delivery made
for it from the Cher one: DOC_URBA tables with an empty .prj, an ESRI .prj naming
nothing, a departmental DOC_URBA listing several documents, and a crash anywhere."""

import struct
import subprocess
from pathlib import Path

import pytest
from django.contrib.gis.gdal import SpatialReference

from carto_concertation.core.models import Job
from plui_documents.delivery import srs_epsg
from plui_documents.models import DocumentVersion, UrbanDocument, Zone
from plui_documents.services import PluiImportError, plui_import
from plui_documents.tasks import plui_import_task

from .conftest import CHER_2014

pytestmark = pytest.mark.django_db(transaction=True)
IDURBA = "241800432_PLUI_20200128"

# Lambert-93 as some ESRI tools write it: no name says so, only the numbers.
ESRI_LAMBERT_93 = (
    'PROJCS["Lambert_Conformal_Conic",GEOGCS["GCS_Unknown",DATUM["D_GRS_80",'
    'SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],'
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],'
    'PARAMETER["False_Easting",700000.0],PARAMETER["False_Northing",6600000.0],'
    'PARAMETER["Central_Meridian",3.0],PARAMETER["Standard_Parallel_1",49.0],'
    'PARAMETER["Standard_Parallel_2",44.0],PARAMETER["Latitude_Of_Origin",46.5],'
    'UNIT["Meter",1.0]]'
)


def nothing_written() -> bool:
    return (
        UrbanDocument.objects.count()
        == DocumentVersion.objects.count()
        == Zone.objects.count()
        == 0
    )


def null_shapefile(dbf: Path, records: int) -> None:
    """The .shp and .shx of a table without geometry (shape type 0, "Null Shape"),
    as some tools write DOC_URBA, beside its DBF."""

    def header(length_bytes: int) -> bytes:
        return (
            struct.pack(">7i", 9994, 0, 0, 0, 0, 0, length_bytes // 2)
            + struct.pack("<2i", 1000, 0)
            + struct.pack("<8d", *[0.0] * 8)
        )

    shapes = b"".join(struct.pack(">2i", n + 1, 2) + struct.pack("<i", 0) for n in range(records))
    index = b"".join(struct.pack(">2i", (100 + 12 * n) // 2, 2) for n in range(records))
    dbf.with_suffix(".shp").write_bytes(header(100 + len(shapes)) + shapes)
    dbf.with_suffix(".shx").write_bytes(header(100 + len(index)) + index)


def doc_urba(path: Path, rows: list[dict]) -> None:
    """A DOC_URBA DBF with these rows (every field text, as in the standard)."""
    csv_path = path.with_suffix(".csv")
    fields = list(rows[0])
    lines = [",".join(fields)] + [",".join(row[f] for f in fields) for row in rows]
    csv_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.unlink(missing_ok=True)
    subprocess.run(
        ["ogr2ogr", "-f", "ESRI Shapefile", str(path), str(csv_path), "-nln", path.stem],
        check=True,
        capture_output=True,
    )
    csv_path.unlink()


# (a) Tables without geometry and an empty .prj ------------------------------------


def test_doc_urba_tables_with_an_empty_prj_are_read(delivery_copy):
    doc = delivery_copy / "241800432_DOC_URBA_20200128.dbf"
    null_shapefile(doc, records=1)
    doc.with_suffix(".prj").write_bytes(b"")
    (delivery_copy / "241800432_DOC_URBA_COM_20200128.prj").write_bytes(b"")

    version, report = plui_import(path=delivery_copy, analyse=False)

    assert report.errors == []
    assert report.counts["ZONE_URBA"] == 221
    assert version.document.idurba == IDURBA
    assert version.etat == "07" and str(version.datappro) == "2020-01-28"
    assert version.communes == ["18275"]


def test_a_zone_table_with_an_empty_prj_is_still_refused(delivery_copy):
    zones = delivery_copy / "Donnees_geographiques" / "241800432_ZONE_URBA_20200128"
    zones.with_suffix(".prj").write_bytes(b"")
    zones.with_suffix(".qpj").unlink()
    with pytest.raises(PluiImportError) as refused:
        plui_import(path=delivery_copy, analyse=False)
    assert any("241800432_ZONE_URBA_20200128.shp" in e for e in refused.value.report.errors)
    assert nothing_written()


# (b) An ESRI .prj that names nothing ---------------------------------------------


def test_an_esri_prj_naming_nothing_is_recognised_as_lambert_93(delivery_copy):
    reference, _report = plui_import(path=delivery_copy, idurba="REFERENCE", analyse=False)
    for prj in (delivery_copy / "Donnees_geographiques").glob("*.prj"):
        prj.write_text(ESRI_LAMBERT_93)
        prj.with_suffix(".qpj").unlink()

    version, report = plui_import(path=delivery_copy, analyse=False)

    assert report.errors == []
    assert report.source_srs == "EPSG:2154"
    assert version.source_srs == "EPSG:2154"
    assert report.counts == {
        "ZONE_URBA": 221,
        "PRESCRIPTION_SURF": 32,
        "PRESCRIPTION_LIN": 264,
        "PRESCRIPTION_PCT": 167,
    }
    for fid in (0, 12, 204):
        a = reference.zones.get(source_fid=fid).geom
        b = version.zones.get(source_fid=fid).geom
        assert a.equals_exact(b, 0.001)


def test_lambert_93_numbers_on_another_ellipsoid_are_not_lambert_93():
    clarke = ESRI_LAMBERT_93.replace(
        'SPHEROID["GRS_1980",6378137.0,298.257222101]',
        'SPHEROID["Clarke_1880_IGN",6378249.2,293.4660212936269]',
    )
    assert srs_epsg(ESRI_LAMBERT_93) == 2154
    assert srs_epsg(clarke) is None
    assert srs_epsg(SpatialReference(3946).wkt) == 3946


# (c) A departmental DOC_URBA listing several documents ------------------------------

NEIGHBOUR = {
    "IDURBA": "241800433_PLUI_20190304",
    "TYPEDOC": "PLUI",
    "ETAT": "07",
    "DATAPPRO": "20190304",
    "SIREN": "241800433",
}


def test_the_doc_urba_row_of_the_zones_is_taken_not_the_first(delivery_copy):
    doc_urba(
        delivery_copy / "241800432_DOC_URBA_20200128.dbf",
        [
            NEIGHBOUR,
            {**NEIGHBOUR, "IDURBA": "18275_PLU_20100101", "DATAPPRO": "20100101", "SIREN": ""},
            {
                "IDURBA": IDURBA,
                "TYPEDOC": "PLUI",
                "ETAT": "07",
                "DATAPPRO": "20200128",
                "SIREN": "241800432",
            },
        ],
    )
    version, report = plui_import(path=delivery_copy, analyse=False)
    assert version.document.idurba == IDURBA
    assert version.document.siren == "241800432"
    assert str(version.datappro) == "2020-01-28"
    assert any("DOC_URBA lists 3 documents" in w for w in report.warnings)


def test_a_cnig_2014_extract_is_matched_by_commune_name_and_date(tmp_path):
    """2014 zones carry no IDURBA: their INSEE code and DATAPPRO, and the delivery's
    name, tell the row."""
    delivery = tmp_path / CHER_2014.name
    subprocess.run(["cp", "-r", str(CHER_2014), str(delivery)], check=True)
    rows = [
        {"IDURBA": "18033_PLU_20150312", "TYPEDOC": "PLU", "DATAPPRO": "20150312"},
        {"IDURBA": "20001178120160505", "TYPEDOC": "PLU", "DATAPPRO": "20160505"},
        {"IDURBA": "20001178120180101", "TYPEDOC": "PLU", "DATAPPRO": "20180101"},
        {"IDURBA": "18007_POS_19990101", "TYPEDOC": "POS", "DATAPPRO": "19990101"},
    ]
    doc_urba(delivery / "DOC_URBA.dbf", rows)
    version, _report = plui_import(path=delivery, analyse=False)
    assert version.document.idurba == "20001178120180101"
    assert str(version.datappro) == "2018-01-01"


def test_an_extract_the_zones_do_not_tell_apart_is_refused(delivery_copy):
    doc_urba(
        delivery_copy / "241800432_DOC_URBA_20200128.dbf",
        [NEIGHBOUR, {**NEIGHBOUR, "IDURBA": "241800434_PLUI_20190304"}],
    )
    with pytest.raises(PluiImportError) as refused:
        plui_import(path=delivery_copy)
    assert any("give its IDURBA" in e for e in refused.value.report.errors)
    assert nothing_written()


# A crash anywhere ---------------------------------------------------------------


def test_an_unexpected_error_is_a_refusal_that_changes_nothing(delivery_copy, monkeypatch):
    def crash(**kwargs):  # after the zones are written, inside the transaction
        raise RuntimeError("page 3 unreadable")

    monkeypatch.setattr("plui_documents.pieces.regulation_links_build", crash)
    with pytest.raises(PluiImportError) as refused:
        plui_import(path=delivery_copy)
    assert any(
        "Unexpected error" in e and "RuntimeError: page 3 unreadable" in e
        for e in refused.value.report.errors
    )
    assert nothing_written()


def test_the_import_job_records_the_reason(delivery_copy, tmp_path, monkeypatch):
    def crash(**kwargs):
        raise ValueError("no such field")

    monkeypatch.setattr("plui_documents.pieces.regulation_links_build", crash)
    job = Job.objects.create(kind="plui_import", title="PLUi", params={"path": str(delivery_copy)})
    plui_import_task(str(job.pk))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == "Import refused: nothing was changed."
    assert any("ValueError: no such field" in e for e in job.report["errors"])
    assert nothing_written()
