# SPDX-License-Identifier: AGPL-3.0-or-later
"""``{% published_bilan concertation %}``: the link to the published bilan on the
concertation's page, once its "bilan" phase has begun (Code de l'urbanisme art.
L.103-6); nothing otherwise."""

from django import template

from carto_concertation.concertations.models import Concertation

from ..planning.idea_selectors import bilan_public

register = template.Library()


@register.inclusion_tag("contributions/planning/published_bilan.html")
def published_bilan(concertation: Concertation) -> dict:
    return {"concertation": concertation, "publication": bilan_public(concertation)}
