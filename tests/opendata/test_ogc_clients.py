# SPDX-License-Identifier: AGPL-3.0-or-later
"""Outside clients judge /ogc/ on a live server: GDAL's OAPIF driver — Debian's ogrinfo
(GDAL 3.6) and pyogrio's bundled GDAL 3.12, as QGIS reads it — and OWSLib read every
feature of every collection, following the next links, in CRS84 and in Lambert-93."""

import re
import subprocess
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.core.signals import request_started
from owslib.ogcapi.features import Features

from carto_concertation.contributions.models import Contribution
from carto_concertation.opendata.collections import collections
from carto_concertation.signalements.models import Report
from carto_concertation.territories.models import Commune
from tests.demo_snapshot import demo_load
from tests.factories import ContributionFactory, SignalementFactory, TerritoryFactory
from tests.gdal_3_12 import gdal_3_12, moments_read

pytestmark = pytest.mark.django_db(transaction=True)
LAMBERT93 = "http://www.opengis.net/def/crs/EPSG/0/2154"


@pytest.fixture
def published():
    TerritoryFactory(communes=5)
    TerritoryFactory(communes=2)
    return {c.id: set(c.source.rows().values_list("pk", flat=True)) for c in collections()}


@pytest.fixture
def asked():
    """The items requests the live server received, path and decoded query."""
    seen = []

    def record(sender, environ, **kwargs):
        if environ["PATH_INFO"].endswith("/items"):
            seen.append(f"{environ['PATH_INFO']}?{unquote(environ.get('QUERY_STRING', ''))}")

    request_started.connect(record)
    yield seen
    request_started.disconnect(record)


def ogrinfo(*arguments: str) -> str:
    done = subprocess.run(
        ["/usr/bin/ogrinfo", "-ro", *arguments], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert "ERROR" not in done.stderr, done.stderr
    return done.stdout


def test_debian_gdal_reads_every_feature_of_every_collection_page_by_page(
    live_server, published, asked
):
    root = f"OAPIF:{live_server.url}/ogc/"
    listing = ogrinfo(root)
    for collection_id in published:
        assert re.search(rf"^\d+: {re.escape(collection_id)}\b", listing, re.M), listing
    for collection_id, pks in published.items():
        summary = ogrinfo("-so", root, collection_id)
        assert f"Feature Count: {len(pks)}" in summary  # numberMatched
        # Pages of 2: every feature comes only by following the next links.
        read = ogrinfo(
            "-al",
            "-q",
            "-oo",
            "PAGE_SIZE=2",
            f"{live_server.url}/ogc/collections/{collection_id}".join(["OAPIF:", ""]),
        )
        fids = [
            int(fid)
            for fid in re.findall(rf"^OGRFeature\({re.escape(collection_id)}\):(\d+)", read, re.M)
        ]
        assert sorted(fids) == sorted(pks)
    assert any("offset=4" in request for request in asked)  # a next link, followed
    communes = ogrinfo("-al", "-q", "-oo", "PAGE_SIZE=3", root, "communes")
    for commune in Commune.objects.all():
        assert f"insee (String) = {commune.insee}" in communes


def test_gdal_3_12_reads_lambert_93_as_stored(live_server, published, asked):
    """pyogrio's GDAL (≥ 3.7) takes the collection's storageCrs, asks for it with crs=, and
    checks the Content-Crs: the coordinates are the database's, in metres."""
    for collection_id, pks in published.items():
        url = f"OAPIF:{live_server.url}/ogc/collections/{collection_id}"
        crs, fids, _geometries = gdal_3_12(url, PAGE_SIZE="2")
        assert crs == "EPSG:2154"
        assert sorted(fids) == sorted(pks)
    url = f"OAPIF:{live_server.url}/ogc/collections/communes"
    crs, fids, geometries = gdal_3_12(url, CRS="EPSG:2154", PAGE_SIZE="2")
    assert crs == "EPSG:2154"
    lambert_pages = [request for request in asked if f"crs={LAMBERT93}" in request]
    assert any("offset=2" in request for request in lambert_pages), asked
    for fid, read in zip(fids, geometries, strict=True):
        stored = Commune.objects.get(pk=fid).geom
        read.srid = 2154
        assert read.equals_exact(stored, tolerance=0.01), fid
    crs, fids, geometries = gdal_3_12(url, CRS="OGC:CRS84")
    lon, lat = geometries[0].coords[0][0][0]
    assert -6 < lon < 10 and 41 < lat < 52


def test_owslib_reads_the_landing_the_collections_and_every_page(live_server, published):
    api = Features(f"{live_server.url}/ogc/")
    assert api.links
    assert (
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
        in (api.conformance()["conformsTo"])
    )
    assert api.api()["openapi"].startswith("3.0")
    assert set(api.feature_collections()) == set(published)
    for collection_id, pks in published.items():
        assert api.collection(collection_id)["id"] == collection_id
        seen, offset, pages = [], 0, 0
        while offset is not None:
            page = api.collection_items(collection_id, limit=2, offset=offset)
            assert page["numberMatched"] == len(pks)
            seen += [feature["id"] for feature in page["features"]]
            pages += 1
            following = [link["href"] for link in page["links"] if link["rel"] == "next"]
            offset = int(parse_qs(urlsplit(following[0]).query)["offset"][0]) if following else None
        assert sorted(seen) == sorted(pks) and pages == max((len(pks) + 1) // 2, 1)

    lambert = api.collection_items("communes", limit=100, crs=LAMBERT93)
    assert api.response_headers["Content-Crs"] == f"<{LAMBERT93}>"
    for feature in lambert["features"]:
        stored = Commune.objects.get(pk=feature["id"]).geom
        x, y = feature["geometry"]["coordinates"][0][0][0]
        assert (round(x, 2), round(y, 2)) == tuple(round(v, 2) for v in stored.coords[0][0][0])
    commune = Commune.objects.order_by("pk").first()
    one = api.collection_item("communes", str(commune.pk))
    assert one["properties"]["insee"] == commune.insee


def test_every_collection_of_the_demo_read_whole_in_both_crs(live_server, settings, tmp_path):
    """The real demo (its communes, and every module's public data as they declare their
    collections): GDAL 3.6 in CRS84 and GDAL 3.12 in Lambert-93 read every feature."""
    settings.MEDIA_ROOT = tmp_path
    demo_load()
    published = {c.id: set(c.source.rows().values_list("pk", flat=True)) for c in collections()}
    assert len(published["communes"]) > 10
    for collection_id, pks in published.items():
        url = f"OAPIF:{live_server.url}/ogc/collections/{collection_id}"
        read = ogrinfo("-al", "-q", "-oo", "PAGE_SIZE=100", url)
        pattern = rf"^OGRFeature\({re.escape(collection_id)}\):(\d+)"
        assert sorted(int(fid) for fid in re.findall(pattern, read, re.M)) == sorted(pks)
        crs, fids, _geometries = gdal_3_12(url, PAGE_SIZE="100")
        assert crs == "EPSG:2154" and sorted(fids) == sorted(pks), collection_id


def test_gdal_3_12_reads_a_moment_forty_microseconds_before_the_next_second(
    live_server, small_open_concertation
):
    """GDAL keeps seconds as a float32: 00.999960 came back as 00 s plus a million
    microseconds, and pyogrio (QGIS's reader) refused the whole collection. Every open
    moment is published to the second, so that it reads back as the second it was in."""
    moment = datetime(2026, 12, 31, 22, 59, 0, 999_960, tzinfo=UTC)  # 23:59 in Paris
    idea = ContributionFactory(concertation=small_open_concertation)
    Contribution.objects.filter(pk=idea.pk).update(
        status=Contribution.Status.RETAINED,
        answer="Retenue.",
        answer_service="Urbanisme",
        answered_at=moment,
        created_at=moment,
    )
    report = SignalementFactory()
    Report.objects.filter(pk=report.pk).update(created_at=moment, updated_at=moment)
    for collection_id, pk, names in (
        ("contributions", idea.pk, {"created_at", "answered_at"}),
        ("signalements", report.pk, {"created_at", "updated_at"}),
    ):
        url = f"OAPIF:{live_server.url}/ogc/collections/{collection_id}"
        read = {feature["fid"]: feature for feature in moments_read(url)}[pk]
        for name in names:
            # numpy's datetime64 carries no zone: GDAL gives the wall-clock time written.
            assert read[name] == "2026-12-31T23:59:00.000", (collection_id, name, read)
