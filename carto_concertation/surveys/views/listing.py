# SPDX-License-Identifier: AGPL-3.0-or-later
"""The public list of questionnaires (/consultations/): open, upcoming and closed, each
with its dates, who may answer and its links; ``?concertation=<slug>`` keeps a space's."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from carto_concertation.core.modules import space_public

from ..selectors.listing import questionnaires_listed


@require_GET
def questionnaire_list(request: HttpRequest) -> HttpResponse:
    space = None
    slug = request.GET.get("concertation")
    if slug is not None:
        space = space_public(slug)
        if space is None:
            raise Http404
    listing = questionnaires_listed(concertation_id=space.pk if space else None)
    return render(request, "surveys/listing/list.html", {"listing": listing, "space": space})
