# SPDX-License-Identifier: AGPL-3.0-or-later
"""The zoning's open datasets: the CURRENT version of every PLU/PLUi, as the CNIG "standard
PLU" publishes it — zone_urba, and the prescriptions and informations split as the
standard splits them (surfaces, lines, points: one geometry type per collection, as a
GeoPackage or shapefile layer and the Géoportail de l'Urbanisme's own WFS hold them).
Property names are the CNIG fields in lower case, as the zoning API gives them, plus the
document they belong to (its IDURBA and type) and the code's label for an overlay."""

from collections.abc import Callable, Sequence
from datetime import date

from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import DatasetDeclaration, FeatureSource, PublicField

from . import cnig
from .models import FeatureKind, Information, Prescription, Zone
from .selectors import current_versions
from .signals import ZONING_TILESET

DATE = "date"
TERRITORY = "version__document__territory"
KEYWORDS = ("urbanisme", "PLU", "PLUi", "document d'urbanisme", "CNIG")
# The geometry columns: the properties need neither (features.py selects the geometry).
HEAVY = ("geom", "geom_3857")
# The version's columns the properties do not read (only its document's IDURBA and type):
# its perimeter is the whole territory's outline, tens of kilobytes on every row.
VERSION_HEAVY = ("version__perimeter", "version__report", "version__communes")
# The moment of a zone or an overlay: DATVALID, the date its data were validated (the
# demo's deliveries fill it and leave DATAPPRO to the document); a row without one
# matches any interval.
MOMENT = "datvalid"

_DOCUMENT_FIELDS = (
    PublicField("document", _("document (its IDURBA)")),
    PublicField("typedoc", _("document type")),
)
_DATE_FIELDS = (
    PublicField("datappro", _("date of approval (DATAPPRO)"), "string", DATE),
    PublicField("datvalid", _("date of validation (DATVALID)"), "string", DATE),
)


def _value(value):
    return value.isoformat() if isinstance(value, date) else value


def _cnig_properties(names: Sequence[str], extra: Callable | None = None):
    """The properties of rows: the CNIG fields ``names`` as stored, the document's IDURBA
    and type, and what ``extra(row)`` adds."""

    def properties(rows: Sequence, base_url: str) -> list[dict]:
        answered = []
        for row in rows:
            values = {name: _value(getattr(row, name)) for name in names}
            document = row.version.document
            values.update(document=document.idurba, typedoc=document.typedoc)
            if extra is not None:
                values.update(extra(row))
            answered.append(values)
        return answered

    return properties


def _current(model, **lookups):
    def rows():
        return (
            model.objects.filter(version__in=current_versions(), **lookups)
            .select_related("version__document")
            .defer(*HEAVY, *VERSION_HEAVY)
        )

    return rows


ZONE_FIELDS = cnig.MODEL_FIELDS["zone"]

ZONES = DatasetDeclaration(
    name="zone_urba",
    title=_("PLU/PLUi zones"),
    description=_(
        "The zoning of the local urban plans in force (PLU, PLUi), as the CNIG standard"
        " describes it (ZONE_URBA): each zone's label, long label, type (U, AUc, AUs, A, N),"
        " main purpose and the file of its regulation."
    ),
    geometry_type="MultiPolygon",
    fields=(
        PublicField("libelle", _("label (LIBELLE)")),
        PublicField("libelong", _("long label (LIBELONG)")),
        PublicField("typezone", _("type of zone (TYPEZONE)")),
        PublicField("destdomi", _("main purpose (DESTDOMI)")),
        PublicField("formdomi", _("main urban form (FORMDOMI)")),
        PublicField("destoui", _("purposes allowed (DESTOUI)")),
        PublicField("destcdt", _("purposes allowed under conditions (DESTCDT)")),
        PublicField("destnon", _("purposes forbidden (DESTNON)")),
        PublicField("nomfic", _("file of the regulation (NOMFIC)")),
        PublicField("urlfic", _("address of the regulation (URLFIC)")),
        PublicField("insee", _("commune (INSEE)")),
        PublicField("idurba", _("document of the zone (IDURBA)")),
        *_DATE_FIELDS,
        PublicField("symbole", _("symbol (SYMBOLE)")),
        *_DOCUMENT_FIELDS,
    ),
    features=FeatureSource(
        rows=_current(Zone),
        properties=_cnig_properties(ZONE_FIELDS),
        moment=MOMENT,
        territory=TERRITORY,
    ),
    tileset=ZONING_TILESET,
    keywords=(*KEYWORDS, "zonage", "zone_urba"),
)


def _overlay_fields(code: str, code_label, sub_label) -> tuple[PublicField, ...]:
    return (
        PublicField("libelle", _("label (LIBELLE)")),
        PublicField(code, code_label),
        PublicField(f"s{code}", sub_label),
        PublicField("type_label", _("type (in words)")),
        PublicField("txt", _("text (TXT)")),
        PublicField("nomfic", _("file (NOMFIC)")),
        PublicField("urlfic", _("address of the file (URLFIC)")),
        PublicField("insee", _("commune (INSEE)")),
        PublicField("idurba", _("document (IDURBA)")),
        *_DATE_FIELDS,
        PublicField("symbole", _("symbol (SYMBOLE)")),
        *_DOCUMENT_FIELDS,
    )


# Each kind as the standard names its table, its geometry type and its words.
_KINDS = (
    (FeatureKind.SURFACE, "surf", "MultiPolygon", "surfacique"),
    (FeatureKind.LINE, "lin", "MultiLineString", "linéaire"),
    (FeatureKind.POINT, "pct", "MultiPoint", "ponctuel"),
)


def _overlay_datasets(
    model, prefix: str, family: str, titles: dict, description, fields, labels: Callable
) -> tuple[DatasetDeclaration, ...]:
    """The three datasets of an overlay table family, one per kind (``prefix_surf``…);
    ``labels()`` gives the code list's label of each type code."""
    code = "typepsc" if family == "prescription" else "typeinf"

    def type_label(row) -> dict:
        return {"type_label": labels().get(getattr(row, code), "")}

    return tuple(
        DatasetDeclaration(
            name=f"{prefix}_{suffix}",
            title=titles[suffix],
            description=description,
            geometry_type=geometry_type,
            fields=fields,
            features=FeatureSource(
                rows=_current(model, kind=kind),
                properties=_cnig_properties(cnig.MODEL_FIELDS[family], extra=type_label),
                moment=MOMENT,
                territory=TERRITORY,
            ),
            tileset=ZONING_TILESET,
            keywords=(*KEYWORDS, f"{family}s", f"{family} {word}"),
        )
        for kind, suffix, geometry_type, word in _KINDS
    )


PRESCRIPTIONS = _overlay_datasets(
    Prescription,
    "prescription",
    "prescription",
    {
        "surf": _("PLU/PLUi prescriptions (surfaces)"),
        "lin": _("PLU/PLUi prescriptions (lines)"),
        "pct": _("PLU/PLUi prescriptions (points)"),
    },
    _(
        "The prescriptions of the local urban plans in force (PLU, PLUi) that the CNIG"
        " standard puts in this table: protected woods, buildings and hedges, reserved"
        " sites, building lines… with their type (TYPEPSC, STYPEPSC) and their label."
    ),
    (
        *_overlay_fields("typepsc", _("type of prescription (TYPEPSC)"), _("sub-type (STYPEPSC)")),
        PublicField("nature", _("nature (NATURE)")),
    ),
    cnig.prescription_labels,
)

INFORMATIONS = _overlay_datasets(
    Information,
    "info",
    "information",
    {
        "surf": _("PLU/PLUi informations (surfaces)"),
        "lin": _("PLU/PLUi informations (lines)"),
        "pct": _("PLU/PLUi informations (points)"),
    },
    _(
        "The informations the local urban plans in force (PLU, PLUi) carry for the"
        " record, in this table of the CNIG standard: pre-emption perimeters,"
        " development zones, noise corridors… with their type (TYPEINF, STYPEINF)."
    ),
    _overlay_fields("typeinf", _("type of information (TYPEINF)"), _("sub-type (STYPEINF)")),
    cnig.information_labels,
)

# The zoning's datasets, in the catalogue's order.
BACKBONE_DATASETS = (ZONES, *PRESCRIPTIONS, *INFORMATIONS)
