# SPDX-License-Identifier: AGPL-3.0-or-later
"""The DCAT-AP catalogue (issue 22, point 3) as data.gouv.fr's harvester reads it: three
serialisations answered directly (no redirect, GET and HEAD), each the same graph, valid
against the DCAT-AP SHACL shapes (3.0.1 mandatory and ranges, 2.1.1 mandatory), a
dataset per collection and territory with its identifier, licence, extent, period,
publisher, contact and distributions."""

import json
from datetime import date
from pathlib import Path

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.utils import timezone
from pyshacl import validate
from rdflib import Graph, Literal, URIRef

# Namespaces through their module: pytest would inspect them as the test module's names.
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from carto_concertation.opendata.catalogue.files import open_files_refresh
from carto_concertation.opendata.models import OpenFile
from tests.factories import ConcertationFactory, ContributionFactory, TerritoryFactory

from .open_files_world import TEST_IDEAS, with_test_ideas

pytestmark = pytest.mark.django_db
SITE = "https://carto.example.org"
LOV2 = URIRef("https://www.etalab.gouv.fr/licence-ouverte-open-licence")
PATHS = {
    "jsonld": ("/catalogue.jsonld", "application/ld+json", "json-ld"),
    "ttl": ("/catalogue.ttl", "text/turtle; charset=utf-8", "turtle"),
    "rdf": ("/catalogue.rdf", "application/rdf+xml", "xml"),
}
LOCN_GEOMETRY = URIRef("http://www.w3.org/ns/locn#geometry")
GEOJSON_LITERAL = URIRef("http://www.opengis.net/ont/geosparql#geoJSONLiteral")
VCARD_EMAIL = URIRef("http://www.w3.org/2006/vcard/ns#hasEmail")


def shapes_dir() -> Path:
    """The DCAT-AP shapes kept with the tests (tests/data/README.md says their source)."""
    return Path(__file__).resolve().parents[1] / "data" / "dcat-ap"


def shapes(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(shapes_dir() / name, format="turtle")
    return graph


@pytest.fixture(autouse=True)
def open_data_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SITE_URL = SITE
    settings.OPEN_DATA_CONTACT_EMAIL = "donnees@cc-exemple.fr"


@pytest.fixture
def published(monkeypatch, settings):
    """Two territories' communes, and ideas (a collection with a moment) in one."""
    with_test_ideas(monkeypatch)
    settings.OPEN_DATA_FLATGEOBUF_FROM = 3
    concertation = ConcertationFactory(territory=TerritoryFactory(communes=3))
    for shape in ("point", "line", "area"):
        ContributionFactory(concertation=concertation, shape=shape)
    other = TerritoryFactory(communes=1)
    open_files_refresh()
    return concertation.territory, other


def fetched(client, serialisation: str) -> Graph:
    path, content_type, rdflib_format = PATHS[serialisation]
    response = client.get(path, follow=False)
    assert response.status_code == 200, path
    assert response["Content-Type"] == content_type
    return Graph().parse(data=response.content, format=rdflib_format)


def test_the_three_serialisations_answer_directly_and_hold_the_same_graph(client, published):
    graphs = {}
    for serialisation, (path, content_type, _) in PATHS.items():
        for method in (client.get, client.head):
            response = method(path, follow=False)
            assert response.status_code == 200, (method, path)
            assert response["Content-Type"] == content_type
            assert "Location" not in response
        # As the harvester asks: no Accept header, its user agent, no slash added.
        harvester = client.get(path, follow=False, headers={"user-agent": "uData/0.1 dcat"})
        assert harvester.status_code == 200
        graphs[serialisation] = fetched(client, serialisation)
    assert len(graphs["ttl"]) > 100
    assert isomorphic(graphs["ttl"], graphs["jsonld"])
    assert isomorphic(graphs["ttl"], graphs["rdf"])


@pytest.mark.parametrize("serialisation", list(PATHS))
def test_each_serialisation_conforms_to_dcat_ap_3(client, published, serialisation):
    graph = fetched(client, serialisation)
    conforms, results, text = validate(
        graph,
        shacl_graph=shapes(
            "dcat-ap-3.0.1/html-shacl/shapes.ttl", "dcat-ap-3.0.1/html-shacl/range.ttl"
        ),
        inference="none",
    )
    violations = list(results.subjects(ns.SH.resultSeverity, ns.SH.Violation))
    assert conforms and not violations, text


@pytest.mark.parametrize("serialisation", list(PATHS))
def test_each_serialisation_has_what_dcat_ap_2_1_1_requires(client, published, serialisation):
    """DCAT-AP 2.1.1's mandatory shapes hold, but one: 2.1.1 typed dcat:byteSize
    xsd:decimal, DCAT 3 and DCAT-AP 3 xsd:nonNegativeInteger; the catalogue follows 3."""
    graph = fetched(client, serialisation)
    _, results, text = validate(
        graph, shacl_graph=shapes("dcat-ap-2.1.1/dcat-ap_2.1.1_shacl_shapes.ttl"), inference="none"
    )
    violations = list(results.subjects(ns.RDF.type, ns.SH.ValidationResult))
    paths = {results.value(result, ns.SH.resultPath) for result in violations}
    assert paths <= {ns.DCAT.byteSize}, text
    for result in violations:
        assert (
            results.value(result, ns.SH.sourceConstraintComponent)
            == ns.SH.DatatypeConstraintComponent
        )


def test_a_dataset_per_collection_and_territory_as_the_harvester_reads_it(client, published):
    territory, other = published
    graph = fetched(client, "ttl")
    datasets = set(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))
    identifiers = {str(graph.value(d, ns.DCTERMS.identifier)) for d in datasets}
    assert identifiers == {
        f"{SITE}/donnees/{territory.siren}/communes",
        f"{SITE}/donnees/{territory.siren}/{TEST_IDEAS.name}",
        # The ideas module's own dataset holds the same published ideas.
        f"{SITE}/donnees/{territory.siren}/contributions",
        f"{SITE}/donnees/{other.siren}/communes",
    }
    catalogue = graph.value(predicate=ns.RDF.type, object=ns.DCAT.Catalog)
    assert set(graph.objects(catalogue, ns.DCAT.dataset)) == datasets
    assert graph.value(catalogue, ns.DCTERMS.license) == LOV2
    assert graph.value(catalogue, ns.DCTERMS.language) == URIRef(
        "http://publications.europa.eu/resource/authority/language/FRA"
    )
    assert graph.value(catalogue, ns.FOAF.homepage) == URIRef(f"{SITE}/donnees/")
    assert graph.value(catalogue, ns.DCTERMS.title).language == "fr"
    now = timezone.now()
    for dataset in datasets:
        assert graph.value(dataset, ns.DCTERMS.license) == LOV2
        assert graph.value(dataset, ns.DCTERMS.title).language == "fr"
        assert str(graph.value(dataset, ns.DCTERMS.description))
        modified = graph.value(dataset, ns.DCTERMS.modified)
        assert modified.datatype == ns.XSD.dateTime and modified.toPython() <= now
        landing = str(graph.value(dataset, ns.DCAT.landingPage))
        assert landing.startswith(f"{SITE}/donnees/#")
        contact = graph.value(dataset, ns.DCAT.contactPoint)
        assert graph.value(contact, VCARD_EMAIL) == URIRef("mailto:donnees@cc-exemple.fr")
        # Places and periods are blank nodes: a URI there, the harvester would fetch.
        spatial = graph.value(dataset, ns.DCTERMS.spatial)
        assert spatial is not None and not isinstance(spatial, URIRef)
        geometry = graph.value(spatial, LOCN_GEOMETRY)
        assert geometry.datatype == GEOJSON_LITERAL
        assert json.loads(str(geometry))["type"] == "Polygon"

    communes = URIRef(f"{SITE}/donnees/{territory.siren}/communes")
    assert {str(k) for k in graph.objects(communes, ns.DCAT.keyword)} >= {"communes"}
    publisher = graph.value(communes, ns.DCTERMS.publisher)
    assert (publisher, ns.RDF.type, ns.FOAF.Agent) in graph
    assert str(graph.value(publisher, ns.FOAF.name)) == territory.name
    # The box holds every commune, in CRS84.
    polygon = GEOSGeometry(
        str(graph.value(graph.value(communes, ns.DCTERMS.spatial), LOCN_GEOMETRY))
    )
    for commune in territory.communes.all():
        assert polygon.buffer(1e-5).contains(commune.geom.transform(4326, clone=True))
    assert graph.value(communes, ns.DCTERMS.temporal) is None  # communes have no moment

    ideas = URIRef(f"{SITE}/donnees/{territory.siren}/{TEST_IDEAS.name}")
    period = graph.value(ideas, ns.DCTERMS.temporal)
    assert not isinstance(period, URIRef)
    assert (period, ns.RDF.type, ns.DCTERMS.PeriodOfTime) in graph
    today = timezone.localdate()
    assert graph.value(period, ns.DCAT.startDate) == Literal(
        today.isoformat(), datatype=ns.XSD.date
    )
    assert graph.value(period, ns.DCAT.endDate).toPython() == today
    assert isinstance(graph.value(period, ns.DCAT.endDate).toPython(), date)


def test_the_distributions_files_ogc_api_and_tiles(client, published):
    territory, other = published
    graph = fetched(client, "ttl")
    communes = URIRef(f"{SITE}/donnees/{territory.siren}/communes")
    distributions = list(graph.objects(communes, ns.DCAT.distribution))
    downloads = {}
    for distribution in distributions:
        assert graph.value(distribution, ns.DCTERMS.license) == LOV2
        assert graph.value(distribution, ns.DCAT.accessURL) is not None
        assert graph.value(distribution, ns.DCTERMS.description).language == "fr"
        if (url := graph.value(distribution, ns.DCAT.downloadURL)) is not None:
            downloads[str(url).rsplit(".", 1)[1]] = distribution
    assert set(downloads) == {"geojson", "csv", "gpkg", "fgb"}  # 3 communes: FlatGeobuf too
    for fmt, distribution in downloads.items():
        record = OpenFile.objects.get(territory=territory, collection="communes", format=fmt)
        url = f"{SITE}/donnees/{territory.siren}/communes.{fmt}"
        assert graph.value(distribution, ns.DCAT.downloadURL) == URIRef(url)
        assert graph.value(distribution, ns.DCAT.byteSize).toPython() == record.size
        assert str(graph.value(distribution, ns.DCAT.mediaType)).startswith(
            "https://www.iana.org/assignments/media-types/"
        )
        assert str(graph.value(distribution, ns.DCTERMS.format)).startswith(
            "http://publications.europa.eu/resource/authority/file-type/"
        )
        # The URL answers, the size and type said.
        response = client.head(url.removeprefix(SITE))
        assert response.status_code == 200 and response["Content-Length"] == str(record.size)
    assert graph.value(downloads["gpkg"], ns.DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/application/geopackage+sqlite3"
    )
    assert "EPSG:2154" in str(graph.value(downloads["gpkg"], ns.DCTERMS.description))
    assert graph.value(downloads["geojson"], ns.DCTERMS.format) == URIRef(
        "http://publications.europa.eu/resource/authority/file-type/GEOJSON"
    )

    service = URIRef(f"{SITE}/ogc/")
    ogc = [d for d in distributions if graph.value(d, ns.DCAT.accessService) == service]
    assert len(ogc) == 1
    assert graph.value(ogc[0], ns.DCAT.accessURL) == URIRef(
        f"{SITE}/ogc/collections/communes/items?territoire={territory.siren}"
    )
    assert (service, ns.RDF.type, ns.DCAT.DataService) in graph
    assert graph.value(service, ns.DCAT.endpointURL) == service
    assert URIRef("http://www.opengis.net/doc/IS/ogcapi-features-1/1.0") in set(
        graph.objects(service, ns.DCTERMS.conformsTo)
    )
    assert communes in set(graph.objects(service, ns.DCAT.servesDataset))
    tiles = [d for d in distributions if str(graph.value(d, ns.DCAT.accessURL)).endswith(".json")]
    assert [str(graph.value(d, ns.DCAT.accessURL)) for d in tiles] == [
        f"{SITE}/tiles/communes.json"
    ]
    # The ideas of the test declare no tileset: no tiles distribution.
    ideas = URIRef(f"{SITE}/donnees/{territory.siren}/{TEST_IDEAS.name}")
    assert not [
        d
        for d in graph.objects(ideas, ns.DCAT.distribution)
        if str(graph.value(d, ns.DCAT.accessURL)).endswith(".json")
    ]
    # The single commune of the other territory: no FlatGeobuf.
    single = URIRef(f"{SITE}/donnees/{other.siren}/communes")
    formats = {
        str(graph.value(d, ns.DCAT.downloadURL)).rsplit(".", 1)[1]
        for d in graph.objects(single, ns.DCAT.distribution)
        if graph.value(d, ns.DCAT.downloadURL) is not None
    }
    assert formats == {"geojson", "csv", "gpkg"}


def test_an_empty_catalogue_is_still_a_valid_catalogue(client):
    graph = fetched(client, "jsonld")
    assert list(graph.subjects(ns.RDF.type, ns.DCAT.Dataset)) == []
    conforms, _, text = validate(
        graph,
        shacl_graph=shapes(
            "dcat-ap-3.0.1/html-shacl/shapes.ttl", "dcat-ap-3.0.1/html-shacl/range.ttl"
        ),
        inference="none",
    )
    assert conforms, text


def test_the_licence_setting_is_the_catalogues(client, published, settings):
    settings.OPEN_DATA_LICENCE_URL = "http://opendatacommons.org/licenses/odbl/summary/"
    graph = fetched(client, "ttl")
    odbl = URIRef(settings.OPEN_DATA_LICENCE_URL)
    for dataset in graph.subjects(ns.RDF.type, ns.DCAT.Dataset):
        assert graph.value(dataset, ns.DCTERMS.license) == odbl
    assert LOV2 not in set(graph.objects(None, ns.DCTERMS.license))


def test_the_default_licence_is_the_url_data_gouv_fr_matches():
    """data.gouv.fr matches the Licence Ouverte 2.0 by its URL, exactly: no slash added."""
    from carto_concertation import settings as project_settings

    assert str(LOV2) == project_settings.OPEN_DATA_LICENCE_URL


def test_odd_characters_survive_every_serialisation(client, settings):
    """A territory's name with what XML, Turtle and JSON escape: the same graph in all."""
    territory = TerritoryFactory(communes=1, name='Val & Loire « <Nord> » "quoted" \\ back')
    open_files_refresh()
    graphs = [fetched(client, serialisation) for serialisation in PATHS]
    assert isomorphic(graphs[0], graphs[1]) and isomorphic(graphs[0], graphs[2])
    publisher = URIRef(f"{SITE}/donnees/#territoire-{territory.siren}")
    assert str(graphs[2].value(publisher, ns.FOAF.name)) == territory.name


def test_a_module_switched_off_leaves_the_catalogue_the_page_and_the_downloads(client, monkeypatch):
    """At once, before the next refresh removes its files."""
    from carto_concertation.opendata import collections as opendata_collections
    from carto_concertation.opendata.collections import Collection
    from carto_concertation.territories.services import territory_modules_switch

    real = opendata_collections.collections
    monkeypatch.setattr(
        opendata_collections, "collections", lambda: [*real(), Collection(TEST_IDEAS, "ideas")]
    )
    from carto_concertation.opendata.catalogue import files, selectors

    monkeypatch.setattr(files, "collections", opendata_collections.collections)
    monkeypatch.setattr(selectors, "collections", opendata_collections.collections)
    concertation = ConcertationFactory(territory=TerritoryFactory(communes=1))
    ContributionFactory(concertation=concertation)
    territory = concertation.territory
    open_files_refresh()
    ideas = URIRef(f"{SITE}/donnees/{territory.siren}/{TEST_IDEAS.name}")
    download = f"/donnees/{territory.siren}/{TEST_IDEAS.name}.geojson"
    assert (ideas, ns.RDF.type, ns.DCAT.Dataset) in fetched(client, "ttl")
    assert client.get(download).status_code == 200
    assert f'id="{territory.siren}-{TEST_IDEAS.name}"' in client.get("/donnees/").text

    territory_modules_switch(territory=territory, modules_off=["ideas"])
    graph = fetched(client, "ttl")
    assert (ideas, ns.RDF.type, ns.DCAT.Dataset) not in graph
    communes = URIRef(f"{SITE}/donnees/{territory.siren}/communes")
    assert (communes, ns.RDF.type, ns.DCAT.Dataset) in graph
    assert client.get(download).status_code == 404
    assert f'id="{territory.siren}-{TEST_IDEAS.name}"' not in client.get("/donnees/").text
