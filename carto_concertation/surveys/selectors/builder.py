# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the organisers' pages and API read: the territories a person builds on, their
questionnaires, and a questionnaire's PLU/PLUi and concertations to choose from."""

from django.db.models import Count, QuerySet

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import territories_for_role
from carto_concertation.core.modules import space_public, space_slugs_in_territory
from carto_concertation.core.modules.declarations import MapSpace
from carto_concertation.territories.models import Territory
from plui_documents.models import UrbanDocument

from ..models import Questionnaire


def territories_organised_by(user) -> QuerySet[Territory]:
    """Where the person may build questionnaires: the territories they plan (all: an admin)."""
    return territories_for_role(user=user, role=Role.PLANNER).order_by("name")


def questionnaires_organised_by(user) -> QuerySet[Questionnaire]:
    """The questionnaires of those territories, newest first, with their response count."""
    return (
        Questionnaire.objects.filter(territory__in=territories_organised_by(user))
        .select_related("territory")
        .annotate(response_count=Count("responses"))
        .order_by("-opens_at", "title")
    )


def zoning_documents_of(territory: Territory) -> QuerySet[UrbanDocument]:
    """The PLU/PLUi a questionnaire of the territory may use for its zones."""
    return territory.urban_documents.order_by("idurba")


def concertations_of(territory: Territory) -> list[MapSpace]:
    """The territory's public concertations a questionnaire may belong to."""
    spaces = (space_public(slug) for slug in space_slugs_in_territory(territory.pk))
    return [space for space in spaces if space is not None]
