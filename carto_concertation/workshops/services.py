# SPDX-License-Identifier: AGPL-3.0-or-later
"""Writes on workshops and their captures, one transaction each."""

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation
from carto_concertation.core.audit import audit_record
from carto_concertation.core.jobs import job_create
from carto_concertation.core.models import Job
from carto_concertation.core.modules import module_service
from carto_concertation.territories.models import Commune
from tiles.tasks import offline_package_task

from .models import Workshop, WorkshopCapture
from .permissions import workshop_commune_check
from .selectors import capture_get, capture_window
from .tasks import workshop_print_map_task


class CaptureConflict(Exception):
    """The key of a capture already stands for another idea (409, not a replay)."""


@dataclass(frozen=True)
class CapturePayload:
    """One participant's idea as the tablet or the paper map gives it."""

    title: str
    text: str
    geometry: GEOSGeometry
    theme_ids: Sequence[int] = field(default_factory=tuple)
    channel: str = WorkshopCapture.Channel.WORKSHOP
    participant: str = ""

    def digest(self) -> str:
        """The same idea sent twice gives the same digest, whatever the order of its themes."""
        canonical = {
            "title": self.title,
            "text": self.text,
            "geometry": self.geometry.wkb.hex(),
            "themes": sorted(set(self.theme_ids)),
            "channel": self.channel,
            "participant": self.participant,
        }
        return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def workshop_create(
    *,
    user,
    concertation: Concertation,
    commune: Commune,
    starts_at: datetime,
    place: str,
    facilitator: str,
    notes: str = "",
) -> Workshop:
    workshop_commune_check(user=user, concertation=concertation, commune=commune)
    workshop = Workshop.objects.create(
        concertation=concertation,
        commune=commune,
        starts_at=starts_at,
        place=place.strip(),
        facilitator=facilitator.strip(),
        notes=notes.strip(),
        created_by=user,
    )
    _audit("workshops.created", workshop, user, commune=commune.pk)
    return workshop


def _audit(action: str, workshop: Workshop, user, **details) -> None:
    """A relay's or a planner's action in the staff audit journal: ids and counts, never
    the place, the notes or an idea's text."""
    audit_record(
        action,
        workshop,
        actor=user,
        territory=workshop.concertation.territory_id,
        concertation=workshop.concertation_id,
        **details,
    )


@transaction.atomic
def workshop_update(
    *,
    workshop: Workshop,
    user,
    commune: Commune | None = None,
    starts_at: datetime | None = None,
    place: str | None = None,
    facilitator: str | None = None,
    notes: str | None = None,
) -> Workshop:
    """Change a workshop (None: unchanged); its commune, the old one and a new one,
    must be in the person's scope."""
    locked = Workshop.objects.select_for_update().select_related("commune").get(pk=workshop.pk)
    workshop_commune_check(user=user, concertation=locked.concertation, commune=locked.commune)
    if commune is not None:
        workshop_commune_check(user=user, concertation=locked.concertation, commune=commune)
        locked.commune = commune
    if starts_at is not None:
        locked.starts_at = starts_at
    for name, text in (("place", place), ("facilitator", facilitator), ("notes", notes)):
        if text is not None:
            setattr(locked, name, text.strip())
    locked.save()
    given = {
        "commune": commune,
        "starts_at": starts_at,
        "place": place,
        "facilitator": facilitator,
        "notes": notes,
    }
    changed = sorted(name for name, value in given.items() if value is not None)
    _audit("workshops.updated", locked, user, fields=changed)
    return locked


def _capture_window_check(concertation: Concertation, at: datetime) -> None:
    window = capture_window(concertation=concertation)
    if concertation.status not in (Concertation.Status.OPEN, Concertation.Status.CLOSED) or (
        window is None or at < window[0] or (window[1] is not None and at >= window[1])
    ):
        raise ValidationError(
            {"workshop": _("This concertation no longer takes workshop captures.")}
        )


def _key_lock(key: uuid.UUID) -> None:
    """Serialise the syncs of one key: a second sync racing the first waits, then finds
    its capture (the unique key would refuse a twin anyway, with an error instead)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key.int >> 65])


def _capture(
    *, workshop: Workshop, user, key: uuid.UUID, payload: CapturePayload
) -> tuple[WorkshopCapture, bool]:
    _key_lock(key)
    digest = payload.digest()
    existing = capture_get(key=key)
    if existing is not None:
        if existing.workshop_id != workshop.pk or existing.payload_hash != digest:
            raise CaptureConflict(_("This key already stands for another idea."))
        return existing, False
    _capture_window_check(workshop.concertation, timezone.now())
    contribution = module_service("ideas", "capture")(
        concertation=workshop.concertation,
        title=payload.title,
        text=payload.text,
        geometry=payload.geometry,
        theme_ids=payload.theme_ids,
        channel=payload.channel,
    )
    capture = WorkshopCapture.objects.create(
        workshop=workshop,
        key=key,
        contribution=contribution,
        payload_hash=digest,
        channel=payload.channel,
        participant=payload.participant.strip()[:40],
        captured_by=user,
    )
    return capture, True


@transaction.atomic
def workshop_capture_record(
    *, workshop: Workshop, user, key: uuid.UUID, payload: CapturePayload
) -> tuple[WorkshopCapture, bool]:
    """Record one captured idea under its key; (capture, True) the first time,
    (the same capture, False) on a replay of the same idea, CaptureConflict if the key
    was used for another idea."""
    workshop_commune_check(user=user, concertation=workshop.concertation, commune=workshop.commune)
    capture, created = _capture(workshop=workshop, user=user, key=key, payload=payload)
    if created:  # a replay of the tablet's sync adds nothing, to the journal neither
        _audit(
            "workshops.captured",
            workshop,
            user,
            contribution=capture.contribution_id,
            channel=capture.channel,
        )
    return capture, created


@dataclass(frozen=True)
class ImportLine:
    """What became of one line of a paper-map file (the page's line-by-line report)."""

    line: int
    title: str
    contribution: int | None = None  # the idea, once imported
    created: bool = False  # False with a contribution: imported by an earlier upload
    errors: tuple[dict, ...] = ()


@dataclass
class ImportReport:
    created: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    lines: list[ImportLine] = field(default_factory=list)


def _row_errors(line: int, exc: ValidationError) -> list[dict]:
    details = exc.message_dict if hasattr(exc, "error_dict") else {"row": exc.messages}
    return [
        {"line": line, "field": name, "reason": " ".join(str(m) for m in messages)}
        for name, messages in details.items()
    ]


@transaction.atomic
def workshop_paper_import(
    *,
    workshop: Workshop,
    user,
    rows: Sequence[tuple[int, CapturePayload | list[dict]]],
    source: str,
) -> ImportReport:
    """Import the ideas of a paper-map session, all or nothing.

    Every row goes through the same checks as a capture; one refused row and nothing
    is written, the report naming each refused line, its field and why. A row's key
    comes from the file and the line, so importing the same file again adds nothing.
    """
    workshop_commune_check(user=user, concertation=workshop.concertation, commune=workshop.commune)
    report = ImportReport()
    for line, payload in rows:
        if not isinstance(payload, CapturePayload):
            refused = [{k: v for k, v in error.items() if k != "title"} for error in payload]
            title = next((error["title"] for error in payload if error.get("title")), "")
            report.errors.extend(refused)
            report.lines.append(ImportLine(line=line, title=title, errors=tuple(refused)))
            continue
        key = uuid.uuid5(uuid.NAMESPACE_URL, f"workshop:{workshop.pk}:{source}:{line}")
        try:
            with transaction.atomic():
                capture, created = _capture(workshop=workshop, user=user, key=key, payload=payload)
        except ValidationError as exc:
            refused = _row_errors(line, exc)
        except CaptureConflict as exc:
            refused = [{"line": line, "field": "row", "reason": str(exc)}]
        else:
            (report.created if created else report.already).append(capture.contribution_id)
            report.lines.append(
                ImportLine(
                    line=line,
                    title=payload.title,
                    contribution=capture.contribution_id,
                    created=created,
                )
            )
            continue
        report.errors.extend(refused)
        report.lines.append(ImportLine(line=line, title=payload.title, errors=tuple(refused)))
    if report.errors:
        transaction.set_rollback(True)
        report.created, report.already = [], []
        # Nothing was written: no line names an idea.
        report.lines = [
            ImportLine(line=r.line, title=r.title, errors=r.errors) for r in report.lines
        ]
    elif report.created:
        _audit(
            "workshops.paper_imported",
            workshop,
            user,
            created=len(report.created),
            already=len(report.already),
        )
    return report


PRINT_JOB = "workshop_print_map"
OFFLINE_JOB = "offline_package"  # the tiles' job (tiles.api), started from a workshop's page


@transaction.atomic
def workshop_print_start(*, workshop: Workshop, user, fmt: str, language: str) -> Job:
    """Start drawing the workshop's A3 sheet (a job); the worker takes it once this
    transaction has committed."""
    workshop_commune_check(user=user, concertation=workshop.concertation, commune=workshop.commune)
    return job_create(
        kind=PRINT_JOB,
        title=_("Workshop map of %(commune)s") % {"commune": workshop.commune.name},
        params={"workshop_id": workshop.pk, "format": fmt, "language": language},
        user=user,
        enqueue=workshop_print_map_task.delay,
    )


@transaction.atomic
def workshop_offline_package_start(*, workshop: Workshop, user) -> Job:
    """Start the offline map package (MBTiles) of the workshop's concertation, as
    ``POST /api/v1/concertations/<slug>/offline-package`` does, for a person who runs
    this workshop and may take the territory's map offline."""
    workshop_commune_check(user=user, concertation=workshop.concertation, commune=workshop.commune)
    if not user.has_perm("tiles.take_offline", workshop.concertation.territory):
        raise PermissionDenied(_("Only the planners and relays of this territory may do that."))
    return job_create(
        kind=OFFLINE_JOB,
        title=_("Offline map of %(concertation)s") % {"concertation": workshop.concertation.title},
        params={"concertation_id": workshop.concertation_id},
        user=user,
        enqueue=offline_package_task.delay,
    )
