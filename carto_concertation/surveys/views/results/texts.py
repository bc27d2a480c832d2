# SPDX-License-Identifier: AGPL-3.0-or-later
"""The moderators' page of a questionnaire's free texts: the texts of text questions and
"other" answers and the markers' comments, by question; publish or hide the ones ticked,
or every waiting one of a question."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from carto_concertation.core.throttles import page_throttled

from ...models import Questionnaire
from ...models.responses import TextModeration
from ...selectors.results import question_by_code, staff_questionnaire, texts_to_moderate
from ...services.results import DECISIONS, texts_moderate, texts_moderate_question


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        label=_l("Decision"), choices=[(d.value, d.label) for d in DECISIONS]
    )
    # A question's code: every text of it still waiting; else the texts ticked.
    question = forms.SlugField(required=False)
    answers = forms.TypedMultipleChoiceField(coerce=int, required=False)
    features = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args, groups: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for name, kind in (("answers", "answer"), ("features", "feature")):
            self.fields[name].choices = [
                (text["id"], text["id"])
                for group in groups
                for text in group["texts"]
                if text["kind"] == kind
            ]


def _moderated(request: HttpRequest, slug: str) -> Questionnaire:
    questionnaire = staff_questionnaire(slug, request.user, "moderate")
    if questionnaire is None:
        raise Http404
    return questionnaire


def _status(request: HttpRequest) -> str | None:
    status = request.GET.get("statut")
    return status if status in TextModeration.values else None


def _page(request, questionnaire, form, groups, status: int = 200) -> HttpResponse:
    return render(
        request,
        "surveys/results/texts.html",
        {
            "questionnaire": questionnaire,
            "groups": groups,
            "form": form,
            "status": _status(request),
            "statuses": TextModeration.choices,
            "pending": TextModeration.PENDING,
        },
        status=status,
    )


@login_required
def texts_page(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = _moderated(request, slug)
    groups = texts_to_moderate(questionnaire, status=_status(request))
    return _page(request, questionnaire, ModerateForm(groups=groups), groups)


@login_required
@require_POST
def texts_moderate_page(request: HttpRequest, slug: str) -> HttpResponse:
    questionnaire = _moderated(request, slug)
    if refused := page_throttled(request, "moderation"):
        return refused
    groups = texts_to_moderate(questionnaire)
    form = ModerateForm(request.POST, groups=groups)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["question"]:
                question = question_by_code(questionnaire, data["question"])
                if question is None:
                    raise ValidationError({"question": _("No question has this code.")})
                count = texts_moderate_question(
                    question, user=request.user, decision=data["decision"]
                )
            else:
                count = texts_moderate(
                    questionnaire,
                    user=request.user,
                    decision=data["decision"],
                    answers=data["answers"],
                    features=data["features"],
                )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Texts moderated: %(count)s.") % {"count": count})
            return redirect("surveys:results-texts", slug=questionnaire.slug)
    return _page(request, questionnaire, form, groups, status=400)
