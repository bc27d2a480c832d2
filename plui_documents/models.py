# SPDX-License-Identifier: AGPL-3.0-or-later
"""CNIG "standard PLU" documents: doc_urba, zone_urba, prescriptions, informations, pieces.

Field names follow the standard (lower case); one row of DocumentVersion per import,
so that a modification or révision keeps the previous version queryable.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchVectorField
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from layers.fields import web_mercator_copy


class DocumentType(models.TextChoices):
    PLU = "PLU", _("PLU")
    PLUI = "PLUI", _("PLUi")
    POS = "POS", _("POS")
    CC = "CC", _("carte communale")
    PSMV = "PSMV", _("PSMV")


class CnigVersion(models.TextChoices):
    V2014 = "2014", "CNIG 2014"
    V2017 = "2017", "CNIG 2017"
    V2024 = "2024", "CNIG 2024"


class UrbanDocument(models.Model):
    """A PLU/PLUi as the Géoportail de l'Urbanisme identifies it (IDURBA)."""

    idurba = models.CharField("IDURBA", max_length=30, unique=True)
    typedoc = models.CharField(_("document type"), max_length=4, choices=DocumentType.choices)
    siren = models.CharField("SIREN", max_length=9, blank=True)
    insee = models.CharField("INSEE", max_length=5, blank=True)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        related_name="urban_documents",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    current_version = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("current version"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("urban planning document")
        verbose_name_plural = _("urban planning documents")
        ordering = ["idurba"]

    def __str__(self) -> str:
        return f"{self.get_typedoc_display()} {self.idurba}"


class DocumentVersion(models.Model):
    """One import of a document: its doc_urba fields, its features and its report."""

    document = models.ForeignKey(
        UrbanDocument, verbose_name=_("document"), related_name="versions", on_delete=models.CASCADE
    )
    number = models.PositiveIntegerField(_("version number"))
    cnig_version = models.CharField(_("CNIG standard"), max_length=4, choices=CnigVersion.choices)
    etat = models.CharField("ETAT", max_length=2, blank=True)
    nomproc = models.CharField("NOMPROC", max_length=10, blank=True)
    datappro = models.DateField("DATAPPRO", null=True, blank=True)
    datefin = models.DateField("DATEFIN", null=True, blank=True)
    nomreg = models.CharField("NOMREG", max_length=80, blank=True)
    urlreg = models.CharField("URLREG", max_length=254, blank=True)
    nomplan = models.CharField("NOMPLAN", max_length=80, blank=True)
    urlplan = models.CharField("URLPLAN", max_length=254, blank=True)
    siteweb = models.CharField("SITEWEB", max_length=254, blank=True)
    communes = ArrayField(
        models.CharField(max_length=5),
        verbose_name=_("communes (DOC_URBA_COM)"),
        default=list,
        blank=True,
    )
    source_name = models.CharField(_("imported file"), max_length=255)
    source_srs = models.CharField(_("source CRS"), max_length=255, blank=True)
    report = models.JSONField(_("import report"), default=dict)
    perimeter = models.MultiPolygonField(_("perimeter"), srid=settings.SRID, spatial_index=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    # Its small-scale zoning is written (plui_documents.generalise): kept on write, so
    # that a tile below zoom 12 finds the versions still drawn from their source among
    # the few not generalised (a partial index) rather than by a probe per plan of the
    # platform (3.4 ms of a 7.4 ms tile with 566 plans).
    generalised = models.BooleanField(_("generalised for the small scales"), default=False)

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        indexes = [
            GistIndex(fields=["perimeter"], name="docversion_perimeter_gist"),
            models.Index(
                fields=["id"],
                condition=models.Q(generalised=False),
                name="docversion_to_generalise",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="docversion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.document.idurba} v{self.number}"


class Zone(models.Model):
    """A zone_urba feature, every field of the 2014, 2017 and 2024 standards."""

    version = models.ForeignKey(
        DocumentVersion, verbose_name=_("version"), related_name="zones", on_delete=models.CASCADE
    )
    source_fid = models.BigIntegerField(_("feature id in the source"))
    libelle = models.CharField("LIBELLE", max_length=12)
    libelong = models.CharField("LIBELONG", max_length=254, blank=True)
    typezone = models.CharField("TYPEZONE", max_length=3)
    destdomi = models.CharField("DESTDOMI", max_length=2, blank=True)
    formdomi = models.CharField("FORMDOMI", max_length=4, blank=True)
    destoui = models.CharField("DESTOUI", max_length=120, blank=True)
    destcdt = models.CharField("DESTCDT", max_length=120, blank=True)
    destnon = models.CharField("DESTNON", max_length=120, blank=True)
    nomfic = models.CharField("NOMFIC", max_length=80, blank=True)
    urlfic = models.CharField("URLFIC", max_length=254, blank=True)
    insee = models.CharField("INSEE", max_length=5, blank=True)
    idurba = models.CharField("IDURBA", max_length=30, blank=True)
    datappro = models.DateField("DATAPPRO", null=True, blank=True)
    datvalid = models.DateField("DATVALID", null=True, blank=True)
    symbole = models.CharField("SYMBOLE", max_length=20, blank=True)
    geom = models.MultiPolygonField(_("geometry"), srid=settings.SRID, spatial_index=False)
    geom_3857 = web_mercator_copy(models.MultiPolygonField)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        indexes = [
            GistIndex(fields=["geom_3857"], name="zone_geom3857_gist"),
            GistIndex(fields=["geom"], name="zone_geom_gist"),
            models.Index(fields=["version", "libelle"], name="zone_version_libelle"),
            # A territory's current zones in id order, from the index alone (the OGC API's
            # pages and its bounded count).
            models.Index(fields=["version", "id"], name="zone_version_pk"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(geom__isvalid=True), name="zone_geom_valid")
        ]

    def __str__(self) -> str:
        return f"{self.libelle} ({self.typezone})"


# The zooms drawn from generalised zones, one band each: a band's outlines are on its
# zoom's pixel grid (plui_documents.generalise), which another zoom's tiles are not.
GENERALISED_BANDS = (8, 9, 10, 11)


class GeneralisedZone(models.Model):
    """A zone's geometry generalised for the small scales (tiles below zoom 12), once per
    version (plui_documents.generalise): one row per zone and zoom band, the band named
    by its last zoom. The zones of a version are simplified together, so that the
    boundaries they share stay shared (no sliver, no gap)."""

    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("version"),
        related_name="generalised_zones",
        on_delete=models.CASCADE,
    )
    zone = models.ForeignKey(
        Zone, verbose_name=_("zone"), related_name="generalised", on_delete=models.CASCADE
    )
    maxzoom = models.PositiveSmallIntegerField(_("last zoom drawn from it"))
    # The zone's public fields (signals.ZONE_FIELDS), copied: a z8 tile of
    # 10,000 zones joining them from the zones took a third longer (measured).
    libelle = Zone._meta.get_field("libelle").clone()
    libelong = Zone._meta.get_field("libelong").clone()
    typezone = Zone._meta.get_field("typezone").clone()
    destdomi = Zone._meta.get_field("destdomi").clone()
    nomfic = Zone._meta.get_field("nomfic").clone()
    urlfic = Zone._meta.get_field("urlfic").clone()
    geom_3857 = models.MultiPolygonField(_("geometry"), srid=3857, spatial_index=False)

    class Meta:
        verbose_name = _("generalised zone")
        verbose_name_plural = _("generalised zones")
        indexes = [
            # A tile reads one band: that band's rows only, by the tile's box.
            *(
                # An expression, not ``fields``: Django's PostGIS backend drops the
                # condition of an index on a geometry field (Django 5.2).
                GistIndex(
                    F("geom_3857"),
                    name=f"genzone_z{maxzoom}_geom_gist",
                    condition=Q(maxzoom=maxzoom),
                )
                for maxzoom in GENERALISED_BANDS
            ),
            models.Index(fields=["version", "maxzoom"], name="genzone_version_band"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["zone", "maxzoom"], name="genzone_unique_band"),
        ]

    def __str__(self) -> str:
        return f"{self.zone_id} ≤ z{self.maxzoom}"


class FeatureKind(models.TextChoices):
    SURFACE = "surface", _("surface")
    LINE = "line", _("line")
    POINT = "point", _("point")


class OverlayFeature(models.Model):
    """Fields shared by prescriptions and informations (surface, line or point)."""

    source_fid = models.BigIntegerField(_("feature id in the source"))
    kind = models.CharField(_("geometry kind"), max_length=7, choices=FeatureKind.choices)
    libelle = models.CharField("LIBELLE", max_length=254)
    txt = models.CharField("TXT", max_length=10, blank=True)
    nomfic = models.CharField("NOMFIC", max_length=80, blank=True)
    urlfic = models.CharField("URLFIC", max_length=254, blank=True)
    insee = models.CharField("INSEE", max_length=5, blank=True)
    idurba = models.CharField("IDURBA", max_length=30, blank=True)
    datappro = models.DateField("DATAPPRO", null=True, blank=True)
    datvalid = models.DateField("DATVALID", null=True, blank=True)
    symbole = models.CharField("SYMBOLE", max_length=20, blank=True)
    geom = models.GeometryField(_("geometry"), srid=settings.SRID, spatial_index=False)
    geom_3857 = web_mercator_copy(models.GeometryField)
    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("version"),
        related_name="%(class)ss",
        on_delete=models.CASCADE,
    )

    class Meta:
        abstract = True
        indexes = [
            GistIndex(fields=["geom"], name="%(class)s_geom_gist"),
            GistIndex(fields=["geom_3857"], name="%(class)s_geom3857_gist"),
            # A kind's current features in id order, from the index alone (as the zones').
            models.Index(fields=["version", "kind", "id"], name="%(class)s_version_kind_pk"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(geom__isvalid=True), name="%(class)s_geom_valid")
        ]


class Prescription(OverlayFeature):
    typepsc = models.CharField("TYPEPSC", max_length=2)
    stypepsc = models.CharField("STYPEPSC", max_length=2, blank=True)
    nature = models.CharField("NATURE", max_length=50, blank=True)

    class Meta(OverlayFeature.Meta):
        verbose_name = _("prescription")
        verbose_name_plural = _("prescriptions")

    def __str__(self) -> str:
        return f"{self.typepsc}-{self.stypepsc} {self.libelle}"


class Information(OverlayFeature):
    typeinf = models.CharField("TYPEINF", max_length=2)
    stypeinf = models.CharField("STYPEINF", max_length=2, blank=True)

    class Meta(OverlayFeature.Meta):
        verbose_name = _("information")
        verbose_name_plural = _("informations")

    def __str__(self) -> str:
        return f"{self.typeinf}-{self.stypeinf} {self.libelle}"


class PieceKind(models.TextChoices):
    REGLEMENT = "reglement", _("written regulation (règlement)")
    PLAN = "plan", _("zoning plan")
    OTHER = "other", _("other document")


class DocumentPiece(models.Model):
    """A PDF of the document (règlement, plan, annex), with its text per page."""

    version = models.ForeignKey(
        DocumentVersion, verbose_name=_("version"), related_name="pieces", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=10, choices=PieceKind.choices)
    filename = models.CharField(_("file name"), max_length=255)
    file = models.FileField(_("file"), upload_to="plui/pieces/%Y/")
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField(_("pages"), default=0)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document piece")
        verbose_name_plural = _("document pieces")
        ordering = ["version", "kind", "filename"]
        constraints = [
            models.UniqueConstraint(fields=["version", "filename"], name="piece_unique_filename"),
        ]

    def __str__(self) -> str:
        return self.filename


class PiecePage(models.Model):
    piece = models.ForeignKey(
        DocumentPiece, verbose_name=_("piece"), related_name="pages", on_delete=models.CASCADE
    )
    number = models.PositiveIntegerField(_("page"))
    text = models.TextField(_("text"), blank=True)
    search = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["piece", "number"]
        indexes = [GinIndex(fields=["search"], name="piecepage_search_gin")]
        constraints = [models.UniqueConstraint(fields=["piece", "number"], name="piecepage_unique")]


class RegulationLink(models.Model):
    """Where the règlement speaks of a zone label (LIBELLE): a piece and a page range."""

    class Method(models.TextChoices):
        HEADING = "heading", _("zone heading found in the text")
        NOMFIC = "nomfic", _("file named by NOMFIC")

    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("version"),
        related_name="regulation_links",
        on_delete=models.CASCADE,
    )
    libelle = models.CharField("LIBELLE", max_length=12)
    piece = models.ForeignKey(DocumentPiece, related_name="links", on_delete=models.CASCADE)
    page_start = models.PositiveIntegerField(_("first page"))
    page_end = models.PositiveIntegerField(_("last page"))
    method = models.CharField(_("found by"), max_length=7, choices=Method.choices)

    class Meta:
        verbose_name = _("regulation link")
        verbose_name_plural = _("regulation links")
        ordering = ["version", "libelle", "page_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "libelle", "piece"], name="regulationlink_unique"
            ),
        ]
