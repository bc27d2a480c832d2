# SPDX-License-Identifier: AGPL-3.0-or-later
"""The planner's page of an idea (/concertations/<slug>/idees/<pk>/traitement/): the
idea, its place on the zoning and the règlement, its supports, comments and history;
the answer (their own words; a template only fills the form), the service it is given
to and the internal notes. Forms that POST and redirect: it all works without
JavaScript (frontend/src/dashboard/idea.js draws the small map and fills the form)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from carto_concertation.concertations.models import Concertation
from carto_concertation.territories.selectors import module_on

from ..manifest import IDEAS
from ..models import AnswerTemplate, Contribution
from ..moderation import NEXT_STATUSES, contribution_answer
from . import answer_templates, idea_selectors, idea_services
from .permissions import is_planner_of


class AnswerForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status given"))
    answer = forms.CharField(
        label=gettext_lazy("Answer (public)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    answer_service = forms.CharField(
        label=gettext_lazy("Answering service (public)"), required=False, max_length=120
    )

    def __init__(self, *args, contribution: Contribution, **kwargs):
        super().__init__(*args, **kwargs)
        nexts = NEXT_STATUSES.get(contribution.status, set())
        self.fields["status"].choices = [
            (code, label) for code, label in AnswerTemplate.Status.choices if code in nexts
        ]


class ServiceForm(forms.Form):
    service = forms.CharField(
        label=gettext_lazy("Service in charge (internal)"), required=False, max_length=120
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Internal note (never public)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def planner_concertation(request: HttpRequest, slug: str) -> Concertation:
    """The concertation (drafts included) if the user plans it, or 403."""
    concertation = get_object_or_404(
        Concertation.objects.select_related("territory", "plui_document").filter(
            module_on(IDEAS.name)
        ),
        slug=slug,
    )
    if not is_planner_of(concertation=concertation, user=request.user):
        raise PermissionDenied(_("Only the planners of this territory may see this page."))
    return concertation


def _errors_into(form: forms.Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _template_initial(request: HttpRequest, concertation: Concertation) -> dict | None:
    """The answer form filled from the chosen template ("use this template", no JS)."""
    template = AnswerTemplate.objects.filter(
        concertation=concertation, pk=request.POST.get("template") or 0
    ).first()
    if template is None:
        return None
    return {"status": template.status, "answer": template.text, "answer_service": template.service}


@login_required
@require_http_methods(["GET", "POST"])
def idea_planning_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    concertation = planner_concertation(request, slug)
    contribution = idea_selectors.idea_for_planner(concertation=concertation, pk=pk)
    if contribution is None:
        raise Http404(_("No such idea in this concertation."))
    here = reverse("contribution-planning", args=[slug, pk])
    answer_form = AnswerForm(
        contribution=contribution,
        initial={
            "answer": contribution.answer,
            "answer_service": contribution.answer_service or contribution.assigned_service,
        },
    )
    service_form = ServiceForm(initial={"service": contribution.assigned_service})
    note_form = NoteForm()
    status = 200
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "template":
        initial = _template_initial(request, concertation)
        if initial is None:
            messages.error(request, _("Choose an answer template."))
        else:
            answer_form = AnswerForm(contribution=contribution, initial=initial)
    elif action == "answer":
        answer_form = AnswerForm(request.POST, contribution=contribution)
        if answer_form.is_valid():
            try:
                contribution_answer(
                    contribution=contribution, actor=request.user, **answer_form.cleaned_data
                )
            except ValidationError as exc:
                _errors_into(answer_form, exc)
            else:
                messages.success(request, _("The answer is recorded."))
                return redirect(here)
        status = 400
    elif action == "assign":
        service_form = ServiceForm(request.POST)
        if service_form.is_valid():
            idea_services.service_assign(
                contribution=contribution,
                user=request.user,
                service=service_form.cleaned_data["service"],
            )
            messages.success(request, _("The service in charge is recorded."))
            return redirect(here)
        status = 400
    elif action == "note":
        note_form = NoteForm(request.POST)
        if note_form.is_valid():
            try:
                idea_services.internal_note_add(
                    contribution=contribution, user=request.user, **note_form.cleaned_data
                )
            except ValidationError as exc:
                _errors_into(note_form, exc)
            else:
                messages.success(request, _("The note is recorded."))
                return redirect(here)
        status = 400
    elif request.method == "POST":
        status = 400
    geometry = contribution.geom_wgs84
    config = {
        "styleUrl": reverse("map-style", args=[slug]),
        "geometry": geometry.json,
        "zones": idea_selectors.idea_zones_geojson(contribution),
        "bounds": [round(value, 6) for value in geometry.extent],
        "mapLabel": _("Place of the idea on the zoning"),
    }
    templates = answer_templates.answer_template_list(concertation=concertation)
    return render(
        request,
        "contributions/planning/idea.html",
        {
            "concertation": concertation,
            "idea": contribution,
            "zones": idea_selectors.idea_zones(contribution),
            "comments": idea_selectors.idea_comments(contribution),
            "history": idea_selectors.idea_history(contribution),
            "notes": idea_selectors.idea_notes(contribution),
            "templates": templates,
            "answer_form": answer_form,
            "service_form": service_form,
            "note_form": note_form,
            "answerable": bool(NEXT_STATUSES.get(contribution.status)),
            "config": config,
        },
        status=status,
    )
