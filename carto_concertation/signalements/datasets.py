# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' open dataset: every property of a report that may leave the server.

The tiles (tiles.py), the API, Open311 and the exports pick their properties from here;
a name not declared below is refused when the module loads. The reporter (account or
e-mail address), the acting agents, the Open311 application and the token are not here,
so no public surface can publish them.

Its features (opendata: OGC API, the open files) are the reports Open311 and the public
API list (``selectors.reports_public``, where the module is on), duplicates included.
"""

from collections.abc import Sequence

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import (
    SITE_WIDE,
    DatasetDeclaration,
    FeatureSource,
    PublicField,
    published_moment,
)
from carto_concertation.signalements import MODULE
from carto_concertation.territories.selectors import module_on

from .models import Report
from .selectors import reports_public

INTEGER, ARRAY, DATE_TIME = "integer", "array", "date-time"
# The reports' tilesets: ``signalements-<space slug>``, and the site-wide one (tiles.py).
TILESET_PREFIX = "signalements-"


def reports_open() -> QuerySet[Report]:
    """The reports of the open data: those anyone may read, where the module is on."""
    return (
        reports_public()
        .filter(module_on(MODULE))
        .select_related("category__parent", "commune", "service")
        .prefetch_related("photos")
        .annotate(follower_count=Count("followers", distinct=True))
        .defer("geom", "geom_3857", "email", "author", "token", "api_client", "answers")
    )


def report_properties(rows: Sequence[Report], base_url: str) -> list[dict]:
    """Each report's open properties: what Open311 publishes of it, never its reporter."""
    return [
        {
            "id": report.pk,
            "category": report.category.code,
            "category_name": report.category.name,
            "parent_category": report.category.parent.code if report.category.parent else None,
            "state": report.state,
            "state_reason": report.state_reason or None,
            "duplicate_of": report.duplicate_of_id,
            "commune_insee": report.commune.insee if report.commune else None,
            "commune_name": report.commune.name if report.commune else None,
            "address": report.address or None,
            "description": report.description,
            "photos": [
                base_url + reverse("api:signalements-photo", kwargs={"pk": photo.pk})
                for photo in report.photos.all()
            ],
            "service": report.service.name if report.service else None,
            "followers": report.follower_count,
            "created_at": published_moment(report.created_at),
            "updated_at": published_moment(report.updated_at),
            "acknowledged_at": published_moment(report.acknowledged_at),
            "fixed_at": published_moment(report.fixed_at),
        }
        for report in rows
    ]


REPORTS = DatasetDeclaration(
    name="signalements",
    title=_("Reports about public space"),
    description=_(
        "Problems residents reported on the public space (a pothole, a broken street light,"
        " an illegal dump…), with their category, their place, the service in charge and"
        " where they stand."
    ),
    geometry_type="Point",
    fields=(
        PublicField("id", _("number"), INTEGER),
        PublicField("category", _("category (its code)")),
        PublicField("category_name", _("category")),
        PublicField("parent_category", _("parent category (its code)")),
        PublicField("state", _("state")),
        PublicField("state_reason", _("reason of the state")),
        PublicField("duplicate_of", _("duplicate of (its number)"), INTEGER),
        PublicField("commune_insee", _("commune (INSEE code)")),
        PublicField("commune_name", _("commune")),
        PublicField("address", _("address")),
        PublicField("description", _("description")),
        PublicField("photos", _("photos"), ARRAY),
        PublicField("service", _("service in charge")),
        PublicField("followers", _("people following it"), INTEGER),
        PublicField("created_at", _("filed at"), "string", DATE_TIME),
        PublicField("created", _("day it was filed"), "string", "date"),
        PublicField("updated_at", _("updated at"), "string", DATE_TIME),
        PublicField("acknowledged_at", _("taken into account at"), "string", DATE_TIME),
        PublicField("fixed_at", _("fixed at"), "string", DATE_TIME),
    ),
    tileset=f"{TILESET_PREFIX}{SITE_WIDE}",
    features=FeatureSource(rows=reports_open, properties=report_properties, moment="created_at"),
    keywords=("signalements", "espace public", "voirie", "Open311"),
)
