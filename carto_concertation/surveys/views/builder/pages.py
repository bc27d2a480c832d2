# SPDX-License-Identifier: AGPL-3.0-or-later
"""The organisers' list of questionnaires and a new one (``gestion/``), the import of a
JSON file (``gestion/importer/``), a questionnaire's download (``gestion/<slug>/
questionnaire.json``), and what those pages share."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from plui_documents.models import UrbanDocument

from ...models import Questionnaire
from ...selectors.builder import (
    concertations_of,
    questionnaires_organised_by,
    territories_organised_by,
)
from ...services.questionnaires import questionnaire_create
from ...services.transfer import MAX_BYTES, questionnaire_export, questionnaire_import
from .forms import CreateForm, ImportForm, errors_onto


def organised(request: HttpRequest, slug: str) -> Questionnaire:
    """The questionnaire for its organisers; 404 for an unknown slug, 403 for others."""
    questionnaire = get_object_or_404(Questionnaire.objects.select_related("territory"), slug=slug)
    if not request.user.has_perm("surveys.organise", questionnaire):
        raise PermissionDenied(
            _("Only the planners of the territory may build this questionnaire.")
        )
    return questionnaire


def _territories(request: HttpRequest):
    territories = territories_organised_by(request.user)
    if not territories.exists():
        raise PermissionDenied(_("Only the planners of a territory build questionnaires."))
    return territories


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage_home(request: HttpRequest) -> HttpResponse:
    """The questionnaires of the territories the organiser plans, and a form for a new one."""
    territories = _territories(request)
    form = CreateForm(
        request.POST or None,
        territories=territories,
        concertations=[s for t in territories for s in concertations_of(t)],
        documents=UrbanDocument.objects.filter(territory__in=territories).order_by("idurba"),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.settings()
            try:
                questionnaire = questionnaire_create(
                    territory=data.pop("territory"), user=request.user, **data
                )
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(request, _("The questionnaire is created: add its pages."))
                return redirect("surveys:manage-questionnaire", slug=questionnaire.slug)
        status = 400
    return render(
        request,
        "surveys/builder/home.html",
        {"questionnaires": questionnaires_organised_by(request.user), "form": form},
        status=status,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage_import(request: HttpRequest) -> HttpResponse:
    """A new draft questionnaire from a JSON file (exported here or on another instance)."""
    territories = _territories(request)
    form = ImportForm(request.POST or None, request.FILES or None, territories=territories)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                questionnaire = questionnaire_import(
                    form.cleaned_data["file"].read(MAX_BYTES + 1),
                    territory=form.cleaned_data["territory"],
                    user=request.user,
                )
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(request, _("The questionnaire is imported as a draft."))
                return redirect("surveys:manage-questionnaire", slug=questionnaire.slug)
        status = 400
    return render(request, "surveys/builder/import.html", {"form": form}, status=status)


@login_required
@require_GET
def manage_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The questionnaire as a JSON file, to import on another instance."""
    questionnaire = organised(request, slug)
    response = HttpResponse(
        questionnaire_export(questionnaire), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{questionnaire.slug}.json"'
    return response
