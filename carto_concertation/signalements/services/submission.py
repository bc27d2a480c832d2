# SPDX-License-Identifier: AGPL-3.0-or-later
"""Filing a report and confirming it by the e-mail link (docs/signalements.md, "Filing").

Every check runs before anything is written; the writes are one transaction, and a photo
file stored by a write that fails is deleted again (core.photos.removed_on_error)."""

import math
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, Point
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.core.photos import PreparedPhoto, photo_prepare, removed_on_error
from carto_concertation.engagement.selectors import account_banned
from carto_concertation.territories.models import Territory

from ..models import (
    ApiClient,
    BannedSender,
    Category,
    CategoryQuestion,
    Report,
    ReportPhoto,
    ReportUpdate,
)
from ..selectors import commune_at, service_for
from .addresses import address_at
from .mail import confirmation_send, service_notify

MAX_PHOTOS = 3
DESCRIPTION_MAX = 3000
TEXT_ANSWER_MAX = 500
# The e-mail link's signature is for confirming a report and nothing else.
CONFIRMATION_SALT = "signalements.report-confirm"
WGS84 = 4326


def report_submit(
    *,
    territory: Territory,
    category: Category | None,
    point: Point | None,
    description: str,
    answers: Mapping[str, Any] | None = None,
    photos: Sequence = (),
    author=None,
    email: str = "",
    is_public: bool = True,
    source: str = Report.Source.WEB,
    api_client: ApiClient | None = None,
) -> Report:
    """File a report. ``point`` carries its SRID (WGS84 when it has none). An active
    account files it open at once; an address alone files it unconfirmed and is sent the
    link; an active Open311 application of the territory is trusted as confirmed when it
    names an account or an address. A banned sender's report is kept hidden, answered
    alike."""
    author = author if author is not None and author.is_authenticated and author.is_active else None
    email = (email or "").strip()
    errors: dict[str, Any] = {}
    category_error = _category_error(territory=territory, category=category)
    if category_error:
        errors["category"] = category_error
    stored_point, location_error = _stored_point(territory=territory, point=point)
    if location_error:
        errors["location"] = location_error
    description_error = _description_error(description)
    if description_error:
        errors["description"] = description_error
    kept_answers: dict[str, Any] = {}
    if not category_error:
        kept_answers, answer_errors = _checked_answers(category=category, answers=answers)
        if answer_errors:
            # One message per question, led by its code: "profondeur: Enter a number."
            errors["answers"] = [f"{code}: {message}" for code, message in answer_errors.items()]
    if author is None and not email:
        errors["email"] = _("Sign in or give your e-mail address to confirm the report.")
    elif author is None and not _is_email(email):
        errors["email"] = _("Enter a valid e-mail address.")
    prepared: list[PreparedPhoto] = []
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = _("At most %(max)s photos per report.") % {"max": MAX_PHOTOS}
    else:
        try:
            prepared = [photo_prepare(upload=upload) for upload in photos]
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    trusted = (
        api_client is not None and api_client.active and api_client.territory_id == territory.pk
    )
    with removed_on_error() as files:
        return _report_write(
            territory=territory,
            category=category,
            geom=stored_point,
            description=description,
            answers=kept_answers,
            photos=prepared,
            files=files,
            author=author,
            email="" if author is not None else email,
            is_public=bool(is_public),
            source=source,
            api_client=api_client,
            confirmed=author is not None or trusted,
        )


@transaction.atomic
def _report_write(
    *, territory, category, geom, photos, files: list[str], confirmed: bool, **values
) -> Report:
    commune = commune_at(territory_id=territory.pk, point=geom)
    now = timezone.now()
    report = Report.objects.create(
        territory=territory,
        category=category,
        commune=commune,
        service=service_for(commune=commune, category=category),
        geom=geom,
        address=address_at(territory=territory, commune=commune, point=geom),
        is_hidden=_is_banned(territory=territory, author=values["author"], email=values["email"]),
        state=Report.State.OPEN if confirmed else Report.State.UNCONFIRMED,
        confirmed_at=now if confirmed else None,
        **values,
    )
    for prepared in photos:
        photo = ReportPhoto(report=report, width=prepared.width, height=prepared.height)
        photo.image.save("photo.jpg", ContentFile(prepared.content), save=False)
        files.append(photo.image.name)
        photo.save()
    ReportUpdate.objects.create(
        report=report,
        kind=ReportUpdate.Kind.CREATED,
        state_after=report.state,
        service_after=report.service,
    )
    if confirmed:
        service_notify(report=report)
    else:
        confirmation_send(report=report, token=report_confirmation_token(report=report))
    return report


def report_confirmation_token(*, report: Report) -> str:
    """The signed, timestamped token of the e-mail link (it names the report)."""
    return signing.TimestampSigner(salt=CONFIRMATION_SALT).sign(str(report.pk))


@transaction.atomic
def report_confirm(*, token: str) -> Report:
    """The reporter followed the e-mail link: the report is open (and routed). A second
    click answers the report as it is; an expired or forged token is refused."""
    signer = signing.TimestampSigner(salt=CONFIRMATION_SALT)
    try:
        pk = signer.unsign(str(token), max_age=settings.SIGNALEMENTS_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            {"token": _("This link has expired: file the report again.")}
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError({"token": _("This link is not valid.")}) from exc
    report = Report.objects.select_for_update().filter(pk=pk).first()
    if report is None:
        raise ValidationError({"token": _("This report no longer exists.")})
    if report.state != Report.State.UNCONFIRMED:
        return report
    report.state = Report.State.OPEN
    report.confirmed_at = timezone.now()
    report.save(update_fields=["state", "confirmed_at", "updated_at"])
    ReportUpdate.objects.create(
        report=report,
        kind=ReportUpdate.Kind.CONFIRMED,
        state_before=Report.State.UNCONFIRMED,
        state_after=Report.State.OPEN,
        service_after=report.service,
    )
    service_notify(report=report)
    return report


def _category_error(*, territory: Territory, category: Category | None) -> str:
    if (
        category is None
        or category.territory_id != territory.pk
        or not category.active
        or (category.parent_id and not category.parent.active)
    ):
        return _("Choose a category of this territory.")
    if category.children.filter(active=True).exists():
        return _("Choose a more precise category.")
    return ""


def _stored_point(*, territory: Territory, point: Point | None) -> tuple[Point | None, str]:
    """The point in the stored SRID, or why it is refused."""
    outside = _("Place the report inside the territory.")
    if not isinstance(point, Point) or point.empty:
        return None, _("Place the report on the map.")
    if not all(math.isfinite(c) for c in point.coords):
        return None, outside
    stored = point.clone()
    if stored.srid is None:
        stored.srid = WGS84
    if stored.srid == WGS84 and not (-180 <= stored.x <= 180 and -90 <= stored.y <= 90):
        return None, outside
    try:
        stored.transform(settings.SRID)
    except (GDALException, GEOSException):  # a point the projection cannot reach
        return None, outside
    if not Territory.objects.filter(pk=territory.pk, geom__covers=stored).exists():
        return None, outside
    return stored, ""


def _description_error(description) -> str:
    if not isinstance(description, str) or not description.strip():
        return _("Describe the problem.")
    if len(description) > DESCRIPTION_MAX:
        return _("At most %(max)s characters.") % {"max": DESCRIPTION_MAX}
    if "\x00" in description:  # PostgreSQL keeps no NUL in a text
        return _("The text holds a character that cannot be kept.")
    return ""


def _checked_answers(
    *, category: Category, answers: Mapping[str, Any] | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers to the category's questions, and the errors by question code. An
    answer to no question of the category is dropped (Open311 clients send attributes of
    their own)."""
    if answers is not None and not isinstance(answers, Mapping):
        return {}, {"answers": _("Answer the questions by their code.")}
    answers = answers or {}
    kept, errors = {}, {}
    for question in category.questions.all():
        value = answers.get(question.code)
        if value is None or (isinstance(value, str) and not value.strip()):
            if question.required:
                errors[question.code] = _("Answer “%(question)s”.") % {"question": question.label}
            continue
        value, error = _checked_answer(question, value)
        if error:
            errors[question.code] = error
        else:
            kept[question.code] = value
    return kept, errors


def _checked_answer(question: CategoryQuestion, value) -> tuple[Any, str]:
    if question.kind == CategoryQuestion.Kind.CHOICE:
        keys = [choice.get("key") for choice in question.choices if isinstance(choice, dict)]
        if not isinstance(value, str) or value not in keys:
            return None, _("Choose one of the answers offered.")
        return value, ""
    if question.kind == CategoryQuestion.Kind.NUMBER:
        number = _number(value)
        if number is None:
            return None, _("Enter a number.")
        return number, ""
    if not isinstance(value, str):
        return None, _("Enter a text.")
    if len(value) > TEXT_ANSWER_MAX:
        return None, _("At most %(max)s characters.") % {"max": TEXT_ANSWER_MAX}
    if "\x00" in value:
        return None, _("The text holds a character that cannot be kept.")
    return value, ""


def _number(value) -> int | float | None:
    """A finite number, from JSON or from a form's text; an integer stays one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    if not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _is_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return len(email) <= 254


def _is_banned(*, territory: Territory, author, email: str) -> bool:
    """An account banned by the moderators (engagement's ban, as for every module), or a
    sender the services banned here: an account or an address (the report's or the
    account's), which also reaches those who report without an account."""
    if account_banned(user=author, territory_id=territory.pk):
        return True
    addresses = [a for a in (email, author.email if author else "") if a]
    who = Q(pk__in=[])
    if author is not None:
        who |= Q(user=author)
    for address in addresses:
        who |= Q(email__iexact=address)
    return BannedSender.objects.filter(who, territory=territory).exists()
