# SPDX-License-Identifier: AGPL-3.0-or-later
"""The DCAT-AP catalogue (issue 22, point 3), as data.gouv.fr's harvester reads it
(docs/opendata-catalogue.md): one dcat:Dataset per collection and territory that has
open files, with its identifier, extent, publisher, contact, licence and distributions
(the files, the OGC API collection, the vector tiles).

Every resource the catalogue names is typed (a licence dct:LicenseDocument, a format
dct:MediaTypeOrExtent…): DCAT-AP 3's range shapes check classes without inference.
Periods and places are blank nodes: the harvester would fetch a URI.
"""

import json

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from ..features import collection_extent
from .formats import EU_FILE_TYPE, FORMATS, IANA_MEDIA_TYPE
from .selectors import OpenDataset, open_datasets

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
LANGUAGES = "http://publications.europa.eu/resource/authority/language/"
# The OGC API – Features standard: its specification's URI, and the one udata reads as
# the service's protocol (…/standards/…).
OGC_API_FEATURES = (
    URIRef("http://www.opengis.net/doc/IS/ogcapi-features-1/1.0"),
    URIRef("http://www.opengeospatial.org/standards/ogcapi-features"),
)
TILEJSON = URIRef("https://github.com/mapbox/tilejson-spec/tree/master/3.0.0")
# Django's language code → the EU's language table.
EU_LANGUAGES = {"fr": "FRA", "en": "ENG"}
SERIALISATIONS = {
    "jsonld": ("json-ld", "application/ld+json"),
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "rdf": ("xml", "application/rdf+xml"),
}
CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "locn": str(LOCN),
    "gsp": str(GSP),
    "xsd": str(XSD),
}


def dataset_identifier(dataset: OpenDataset, site_url: str) -> str:
    """Stable from one harvest to the next: the site, the territory, the collection."""
    return f"{site_url}/donnees/{dataset.territory.siren}/{dataset.collection.id}"


def contact_email() -> str:
    return getattr(settings, "OPEN_DATA_CONTACT_EMAIL", "") or settings.DEFAULT_FROM_EMAIL


class _Builder:
    def __init__(self, site_url: str) -> None:
        self.site = site_url
        self.graph = Graph()
        for prefix, namespace in CONTEXT.items():
            self.graph.bind(prefix, namespace)
        self.language = settings.LANGUAGE_CODE.split("-")[0]
        self.licence = self.typed(settings.OPEN_DATA_LICENCE_URL, DCTERMS.LicenseDocument)
        self.page = self.typed(f"{site_url}/donnees/", FOAF.Document)

    def add(self, subject, predicate, value) -> None:
        self.graph.add((subject, predicate, value))

    def text(self, value) -> Literal:
        return Literal(str(value), lang=self.language)

    def typed(self, uri: str, *classes) -> URIRef:
        node = URIRef(uri)
        for cls in classes:
            self.add(node, RDF.type, cls)
        return node

    def agent(self, uri: str, name: str, identifier: str = "") -> URIRef:
        node = self.typed(uri, FOAF.Agent, FOAF.Organization)
        self.add(node, FOAF.name, Literal(name))
        if identifier:
            self.add(node, DCTERMS.identifier, Literal(identifier))
        return node

    def contact(self) -> URIRef:
        node = self.typed(f"{self.site}/donnees/#contact", VCARD.Organization, VCARD.Kind)
        self.add(node, VCARD.fn, self.text(_("Open data service")))
        self.add(node, VCARD.hasEmail, URIRef(f"mailto:{contact_email()}"))
        return node

    def catalogue(self, datasets: list[OpenDataset]) -> URIRef:
        node = self.typed(f"{self.site}/donnees/#catalogue", DCAT.Catalog)
        self.add(node, DCTERMS.title, self.text(_("Open data of %(site)s") % {"site": self.host}))
        description = _(
            "The public data of the participation platform, by territory: communes, urban"
            " planning zoning and each participation module's public data, as files"
            " (GeoJSON, CSV, GeoPackage), OGC API – Features and vector tiles."
        )
        self.add(node, DCTERMS.description, self.text(description))
        self.add(node, DCTERMS.publisher, self.publisher)
        self.add(node, FOAF.homepage, self.page)
        language = EU_LANGUAGES.get(self.language, "FRA")
        self.add(node, DCTERMS.language, self.typed(LANGUAGES + language, DCTERMS.LinguisticSystem))
        self.add(node, DCTERMS.license, self.licence)
        if datasets:
            modified = max(dataset.modified for dataset in datasets)
            self.add(node, DCTERMS.modified, self.moment(modified))
        return node

    @property
    def publisher(self) -> URIRef:
        name = settings.OPEN_DATA_PUBLISHER or self.host
        return self.agent(f"{self.site}/donnees/#editeur", name)

    @property
    def host(self) -> str:
        return self.site.split("://", 1)[-1]

    def moment(self, value) -> Literal:
        # Never in the future (the harvester refuses it); seconds are enough.
        value = min(value, timezone.now()).replace(microsecond=0)
        return Literal(value.isoformat(), datatype=XSD.dateTime)

    def service(self) -> URIRef:
        node = self.typed(f"{self.site}/ogc/", DCAT.DataService)
        self.add(
            node,
            DCTERMS.title,
            self.text(_("OGC API – Features of %(site)s") % {"site": self.host}),
        )
        self.add(node, DCAT.endpointURL, URIRef(f"{self.site}/ogc/"))
        self.add(node, DCTERMS.publisher, self.publisher)
        self.add(node, DCAT.contactPoint, self.contact())
        self.add(node, DCAT.endpointDescription, URIRef(f"{self.site}/ogc/api"))
        for standard in OGC_API_FEATURES:
            self.add(node, DCTERMS.conformsTo, self.typed(str(standard), DCTERMS.Standard))
        self.add(node, DCTERMS.license, self.licence)
        return node

    def dataset(self, dataset: OpenDataset, service: URIRef, contact: URIRef) -> URIRef:
        collection, territory = dataset.collection, dataset.territory
        identifier = dataset_identifier(dataset, self.site)
        node = self.typed(identifier, DCAT.Dataset)
        title = _("%(dataset)s — %(territory)s") % {
            "dataset": collection.title,
            "territory": territory.name,
        }
        self.add(node, DCTERMS.identifier, Literal(identifier))
        self.add(node, DCTERMS.title, self.text(title))
        self.add(node, DCTERMS.description, self.text(collection.dataset.description))
        for keyword in collection.dataset.keywords:
            self.add(node, DCAT.keyword, self.text(keyword))
        self.add(node, DCTERMS.modified, self.moment(dataset.modified))
        self.add(node, DCTERMS.license, self.licence)
        publisher = self.agent(
            f"{self.site}/donnees/#territoire-{territory.siren}", territory.name, territory.siren
        )
        self.add(node, DCTERMS.publisher, publisher)
        self.add(node, DCAT.contactPoint, contact)
        landing = f"{self.site}/donnees/#{dataset.anchor}"
        self.add(node, DCAT.landingPage, self.typed(landing, FOAF.Document))
        extent = collection_extent(collection, territory=territory.siren)
        if extent.bbox is not None:
            self.add(node, DCTERMS.spatial, self.place(extent.bbox))
        if extent.interval is not None and None not in extent.interval:
            self.add(node, DCTERMS.temporal, self.period(*extent.interval))
        for record in dataset.files:
            self.add(node, DCAT.distribution, self.file(identifier, title, record))
        self.add(node, DCAT.distribution, self.ogc(identifier, title, dataset, service))
        if collection.dataset.tileset:
            self.add(node, DCAT.distribution, self.tiles(identifier, title, dataset))
        self.add(service, DCAT.servesDataset, node)
        return node

    def place(self, bbox) -> BNode:
        west, south, east, north = bbox
        # A point's box has no area: widened by a few centimetres, it stays a Polygon.
        if east - west < 1e-6:
            west, east = west - 5e-7, east + 5e-7
        if north - south < 1e-6:
            south, north = south - 5e-7, north + 5e-7
        ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
        node = BNode()
        self.add(node, RDF.type, DCTERMS.Location)
        wkt = "POLYGON((" + ", ".join(f"{x} {y}" for x, y in ring) + "))"
        self.add(node, DCAT.bbox, Literal(wkt, datatype=GSP.wktLiteral))
        polygon = json.dumps({"type": "Polygon", "coordinates": [ring]})
        self.add(node, LOCN.geometry, Literal(polygon, datatype=GSP.geoJSONLiteral))
        return node

    def period(self, start, end) -> BNode:
        node = BNode()
        self.add(node, RDF.type, DCTERMS.PeriodOfTime)
        for predicate, moment in ((DCAT.startDate, start), (DCAT.endDate, end)):
            day = timezone.localdate(moment).isoformat()
            self.add(node, predicate, Literal(day, datatype=XSD.date))
        return node

    def distribution(self, uri: str, title: str, access: str, description: str) -> URIRef:
        node = self.typed(uri, DCAT.Distribution)
        self.add(node, DCTERMS.title, self.text(title))
        self.add(node, DCTERMS.description, self.text(description))
        self.add(node, DCAT.accessURL, URIRef(access))
        self.add(node, DCTERMS.license, self.licence)
        return node

    def kind(self, node: URIRef, file_type: str, media_type: str) -> None:
        self.add(
            node,
            DCTERMS.format,
            self.typed(EU_FILE_TYPE + file_type, DCTERMS.MediaTypeOrExtent),
        )
        self.add(node, DCAT.mediaType, self.typed(IANA_MEDIA_TYPE + media_type, DCTERMS.MediaType))

    def file(self, identifier: str, title: str, record) -> URIRef:
        fmt = FORMATS[record.format]
        download = f"{identifier}.{record.format}"
        node = self.distribution(
            f"{identifier}#{record.format}",
            f"{title} ({fmt.label})",
            download,
            _file_description(record.format),
        )
        self.add(node, DCTERMS.identifier, Literal(download))
        self.add(node, DCAT.downloadURL, URIRef(download))
        self.kind(node, fmt.eu_file_type, fmt.media_type)
        self.add(node, DCAT.byteSize, Literal(record.size, datatype=XSD.nonNegativeInteger))
        self.add(node, DCTERMS.modified, self.moment(record.modified))
        return node

    def ogc(self, identifier: str, title: str, dataset: OpenDataset, service: URIRef) -> URIRef:
        collection = f"{self.site}/ogc/collections/{dataset.collection.id}"
        items = f"{collection}/items?territoire={dataset.territory.siren}"
        description = _(
            "Its features through OGC API – Features: GeoJSON by pages, selected by place"
            " and date, for QGIS and other GIS software."
        )
        node = self.distribution(
            f"{identifier}#ogcapi", f"{title} (OGC API – Features)", items, description
        )
        self.add(node, DCAT.accessService, service)
        self.add(node, FOAF.page, self.typed(collection, FOAF.Document))
        self.kind(node, "GEOJSON", "application/geo+json")
        return node

    def tiles(self, identifier: str, title: str, dataset: OpenDataset) -> URIRef:
        tilejson = f"{self.site}/tiles/{dataset.collection.dataset.tileset}.json"
        label = _("vector tiles")
        description = _("Mapbox Vector Tiles, described by their TileJSON, for web maps.")
        node = self.distribution(
            f"{identifier}#tiles", f"{title} ({label}, TileJSON)", tilejson, description
        )
        self.add(node, DCTERMS.conformsTo, self.typed(str(TILEJSON), DCTERMS.Standard))
        self.kind(node, "JSON", "application/json")
        return node


def _file_description(fmt: str) -> str:
    if fmt == "geojson":
        return _("GeoJSON (RFC 7946), longitude and latitude in WGS 84.")
    if fmt == "csv":
        return _(
            "CSV in UTF-8, one column per field, the geometry as WKT in the column wkt"
            " (longitude and latitude, WGS 84)."
        )
    if fmt == "gpkg":
        return _(
            "GeoPackage in EPSG:%(srid)s, each field with its type, for QGIS and other GIS"
            " software."
        ) % {"srid": settings.SRID}
    return _("FlatGeobuf with its spatial index, longitude and latitude in WGS 84.")


def catalogue_graph(*, site_url: str = "") -> Graph:
    """The whole catalogue, in the site's language (LANGUAGE_CODE)."""
    site_url = (site_url or settings.SITE_URL).rstrip("/")
    datasets = open_datasets()
    with translation.override(settings.LANGUAGE_CODE):
        builder = _Builder(site_url)
        catalogue = builder.catalogue(datasets)
        if datasets:
            service = builder.service()
            builder.add(catalogue, DCAT.service, service)
            contact = builder.contact()
            for dataset in datasets:
                builder.add(catalogue, DCAT.dataset, builder.dataset(dataset, service, contact))
    return builder.graph


def catalogue_serialise(graph: Graph, serialisation: str) -> bytes:
    rdflib_format, _content_type = SERIALISATIONS[serialisation]
    if serialisation == "jsonld":
        return graph.serialize(format=rdflib_format, context=CONTEXT, encoding="utf-8")
    return graph.serialize(format=rdflib_format, encoding="utf-8")
