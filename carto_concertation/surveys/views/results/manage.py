# SPDX-License-Identifier: AGPL-3.0-or-later
"""The organisers' results page: every figure, every marker on the maps, the
cross-tabulation of two choice questions (a GET form), and the publication of the results
with the collective answer (a POST form)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from ...models import Questionnaire
from ...selectors.questionnaires import questionnaire_questions
from ...selectors.results import (
    CROSSTAB_KINDS,
    crosstab,
    question_by_code,
    questionnaire_results,
    staff_questionnaire,
)
from ...services.results import results_publish, results_unpublish
from .display import map_config, question_view


class PublishForm(forms.Form):
    summary = forms.CharField(
        label=_l("Collective answer"),
        help_text=_l("Shown above the public results: what the organisers take from them."),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        required=False,
    )


class CrosstabForm(forms.Form):
    rows = forms.ChoiceField(label=_l("Rows"))
    columns = forms.ChoiceField(label=_l("Columns"))

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (question.code, question.label)
            for question in questionnaire_questions(questionnaire)
            if question.kind in CROSSTAB_KINDS
        ]
        self.fields["rows"].choices = self.fields["columns"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("rows") and data.get("rows") == data.get("columns"):
            self.add_error("columns", _("Choose two different questions."))
        return data


def _organised(request: HttpRequest, slug: str) -> Questionnaire:
    questionnaire = staff_questionnaire(slug, request.user, "organise")
    if questionnaire is None:
        raise Http404
    return questionnaire


def _page(request, questionnaire: Questionnaire, form: PublishForm, status: int = 200):
    results = questionnaire_results(questionnaire)
    table = None
    cross = CrosstabForm(request.GET or None, questionnaire=questionnaire)
    if cross.is_bound and cross.is_valid():
        table = crosstab(
            question_by_code(questionnaire, cross.cleaned_data["rows"]),
            question_by_code(questionnaire, cross.cleaned_data["columns"]),
        )
    return render(
        request,
        "surveys/results/manage.html",
        {
            "questionnaire": questionnaire,
            "results": results,
            "map_config": map_config(request, questionnaire),
            "questions": [
                question_view(result, questionnaire, full=True) for result in results["questions"]
            ],
            "form": form,
            "cross": cross,
            "crosstab": table,
            "can_cross": len(cross.fields["rows"].choices) >= 2,
        },
        status=status,
    )


@login_required
def results_manage_page(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = _organised(request, slug)
    form = PublishForm(initial={"summary": questionnaire.results_summary})
    return _page(request, questionnaire, form)


@login_required
@require_POST
def results_publish_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish (with the collective answer) or take back (``unpublish``) the results."""
    questionnaire = _organised(request, slug)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            if "unpublish" in request.POST:
                results_unpublish(questionnaire, user=request.user)
                messages.success(request, _("The results are no longer public."))
            else:
                results_publish(
                    questionnaire, user=request.user, summary=form.cleaned_data["summary"]
                )
                messages.success(request, _("The results are published."))
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("surveys:results-manage", slug=questionnaire.slug)
    return _page(request, questionnaire, form, status=400)
