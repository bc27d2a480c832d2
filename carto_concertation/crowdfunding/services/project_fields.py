# SPDX-License-Identifier: AGPL-3.0-or-later
"""The checks of a project's fields, for its submission and its edits
(services/projects.py): each value is read as the API or a form gives it, and each
refusal names its field. The checks between fields (a loan's terms, the campaign's dates,
the goal's share of the whole budget) run on the project as it would be after the write."""

import math
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, WKBWriter
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from carto_concertation.territories.models import Commune, Territory

from ..models import Project

WGS84 = 4326
PLACE_TYPES = ("Point", "Polygon", "MultiPolygon")
# PositiveIntegerField and PositiveSmallIntegerField's bounds.
EUROS_MAX = 2_147_483_647
LOAN_MONTHS_MAX = 600
RATE_MAX = Decimal("99.99")

# What a porteur gives; what only the collectivité's agents set (its support).
PORTEUR_FIELDS = (
    "title",
    "summary",
    "description",
    "theme",
    "geom",
    "porteur_kind",
    "porteur_name",
    "modality",
    "interest_rate",
    "loan_months",
    "goal",
    "total_budget",
    "campaign_starts_on",
    "campaign_ends_on",
    "platform",
    "platform_name",
    "campaign_url",
)
SUPPORT_FIELDS = ("supported", "cofunding", "public_meeting_on", "public_meeting_place")
# A submission without them is incomplete; the others may stay empty.
REQUIRED_FIELDS = (
    "title",
    "summary",
    "description",
    "theme",
    "geom",
    "porteur_kind",
    "porteur_name",
    "modality",
    "goal",
    "campaign_starts_on",
    "campaign_ends_on",
    "platform",
    "campaign_url",
)
TEXT_LIMITS = {
    "title": 200,
    "summary": 300,
    "description": 10000,
    "porteur_name": 200,
    "platform_name": 100,
    "public_meeting_place": 200,
}
CHOICES = {
    "theme": Project.Theme.values,
    "porteur_kind": Project.PorteurKind.values,
    "modality": Project.Modality.values,
    "platform": Project.Platform.values,
}


def fields_cleaned(data: dict, *, territory: Territory) -> tuple[dict, dict]:
    """Each field given, read and checked on its own: (values, errors by field)."""
    values: dict = {}
    errors: dict = {}
    unknown = sorted(set(data) - set(PORTEUR_FIELDS) - set(SUPPORT_FIELDS))
    if unknown:
        errors["non_field_errors"] = _("Unknown fields: %(names)s.") % {
            "names": ", ".join(unknown)[:200]
        }
    for field, value in data.items():
        if field in unknown:
            continue
        try:
            values[field] = _cleaned(field, value, territory=territory)
        except ValidationError as error:
            errors[field] = error.messages
    return values, errors


def project_errors(project: dict, *, required: bool) -> dict:
    """The checks between fields on the project as it would be written (its values by
    field name): a required field missing, a loan's terms, the dates, the share."""
    errors: dict = {}
    if required:
        for field in REQUIRED_FIELDS:
            if project.get(field) in (None, ""):
                errors[field] = _("This field is required.")
    modality = project.get("modality")
    rate, months = project.get("interest_rate"), project.get("loan_months")
    if modality == Project.Modality.LOAN_INTEREST:
        if rate is None:
            errors.setdefault("interest_rate", _("A loan with interest states its rate."))
        if months is None:
            errors.setdefault("loan_months", _("A loan with interest states its length."))
    elif rate is not None and modality:
        errors.setdefault("interest_rate", _("Only a loan with interest has an interest rate."))
    if months is not None and modality and modality not in Project.LOAN_MODALITIES:
        errors.setdefault("loan_months", _("Only a loan has a length."))
    if project.get("platform") == Project.Platform.OTHER and not project.get("platform_name"):
        errors.setdefault("platform_name", _("Name the platform."))
    starts, ends = project.get("campaign_starts_on"), project.get("campaign_ends_on")
    if starts and ends and ends < starts:
        errors.setdefault("campaign_ends_on", _("The campaign cannot end before it starts."))
    goal, budget = project.get("goal"), project.get("total_budget")
    if goal and budget and goal > budget:
        errors.setdefault(
            "total_budget", _("The whole budget cannot be less than the campaign's goal.")
        )
    return errors


def commune_of(territory: Territory, geom: GEOSGeometry) -> Commune | None:
    """The territory's commune the place lies in (an area: its point on surface)."""
    point = geom if geom.geom_type == "Point" else geom.point_on_surface
    return (
        Commune.objects.filter(territory=territory, geom__intersects=point)
        .order_by("insee")
        .first()
    )


def _cleaned(field: str, value, *, territory: Territory):
    if field in TEXT_LIMITS:
        return _text(value, TEXT_LIMITS[field], required=field in REQUIRED_FIELDS)
    if field in CHOICES:
        if value not in CHOICES[field]:
            raise ValidationError(_("Choose one of the choices offered."))
        return value
    if field == "geom":
        return _place(value, territory=territory)
    if field == "goal":
        goal = _euros(value, required=True)
        if goal <= 0:
            raise ValidationError(_("The goal must be more than zero."))
        return goal
    if field in ("total_budget", "cofunding"):
        amount = _euros(value, required=False)
        if field == "total_budget" and amount == 0:
            raise ValidationError(_("The whole budget must be more than zero."))
        return amount
    if field == "interest_rate":
        return _rate(value)
    if field == "loan_months":
        return _months(value)
    if field in ("campaign_starts_on", "campaign_ends_on", "public_meeting_on"):
        return _date(value, required=field in REQUIRED_FIELDS)
    if field == "campaign_url":
        return _campaign_url(value)
    if field == "supported":
        if not isinstance(value, bool):
            raise ValidationError(_("Answer yes or no."))
        return value
    raise AssertionError(field)  # fields_cleaned passes only known fields


def _text(value, limit: int, *, required: bool) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ValidationError(_("Enter a text."))
    if "\x00" in value:  # PostgreSQL keeps no NUL in a text
        raise ValidationError(_("The text holds a character that cannot be kept."))
    value = value.strip()
    if required and not value:
        raise ValidationError(_("This field is required."))
    if len(value) > limit:
        raise ValidationError(_("At most %(max)s characters.") % {"max": limit})
    return value


def _euros(value, *, required: bool) -> int | None:
    """Whole euros, zero or more (the caller says whether zero is taken)."""
    if value in (None, "") and not required:
        return None
    if isinstance(value, str):
        value = value.strip().replace(" ", "").replace("\u202f", "").replace("\xa0", "")
        if value.lstrip("-").isdigit():
            value = int(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("Give an amount in whole euros."))
    if value < 0:
        raise ValidationError(_("The amount cannot be negative."))
    if value > EUROS_MAX:
        raise ValidationError(_("The amount is too large."))
    return value


def _rate(value) -> Decimal | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError(_("Give the rate as a number, such as 1.8."))
    try:
        rate = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation as exc:
        raise ValidationError(_("Give the rate as a number, such as 1.8.")) from exc
    if not rate.is_finite() or rate <= 0 or rate > RATE_MAX:
        raise ValidationError(_("The rate is more than 0 % and less than 100 % a year."))
    if rate != rate.quantize(Decimal("0.01")):
        raise ValidationError(_("At most two decimals."))
    return rate


def _months(value) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("Give the length in whole months."))
    if not 1 <= value <= LOAN_MONTHS_MAX:
        raise ValidationError(
            _("The length is between 1 and %(max)s months.") % {"max": LOAN_MONTHS_MAX}
        )
    return value


def _date(value, *, required: bool) -> date | None:
    if value in (None, "") and not required:
        return None
    if isinstance(value, date):
        return value
    parsed = None
    if isinstance(value, str):
        try:
            parsed = parse_date(value.strip())
        except ValueError:
            parsed = None
    if parsed is None:
        raise ValidationError(_("Give a date (YYYY-MM-DD)."))
    return parsed


def _campaign_url(value) -> str:
    """A link to the campaign over TLS only: the public follows it to give money."""
    text = _text(value, 500, required=True)
    scheme, separator, rest = text.partition("://")
    if not separator or scheme.lower() != "https":
        raise ValidationError(_("Give the campaign's link over https (https://…)."))
    text = "https://" + rest
    try:
        URLValidator(schemes=["https"])(text)
    except ValidationError as exc:
        raise ValidationError(_("This is not a web address.")) from exc
    return text


def _place(value, *, territory: Territory) -> GEOSGeometry:
    """The place in the stored SRID (WGS84 when it carries none), inside the territory."""
    outside = _("Place the project inside the territory.")
    if not isinstance(value, GEOSGeometry) or value.empty:
        raise ValidationError(_("Place the project on the map."))
    if value.geom_type not in PLACE_TYPES:
        raise ValidationError(_("Give a point or an area (polygon)."))
    stored = value.clone()
    if stored.srid is None:
        stored.srid = WGS84
    if stored.hasz:  # GeoJSON allows an altitude; the column holds two dimensions
        flat = WKBWriter()
        flat.outdim = 2
        stored = GEOSGeometry(flat.write(stored), srid=stored.srid)
    if stored.srid == WGS84:
        xmin, ymin, xmax, ymax = stored.extent
        if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
            raise ValidationError(outside)
    if not stored.valid:
        raise ValidationError(_("The area's outline crosses itself."))
    try:
        stored.transform(settings.SRID)
    except (GDALException, GEOSException) as exc:  # a place the projection cannot reach
        raise ValidationError(outside) from exc
    if not Territory.objects.filter(pk=territory.pk, geom__covers=stored).exists():
        raise ValidationError(outside)
    return stored
