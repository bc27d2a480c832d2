# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every bad input gets a clear reason and changes nothing."""

import pytest

from plui_documents.models import DocumentVersion, UrbanDocument, Zone
from plui_documents.services import PluiImportError, plui_import

from .conftest import PLUI_DATA

pytestmark = pytest.mark.django_db(transaction=True)
BROKEN = PLUI_DATA / "broken"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("no-prj", "has no coordinate reference system (no .prj)"),
        ("unknown-crs", "describes no coordinate reference system that GDAL knows"),
        ("not-a-shapefile", "Cannot read 241800432_ZONE_URBA_20200128.shp as geographic data"),
        ("missing-field", "mandatory field(s) TYPEZONE missing for the CNIG 2017 standard"),
        (
            "typezone-out-of-domain",
            "FID 1 (UE): TYPEZONE 'X' is not in the domain of the CNIG 2017 standard",
        ),
        ("zip-slip.zip", "../../evil.txt points outside the archive"),
        ("zip-absolute.zip", "/tmp/evil.txt points outside the archive"),
        ("empty.zip", "empty.zip is empty"),
        ("empty.geojson", "empty.geojson is empty"),
        ("empty-collection.geojson", "no ZONE_URBA table"),
    ],
)
def test_bad_deliveries_are_refused_with_the_reason(name, expected):
    with pytest.raises(PluiImportError) as refused:
        plui_import(path=BROKEN / name, idurba="241800432_PLUI_20200128")
    assert any(expected in error for error in refused.value.report.errors), (
        refused.value.report.errors
    )
    assert (
        UrbanDocument.objects.count()
        == DocumentVersion.objects.count()
        == Zone.objects.count()
        == 0
    )


def test_every_out_of_domain_typezone_is_listed():
    with pytest.raises(PluiImportError) as refused:
        plui_import(path=BROKEN / "typezone-out-of-domain")
    listed = [e for e in refused.value.report.errors if "TYPEZONE" in e]
    assert [e.split(" ")[2] for e in listed] == ["1", "10", "20"]


def test_a_zip_bomb_is_stopped_at_the_size_limit(settings):
    settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 16 * 1024 * 1024
    with pytest.raises(PluiImportError) as refused:
        plui_import(path=BROKEN / "zip-bomb.zip")
    assert "expands to more than 16 MB" in refused.value.report.errors[0]


def test_a_source_srid_rescues_a_file_without_prj():
    version, report = plui_import(path=BROKEN / "no-prj", idurba="X_PLUI_1", source_srid=2154)
    assert report.counts == {"ZONE_URBA": 30}
    assert version.zones.count() == 30
