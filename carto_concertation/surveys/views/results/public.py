# SPDX-License-Identifier: AGPL-3.0-or-later
"""The public results of a questionnaire (once published; its organisers see them
before, as a preview) and each question's chart as an SVG download."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from ...charts import question_chart
from ...selectors.results import (
    question_by_code,
    question_result,
    questionnaire_results,
    results_questionnaire,
)
from .display import map_config, question_view


def results_page(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = results_questionnaire(slug, request.user)
    if questionnaire is None:
        raise Http404(_("No published results here."))
    results = questionnaire_results(questionnaire)
    return render(
        request,
        "surveys/results/public.html",
        {
            "questionnaire": questionnaire,
            "results": results,
            "map_config": map_config(request, questionnaire),
            "questions": [
                question_view(result, questionnaire, full=False) for result in results["questions"]
            ],
            "can_organise": request.user.has_perm("surveys.organise", questionnaire),
        },
    )


def results_chart(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """One question's bar chart, an SVG file to download (the same as on the page)."""
    questionnaire = results_questionnaire(slug, request.user)
    question = question_by_code(questionnaire, code) if questionnaire else None
    if question is None:
        raise Http404
    response = HttpResponse(
        question_chart(question_result(question)), content_type="image/svg+xml; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{questionnaire.slug}-{code}.svg"'
    return response
