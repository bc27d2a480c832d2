# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding portal's open dataset: every property of a project that may leave the
server. The tiles, the GeoJSON API and the exports pick theirs here. The porteur is public
by its name (an association, a business, the collectivité); the account that submitted
the project is not declared, so no public surface can publish it. No contributor is
held at all: only the totals the platform gives.

Its features (opendata: OGC API, the open files) are the portal's projects as its map,
its GeoJSON API and its ``crowdfunding-portail`` tiles give them (``MAP_STATUSES``: every
project the collectivité accepted; a refused one keeps its page with the reason, but, as
on the map, no place in the open data), each shaped by the portal's GeoJSON API
serializer, photos as absolute addresses."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import (
    SITE_WIDE,
    DatasetDeclaration,
    FeatureSource,
    PublicField,
)

from .selectors.portal import MAP_STATUSES, projects_public

# The projects' tilesets (tiles.py): the site's portal (``crowdfunding-portail``, the
# site-wide tileset), a territory's, a space's.
TILESET_PREFIX = "crowdfunding-"

INTEGER, NUMBER, BOOLEAN, ARRAY, DATE = "integer", "number", "boolean", "array", "date"


def projects_open() -> QuerySet:
    """The portal's projects on the map where the module is on; no submitter selected."""
    return projects_public().filter(status__in=MAP_STATUSES).defer("geom_3857")


@dataclass(frozen=True)
class _Addresses:
    """What the API serializer asks of its request: an absolute address."""

    base_url: str

    def build_absolute_uri(self, location: str) -> str:
        return location if "://" in location else self.base_url + location


def project_properties(rows: Sequence, base_url: str) -> list[dict]:
    """Each project's properties as the portal's GeoJSON API gives them (its slug is the
    API feature's id: here it is a property)."""
    from .api.portal import CrowdfundingProjectSerializer  # the API imports this module

    shaped = CrowdfundingProjectSerializer(
        rows, many=True, context={"request": _Addresses(base_url)}
    ).data
    return [{"slug": feature["id"], **feature["properties"]} for feature in shaped["features"]]


PROJECTS = DatasetDeclaration(
    name="crowdfunding",
    title=_("Crowdfunding projects"),
    description=_(
        "The located projects of the territory funded by its residents through a regulated"
        " crowdfunding platform: who carries them, their modality (donation, loan,"
        " investment), their goal, the amount raised and the number of contributors, the"
        " dates of their campaign and where they stand."
    ),
    geometry_type="Geometry",
    fields=(
        PublicField("slug", _("identifier (slug)")),
        PublicField("title", _("title")),
        PublicField("summary", _("summary")),
        PublicField("theme", _("theme (its code)")),
        PublicField("theme_label", _("theme")),
        PublicField("commune", _("commune")),
        PublicField("commune_insee", _("commune (its INSEE code)")),
        PublicField("porteur_kind", _("kind of porteur (its code)")),
        PublicField("porteur_name", _("porteur")),
        PublicField("modality", _("modality (its code)")),
        PublicField("modality_label", _("modality")),
        PublicField("interest_rate", _("interest rate (% a year)"), NUMBER),
        PublicField("loan_months", _("length of the loan (months)"), INTEGER),
        PublicField("goal", _("goal (euros)"), INTEGER),
        PublicField("total_budget", _("whole budget (euros)"), INTEGER),
        PublicField("goal_share", _("share of the whole budget (%)"), INTEGER),
        PublicField("raised", _("amount raised (euros)"), INTEGER),
        PublicField("contributors", _("contributors"), INTEGER),
        PublicField("progress", _("share of the goal raised (%)"), INTEGER),
        PublicField("campaign_starts_on", _("campaign starts on"), "string", DATE),
        PublicField("campaign_ends_on", _("campaign ends on"), "string", DATE),
        PublicField("platform", _("platform")),
        PublicField("campaign_url", _("link to the campaign")),
        PublicField("supported", _("“supported by” the local authority"), BOOLEAN),
        PublicField("cofunding", _("co-funding by the local authority (euros)"), INTEGER),
        PublicField("status", _("status (its code)")),
        PublicField("status_label", _("status")),
        PublicField("refusal_reason", _("reason of the refusal")),
        PublicField("photos", _("photos (their addresses)"), ARRAY),
    ),
    features=FeatureSource(
        rows=projects_open, properties=project_properties, moment="campaign_starts_on"
    ),
    # The site's portal map: every territory's projects on the map.
    tileset=f"{TILESET_PREFIX}{SITE_WIDE}",
    keywords=("financement participatif", "crowdfunding", "projets locaux", "économie locale"),
)
