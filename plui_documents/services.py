# SPDX-License-Identifier: AGPL-3.0-or-later
"""Import of a CNIG delivery as a new version of its document, all or nothing."""

import logging
import re
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.gis.gdal import SpatialReference
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from carto_concertation.core.audit import audit_record
from carto_concertation.core.changes import footprint_changed_announce
from carto_concertation.territories.models import Territory
from layers.sources import SourceError
from layers.staging import StagedTable, staged_layer

from . import cnig, doc_urba, generalise, importer, pieces
from .delivery import Delivery, DeliveryTable, open_delivery
from .models import CnigVersion, DocumentVersion, UrbanDocument
from .selectors import version_footprint
from .signals import ZONING_TILESET, version_made_current

Progress = Callable[[int, str], None]
logger = logging.getLogger(__name__)


@dataclass
class ImportReport:
    source: str
    idurba: str = ""
    version_number: int | None = None
    cnig_version: str = ""
    source_srs: str = ""
    encodings: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    pieces: list[str] = field(default_factory=list)
    regulation_links: int = 0
    errors: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


class PluiImportError(Exception):
    """The delivery was refused; the report lists why. Nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("\n".join(report.errors))
        self.report = report


def _no_progress(percent: int, message: str) -> None:
    return None


def plui_import(
    *,
    path: Path,
    idurba: str | None = None,
    source_srid: int | None = None,
    user=None,
    progress: Progress = _no_progress,
    analyse: bool = True,
    origin: Mapping[str, str] | None = None,
) -> tuple[DocumentVersion, ImportReport]:
    """Import a PLU/PLUi delivery as the new current version of its document.

    ``origin``: the importer's address and browser (core.audit.audit_origin), carried by
    the Celery job, for the audit journal.

    With ``analyse`` (the default), the zoning's overlaps and gaps are then looked for
    and added to the report (plui_zoning_analyse); the new version is current already.
    """
    path = Path(path)
    report = ImportReport(source=path.name)
    try:
        with open_delivery(path) as delivery:
            progress(5, _("Reading the delivery"))
            document_version = _import_delivery(
                delivery, report, idurba, source_srid, user, progress, origin
            )
    except SourceError as exc:
        report.errors.append(str(exc))
        raise PluiImportError(report) from exc
    except (PluiImportError, SoftTimeLimitExceeded):
        # A job past its time limit fails as such (core.jobs.JobTask), not as a bad delivery.
        raise
    except Exception as exc:
        # A delivery nobody foresaw: refused with the reason, like any other, and the
        # traceback left to the log. The version is written in one transaction, so
        # nothing of it remains.
        logger.exception("Import of %s failed", path.name)
        report.errors.append(
            _("Unexpected error while reading the delivery (%(error)s): it was refused.")
            % {"error": f"{type(exc).__name__}: {exc}"}
        )
        raise PluiImportError(report) from exc
    if analyse:
        progress(90, _("Looking for overlaps and gaps between zones"))
        plui_zoning_analyse(version=document_version, report=report)
    progress(100, _("Done"))
    return document_version, report


def _import_delivery(
    delivery: Delivery,
    report: ImportReport,
    idurba,
    source_srid,
    user,
    progress: Progress,
    origin: Mapping[str, str] | None,
) -> DocumentVersion:
    report.ignored = delivery.ignored
    zone_table = delivery.tables.get("ZONE_URBA")
    if zone_table is None:
        raise SourceError(_("The delivery has no ZONE_URBA table (zones of the document)."))
    try:
        version = cnig.detect_version(set(zone_table.fields))
    except cnig.UnknownCnigVersion as exc:
        raise SourceError(
            _("Cannot tell which CNIG standard ZONE_URBA follows: %(reason)s.") % {"reason": exc}
        ) from exc
    report.cnig_version = version
    geographic = [entry for entry in delivery.tables.values() if entry.table.kind is not None]
    report.errors += _structure_errors(geographic, version, source_srid)
    if report.errors:
        raise PluiImportError(report)
    report.source_srs = f"EPSG:{source_srid}" if source_srid else _srs_name(zone_table)
    documents, document_communes = doc_urba.read_tables(delivery)

    with ExitStack() as stack:
        staged: dict[str, tuple[DeliveryTable, StagedTable]] = {}
        for index, entry in enumerate(geographic, start=1):
            progress(
                10 + 50 * index // len(geographic),
                _("Loading %(table)s") % {"table": entry.table.name},
            )
            staged[entry.table.name] = (
                entry,
                stack.enter_context(
                    staged_layer(
                        entry.source,
                        layer=entry.layer,
                        source_srid=source_srid,
                        encoding=entry.encoding,
                    )
                ),
            )
            if entry.encoding:
                report.encodings[entry.table.name] = entry.encoding
        progress(65, _("Checking the features"))
        to_repair = {}
        for name, (entry, table) in staged.items():
            findings = importer.check_staged(entry.table, table, version)
            report.errors += findings.errors
            report.repairs += findings.repairs
            report.warnings += findings.warnings
            to_repair[name] = findings.invalid_fids
        zones = staged["ZONE_URBA"][1]
        doc_fields = doc_urba.pick_document(
            documents, document_communes, zones, idurba, delivery.name
        )
        if len(documents) > 1:
            report.warnings.append(
                _("DOC_URBA lists %(count)s documents: %(idurba)s is the one the zones match.")
                % {"count": len(documents), "idurba": doc_fields.get("idurba", "")}
            )
        identity = doc_urba.document_identity(idurba, doc_fields, zones, delivery.name)
        report.idurba = identity["idurba"]
        if not user_may_import(user, identity):
            report.errors.append(
                _(
                    "You may import documents only for the territories where you are a planner (SIREN %(siren)s)."
                )
                % {"siren": identity["siren"] or "?"}
            )
        if report.errors:
            raise PluiImportError(report)
        progress(75, _("Writing the new version"))
        for name, (entry, table) in staged.items():
            importer.repair_staged(entry.table, table, to_repair[name])
        with transaction.atomic():
            document_version = _write_version(identity, doc_fields, version, staged, report, user)
            # Before the version becomes current, so that no small-scale tile draws it
            # from the source geometry, nor is warmed so.
            progress(80, _("Generalising the zoning for the small scales"))
            generalise.zoning_generalise(version=document_version)
            progress(85, _("Reading the règlement"))
            for pdf in delivery.pdfs:
                with pdf.open("rb") as handle:
                    pieces.piece_store(
                        version=document_version, pdf=File(handle), filename=pdf.name
                    )
                report.pieces.append(pdf.name)
            report.regulation_links = pieces.regulation_links_build(version=document_version)
            document_version.report = report.as_dict()
            document_version.save(update_fields=["report"])
            # Only now, with everything written, does the new version become current.
            document = document_version.document
            replaced = document.current_version_id
            document.current_version = document_version
            document.save(update_fields=["current_version"])
            audit_record(
                "plui.imported",
                document_version,
                actor=user,
                territory=document.territory_id,
                origin=origin,
                idurba=document.idurba,
                version=document_version.number,
            )
            # Only this territory's tiles change: the other territories' stay cached.
            footprint_changed_announce(
                ZONING_TILESET,
                before=version_footprint(replaced),
                after=version_footprint(document_version.pk),
            )
            transaction.on_commit(
                lambda: version_made_current.send_robust(
                    sender=DocumentVersion, version=document_version
                )
            )
    return document_version


def user_may_import(user, identity: dict) -> bool:
    """Administrators import anything; a planner, the documents of their territories.

    The command line (no user) is an administrator's tool.
    """
    if user is None or user.has_perm("territories.administer"):
        return True
    territory = (
        Territory.objects.filter(siren=identity["siren"]).first() if identity["siren"] else None
    )
    return territory is not None and user.has_perm("territories.plan", territory)


def _structure_errors(entries: list[DeliveryTable], version: CnigVersion, source_srid) -> list[str]:
    errors = []
    for entry in entries:
        required = cnig.REQUIRED_FIELDS[(entry.table.family, version)]
        missing = [name.upper() for name in required if name not in entry.fields]
        if missing:
            errors.append(
                _(
                    "%(table)s (%(file)s): mandatory field(s) %(missing)s missing for the CNIG %(version)s standard."
                )
                % {
                    "table": entry.table.name,
                    "file": entry.label,
                    "missing": ", ".join(missing),
                    "version": version,
                }
            )
        if entry.srs_wkt is None and not source_srid:
            errors.append(
                _("%(file)s has no coordinate reference system (no .prj): give its EPSG code.")
                % {"file": entry.label}
            )
    return errors


def _srs_name(entry: DeliveryTable) -> str:
    if entry.srid:
        return f"EPSG:{entry.srid}"
    return SpatialReference(entry.srs_wkt).name


def _write_version(identity, doc, version, staged, report: ImportReport, user) -> DocumentVersion:
    territory = (
        Territory.objects.filter(siren=identity["siren"]).first() if identity["siren"] else None
    )
    document, _created = UrbanDocument.objects.select_for_update().get_or_create(
        idurba=identity["idurba"],
        defaults={k: identity[k] for k in ("typedoc", "siren", "insee")} | {"territory": territory},
    )
    number = (document.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    document_version = DocumentVersion.objects.create(
        document=document,
        number=number,
        cnig_version=version,
        etat=doc.get("etat", "")[:2],
        nomproc=doc.get("nomproc", "")[:10],
        datappro=_date(doc.get("datappro")),
        datefin=_date(doc.get("datefin")),
        nomreg=doc.get("nomreg", "")[:80],
        urlreg=doc.get("urlreg", "")[:254],
        nomplan=doc.get("nomplan", "")[:80],
        urlplan=doc.get("urlplan", "")[:254],
        siteweb=doc.get("siteweb", "")[:254],
        communes=doc.get("communes", []),
        source_name=report.source[:255],
        source_srs=report.source_srs[:255],
        perimeter="MULTIPOLYGON EMPTY",
        imported_by=user,
    )
    for name, (entry, table) in staged.items():
        report.counts[name] = importer.copy_staged(entry.table, table, document_version.pk)
    report.version_number = number
    return document_version


def _date(value: str | None) -> date | None:
    if value and re.fullmatch(r"\d{8}", value):
        try:
            return date(int(value[:4]), int(value[4:6]), int(value[6:]))
        except ValueError:
            return None
    return None


@transaction.atomic
def plui_zoning_analyse(*, version: DocumentVersion, report: ImportReport) -> ImportReport:
    """Compute the version's perimeter and add overlaps and gaps to its report."""
    report.warnings += importer.zoning_analysis(version.pk)
    version.report = report.as_dict()
    version.save(update_fields=["report"])
    return report


@transaction.atomic
def piece_attach(*, version: DocumentVersion, pdf: File, filename: str):
    """Attach an uploaded PDF to a version and relink the zones to the règlement."""
    piece = pieces.piece_store(version=version, pdf=pdf, filename=filename)
    pieces.regulation_links_build(version=version)
    return piece
