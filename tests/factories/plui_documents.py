# SPDX-License-Identifier: AGPL-3.0-or-later
"""Urban documents, their versions, zones, overlays and pieces, through the models
(plui_import reads a real CNIG delivery: the factories write what it would have).

``zoned_plui(territory)`` is the small PLUi the module tests use instead of the demo's:
each commune of the territory cut in four quadrants, UA (south-west, where
``geometry.spot`` places things), UE (south-east), A (north-west) and N (north-east).
"""

import hashlib

import factory
from django.contrib.gis.db.models import Union
from django.contrib.postgres.search import SearchVector

from plui_documents.models import (
    CnigVersion,
    DocumentPiece,
    DocumentType,
    DocumentVersion,
    FeatureKind,
    GeneralisedZone,
    Information,
    PieceKind,
    PiecePage,
    Prescription,
    RegulationLink,
    UrbanDocument,
    Zone,
)
from plui_documents.services import ImportReport

from .geometry import box, square
from .territories import TerritoryFactory

# (LIBELLE, TYPEZONE) per quadrant: south-west, south-east, north-west, north-east.
QUADRANTS = (("UA", "U"), ("UE", "U"), ("A", "A"), ("N", "N"))
# The smallest PDF a reader opens: one empty page.
PDF = (
    b"%PDF-1.1\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class UrbanDocumentFactory(factory.django.DjangoModelFactory):
    """A PLUi of a new territory, without a version (see DocumentVersionFactory)."""

    class Meta:
        model = UrbanDocument

    territory = factory.SubFactory(TerritoryFactory)
    idurba = factory.Sequence(lambda n: f"{200000000 + n}_PLUI_20260101")
    typedoc = DocumentType.PLUI
    siren = factory.LazyAttribute(lambda o: o.territory.siren if o.territory else "")


def _perimeter(document: UrbanDocument):
    """The document's communes, or its territory's outline, or a cell of the grid."""
    territory = document.territory
    if territory is None:
        return square(0)
    union = territory.communes.aggregate(union=Union("geom"))["union"]
    if union is not None and union.geom_type == "MultiPolygon":
        return union
    return territory.geom


class DocumentVersionFactory(factory.django.DjangoModelFactory):
    """Version 1 (then 2, 3…) of a document, made its current version unless
    ``current=False``; ``zoned=True`` cuts each of its communes in QUADRANTS."""

    class Meta:
        model = DocumentVersion
        skip_postgeneration_save = True

    document = factory.SubFactory(UrbanDocumentFactory)
    number = factory.LazyAttribute(lambda o: o.document.versions.count() + 1)
    cnig_version = CnigVersion.V2017
    etat = "03"
    nomproc = "PLUi"
    source_name = factory.LazyAttribute(lambda o: f"{o.document.idurba}.zip")
    perimeter = factory.LazyAttribute(lambda o: _perimeter(o.document))
    report = factory.LazyAttribute(
        lambda o: ImportReport(
            source=o.source_name, idurba=o.document.idurba, cnig_version=o.cnig_version
        ).as_dict()
    )
    communes = factory.LazyAttribute(
        lambda o: (
            list(o.document.territory.communes.order_by("insee").values_list("insee", flat=True))
            if o.document.territory
            else []
        )
    )

    @factory.post_generation
    def current(version, create, extracted, **kwargs):
        if create and extracted is not False:
            UrbanDocument.objects.filter(pk=version.document_id).update(current_version=version)
            version.document.current_version = version

    @factory.post_generation
    def zoned(version, create, extracted, **kwargs):
        """True: each commune cut in QUADRANTS; or the four (LIBELLE, TYPEZONE) to use."""
        if not (create and extracted):
            return
        labels = QUADRANTS if extracted is True else extracted
        territory = version.document.territory
        for commune in territory.communes.filter(insee__in=version.communes).order_by("insee"):
            for (libelle, typezone), geom in zip(labels, quadrants(commune.geom), strict=True):
                ZoneFactory(
                    version=version,
                    libelle=libelle,
                    typezone=typezone,
                    insee=commune.insee,
                    idurba=version.document.idurba,
                    geom=geom,
                )


def quadrants(geom) -> list:
    """The four quarters of a geometry's extent: south-west, south-east, north-west,
    north-east."""
    xmin, ymin, xmax, ymax = geom.extent
    xmid, ymid = (xmin + xmax) / 2, (ymin + ymax) / 2
    return [
        box(xmin, ymin, xmid, ymid),
        box(xmid, ymin, xmax, ymid),
        box(xmin, ymid, xmid, ymax),
        box(xmid, ymid, xmax, ymax),
    ]


def zoned_plui(territory, labels=QUADRANTS) -> UrbanDocument:
    """A current PLUi over the territory's communes, each cut in four zones (``labels``:
    (LIBELLE, TYPEZONE) south-west, south-east, north-west, north-east)."""
    return DocumentVersionFactory(document__territory=territory, zoned=labels).document


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    version = factory.SubFactory(DocumentVersionFactory)
    source_fid = factory.Sequence(lambda n: n + 1)
    libelle = "UA"
    libelong = factory.LazyAttribute(lambda o: f"Zone {o.libelle}")
    typezone = "U"
    geom = factory.Sequence(lambda n: square(n % 20, row=n // 20 % 20))


class GeneralisedZoneFactory(factory.django.DjangoModelFactory):
    """A zone's outline for the small scales, as it is (plui_documents.generalise writes
    the simplified ones)."""

    class Meta:
        model = GeneralisedZone

    zone = factory.SubFactory(ZoneFactory)
    version = factory.LazyAttribute(lambda o: o.zone.version)
    maxzoom = 11
    libelle = factory.LazyAttribute(lambda o: o.zone.libelle)
    libelong = factory.LazyAttribute(lambda o: o.zone.libelong)
    typezone = factory.LazyAttribute(lambda o: o.zone.typezone)
    geom_3857 = factory.LazyAttribute(lambda o: o.zone.geom.transform(3857, clone=True))


class _OverlayFactory(factory.django.DjangoModelFactory):
    version = factory.SubFactory(DocumentVersionFactory)
    source_fid = factory.Sequence(lambda n: n + 1)
    kind = FeatureKind.SURFACE
    geom = factory.Sequence(lambda n: square(n % 20, row=n // 20 % 20, size=500))


class PrescriptionFactory(_OverlayFactory):
    class Meta:
        model = Prescription

    libelle = "Espace boisé classé"
    typepsc = "01"


class InformationFactory(_OverlayFactory):
    class Meta:
        model = Information

    libelle = "Périmètre de droit de préemption urbain"
    typeinf = "03"


class DocumentPieceFactory(factory.django.DjangoModelFactory):
    """A one-page PDF of the version (the règlement by default)."""

    class Meta:
        model = DocumentPiece

    version = factory.SubFactory(DocumentVersionFactory)
    kind = PieceKind.REGLEMENT
    filename = factory.Sequence(lambda n: f"reglement_{n}.pdf")
    file = factory.django.FileField(filename="reglement.pdf", data=PDF)
    sha256 = hashlib.sha256(PDF).hexdigest()
    page_count = 1


class PiecePageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PiecePage
        skip_postgeneration_save = True

    piece = factory.SubFactory(DocumentPieceFactory)
    number = factory.LazyAttribute(lambda o: o.piece.pages.count() + 1)
    text = "Zone UA : zone urbaine mixte du centre-bourg."

    @factory.post_generation
    def search(page, create, extracted, **kwargs):
        """Indexed as plui_documents.pieces indexes a piece's pages."""
        if create:
            PiecePage.objects.filter(pk=page.pk).update(
                search=SearchVector("text", config="french")
            )


class RegulationLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegulationLink

    piece = factory.SubFactory(DocumentPieceFactory)
    version = factory.LazyAttribute(lambda o: o.piece.version)
    libelle = "UA"
    page_start = 1
    page_end = 1
    method = RegulationLink.Method.HEADING
