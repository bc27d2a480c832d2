# SPDX-License-Identifier: AGPL-3.0-or-later
"""Submitting a project to an edition, supporting it and withdrawing one's support
(docs/budgets.md, "Projects and map").

Every check runs before anything is written; each write is one transaction, and a photo
file stored by a write that fails is deleted again (core.photos.removed_on_error)."""

import math
from collections.abc import Sequence

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from carto_concertation.core.photos import PreparedPhoto, photo_prepare, removed_on_error
from carto_concertation.engagement.selectors import account_banned
from carto_concertation.territories.models import Territory

from ..models import Edition, EditionPhase, Project, ProjectPhoto, ProjectSupporter
from ..selectors.projects import SUPPORTABLE, district_at, phase_open
from ..tiles import projects_map_changed

MAX_PHOTOS = 3
TITLE_MAX = 200
DESCRIPTION_MAX = 5000
ASSOCIATION_MAX = 200
WGS84 = 4326
PLACE_TYPES = ("Point", "Polygon")


def project_submit(
    *,
    edition: Edition,
    user,
    title: str,
    description: str,
    estimated_cost,
    geom: GEOSGeometry | None,
    association: str = "",
    photos: Sequence = (),
) -> Project:
    """A resident proposes a project while the edition's submission phase is open. The
    place (a point or an area, WGS84 when it carries no SRID) must lie in the territory;
    its district follows from it; the number is the next in the edition."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise ValidationError({"user": _("Sign in to propose a project.")})
    if not edition.is_published or not phase_open(edition, EditionPhase.Kind.SUBMISSION):
        raise ValidationError(
            {"edition": _("Projects can be proposed only while the submission phase is open.")}
        )
    errors: dict[str, str | list] = {}
    for field, value, limit, empty in (
        ("title", title, TITLE_MAX, _("Give the project a title.")),
        ("description", description, DESCRIPTION_MAX, _("Describe the project.")),
        ("association", association, ASSOCIATION_MAX, ""),
    ):
        if error := _text_error(value, limit, empty):
            errors[field] = error
    stored, place_error = _stored_place(edition=edition, geom=geom)
    if place_error:
        errors["geom"] = place_error
    district = district_at(edition, stored) if stored is not None else None
    cost, cost_error = _cost(edition=edition, district=district, value=estimated_cost)
    if cost_error:
        errors["estimated_cost"] = cost_error
    prepared: list[PreparedPhoto] = []
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("At most %(max)s photos per project.") % {"max": MAX_PHOTOS}
    else:
        try:
            prepared = [photo_prepare(upload=upload) for upload in photos]
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    # A banned account is answered as anyone; its project waits for the analysis, unseen.
    held = account_banned(user=user, territory_id=edition.territory_id)
    with removed_on_error() as files:
        return _project_write(
            edition=edition,
            values={
                "submitter": user,
                "title": title.strip(),
                "description": description.strip(),
                "estimated_cost": cost,
                "geom": stored,
                "district": district,
                "association": (association or "").strip(),
                "status": Project.Status.PROPOSED,
                "held": held,
            },
            photos=prepared,
            files=files,
        )


@transaction.atomic
def _project_write(
    *, edition: Edition, values: dict, photos: list[PreparedPhoto], files: list[str]
) -> Project:
    # The edition's row is the lock: two submissions at once take consecutive numbers.
    Edition.objects.select_for_update().filter(pk=edition.pk).first()
    last = Project.objects.filter(edition=edition).aggregate(last=Max("number"))["last"]
    project = Project.objects.create(edition=edition, number=(last or 0) + 1, **values)
    for prepared in photos:
        photo = ProjectPhoto(project=project)
        photo.image.save("photo.jpg", ContentFile(prepared.content), save=False)
        files.append(photo.image.name)
        photo.save()
    projects_map_changed(edition, after=[project.geom])
    return project


@transaction.atomic
def project_support(*, project: Project, user) -> ProjectSupporter:
    """A resident supports a project still under discussion, once."""
    _support_check(project=project, user=user)
    try:
        with transaction.atomic():
            supporter = ProjectSupporter.objects.create(
                project=project,
                user=user,
                counted=not account_banned(user=user, territory_id=project.edition.territory_id),
            )
    except IntegrityError as exc:
        raise ValidationError({"project": _("You already support this project.")}) from exc
    projects_map_changed(project.edition, after=[project.geom] if project.geom else ())
    return supporter


@transaction.atomic
def project_support_withdraw(*, project: Project, user) -> None:
    """A resident withdraws their support while the project is still under discussion."""
    _support_check(project=project, user=user)
    deleted, _rows = ProjectSupporter.objects.filter(project=project, user=user).delete()
    if not deleted:
        raise ValidationError({"project": _("You do not support this project.")})
    projects_map_changed(project.edition, after=[project.geom] if project.geom else ())


def _support_check(*, project: Project, user) -> None:
    if user is None or not user.is_authenticated or not user.is_active:
        raise ValidationError({"user": _("Sign in to support a project.")})
    if not project.edition.is_published or project.status not in SUPPORTABLE:
        raise ValidationError(
            {"project": _("Only a proposed or admissible project can be supported.")}
        )


def _text_error(value, limit: int, empty: str) -> str:
    if not isinstance(value, str):
        return _("Enter a text.")
    if empty and not value.strip():
        return empty
    if len(value) > limit:
        return _("At most %(max)s characters.") % {"max": limit}
    if "\x00" in value:  # PostgreSQL keeps no NUL in a text
        return _("The text holds a character that cannot be kept.")
    return ""


def _cost(*, edition: Edition, district, value) -> tuple[int | None, str]:
    """Whole euros, more than zero and within the envelope (the district's when split)."""
    if isinstance(value, bool):
        return None, _("Give the cost in whole euros.")
    if isinstance(value, str):
        value = value.strip().replace(" ", "").replace("\u202f", "")
        if not value.isdigit():
            return None, _("Give the cost in whole euros.")
        value = int(value)
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None, _("Give the cost in whole euros.")
        value = int(value)
    if not isinstance(value, int):
        return None, _("Give the cost in whole euros.")
    if value <= 0:
        return None, _("The cost must be more than zero.")
    envelope = edition.envelope
    if edition.split_by_district and district is not None and district.envelope is not None:
        envelope = district.envelope
    if value > envelope:
        return None, _("The cost cannot exceed the envelope (%(envelope)s €).") % {
            "envelope": envelope
        }
    return value, ""


def _stored_place(*, edition: Edition, geom) -> tuple[GEOSGeometry | None, str]:
    """The place in the stored SRID, or why it is refused."""
    outside = _("Place the project inside the territory.")
    if not isinstance(geom, GEOSGeometry) or geom.empty:
        return None, _("Place the project on the map.")
    if geom.geom_type not in PLACE_TYPES:
        return None, _("Give a point or an area (polygon).")
    stored = geom.clone()
    if stored.srid is None:
        stored.srid = WGS84
    if stored.srid == WGS84:
        xmin, ymin, xmax, ymax = stored.extent
        if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
            return None, outside
    if not stored.valid:
        return None, _("The area's outline crosses itself.")
    try:
        stored.transform(settings.SRID)
    except (GDALException, GEOSException):  # a place the projection cannot reach
        return None, outside
    if not Territory.objects.filter(pk=edition.territory_id, geom__covers=stored).exists():
        return None, outside
    return stored, ""
