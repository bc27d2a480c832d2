# SPDX-License-Identifier: AGPL-3.0-or-later
"""The organisers' exports page of a questionnaire (``gestion/<slug>/exports/``): what
the files hold and a plain link per format (no JavaScript needed) to the API's
downloads. The territory's planners and the administrators only: 403 for others."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ..api.exports import questionnaire_organised
from ..selectors.exports import export_layer_names, export_map_questions, export_submitted_count


@login_required
@never_cache
@require_GET
def exports_page(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = questionnaire_organised(slug=slug, user=request.user)
    questions = export_map_questions(questionnaire)
    context = {
        "questionnaire": questionnaire,
        "submitted": export_submitted_count(questionnaire),
        # The GeoPackage's layers: (name, map question).
        "layers": list(zip(export_layer_names(questions), questions, strict=True)),
    }
    return render(request, "surveys/exports/page.html", context)
