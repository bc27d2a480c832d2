# SPDX-License-Identifier: AGPL-3.0-or-later
"""The agents' pages for running editions: their editions and a new one (``gestion/``),
an edition's settings, calendar, districts and publication (``gestion/<slug>/``), the
analysis of its projects (``gestion/<slug>/analyse/``). Plain forms that POST back to
their page (no JavaScript needed); a refused form comes back with its errors (400).
Only the planners of the edition's territory (and administrators) reach them: 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ..models import Edition, Project
from ..selectors.editions import analysis_queue, editions_run_by, territories_run_by
from ..services.analysis import edition_ballot_open, project_decide, projects_merge
from ..services.editions import (
    district_envelopes_set,
    districts_from_communes,
    districts_import,
    edition_create,
    edition_phases_set,
    edition_publish,
    edition_update,
    vote_opened,
)
from .editions_forms import (
    DecideForm,
    DistrictsUploadForm,
    EditionCreateForm,
    EditionSettingsForm,
    EnvelopesForm,
    MergeForm,
    PhasesForm,
    errors_onto,
)


def _run(request: HttpRequest, slug: str) -> Edition:
    edition = get_object_or_404(Edition.objects.select_related("territory"), slug=slug)
    if not request.user.has_perm("budgets.run", edition):
        raise PermissionDenied(_("Only the planners of the territory may run this edition."))
    return edition


def _refusal_shown(request: HttpRequest, form, error: ValidationError) -> None:
    """A service's refusal under the fields of the form sent, else above the page."""
    if form is not None:
        errors_onto(form, error)
    else:
        messages.error(request, " ".join(m for ms in error.message_dict.values() for m in ms))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage_home(request: HttpRequest) -> HttpResponse:
    """The editions of the territories the agent runs, and a form for a new one."""
    territories = territories_run_by(request.user)
    if not territories.exists():
        raise PermissionDenied(_("Only the planners of a territory run participatory budgets."))
    form = EditionCreateForm(request.POST or None, territories=territories)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                edition = edition_create(territory=data.pop("territory"), user=request.user, **data)
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(request, _("The edition is created: set it up below."))
                return redirect("budgets:manage-edition", slug=edition.slug)
        status = 400
    return render(
        request,
        "budgets/editions/home.html",
        {"editions": editions_run_by(request.user), "form": form},
        status=status,
    )


def _settings_forms(edition: Edition, posted: str | None, request: HttpRequest) -> dict:
    """Every form of the page, the posted one bound to the request."""
    data = request.POST if request.method == "POST" else None

    def bound(name):
        return data if posted == name else None

    return {
        "settings_form": EditionSettingsForm(
            bound("settings"), instance=Edition.objects.get(pk=edition.pk)
        ),
        "phases_form": PhasesForm(bound("phases"), initial=PhasesForm.initial_of(edition)),
        "upload_form": DistrictsUploadForm(
            bound("upload"), request.FILES if posted == "upload" else None
        ),
        "envelopes_form": EnvelopesForm(bound("envelopes"), edition=edition),
    }


def _settings_action(request: HttpRequest, edition: Edition, action: str, forms: dict) -> bool:
    """Carry out the posted action; False when refused (the errors are on its form)."""
    user = request.user
    form = forms.get(f"{action}_form")
    if form is not None and not form.is_valid():
        return False
    try:
        if action == "settings":
            edition_update(edition, user=user, **form.cleaned_data)
        elif action == "phases":
            edition_phases_set(edition, form.phases(), user=user)
        elif action == "upload":
            data = form.cleaned_data
            rows = districts_import(edition, data["file"], data["name_field"], user=user)
            messages.success(
                request,
                ngettext("%(count)s district imported.", "%(count)s districts imported.", len(rows))
                % {"count": len(rows)},
            )
        elif action == "envelopes":
            district_envelopes_set(edition, form.envelopes(), user=user)
        elif action == "communes":
            districts_from_communes(edition, user=user)
        elif action == "publish":
            edition_publish(edition, user=user)
        else:
            messages.error(request, pgettext("budgets editions", "Unknown action."))
            return False
    except ValidationError as error:
        _refusal_shown(request, form, error)
        return False
    return True


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage_edition(request: HttpRequest, slug: str) -> HttpResponse:
    """An edition's settings, calendar, districts (file or communes) and publication."""
    edition = _run(request, slug)
    action = request.POST.get("action") if request.method == "POST" else None
    forms = _settings_forms(edition, action, request)
    if action is not None:
        if _settings_action(request, edition, action, forms):
            messages.success(request, pgettext("budgets editions", "Saved."))
            return redirect("budgets:manage-edition", slug=edition.slug)
        edition.refresh_from_db()
    return render(
        request,
        "budgets/editions/edition.html",
        {
            "edition": edition,
            "districts": edition.districts.order_by("name"),
            "phases": edition.phases.order_by("starts_at"),
            "vote_opened": vote_opened(edition),
            **forms,
        },
        status=400 if action is not None else 200,
    )


def _analysis_action(request: HttpRequest, edition: Edition, action: str, forms: dict) -> bool:
    user = request.user
    try:
        if action == "decide":
            form = forms["decide_form"]
            if not form.is_valid():
                return False
            data = form.cleaned_data
            project = get_object_or_404(Project, edition=edition, number=data["number"])
            project_decide(
                project,
                user=user,
                admissible=data["admissible"],
                reason=data["reason"],
                revised_cost=data["revised_cost"],
            )
        elif action == "merge":
            form = forms["merge_form"]
            if not form.is_valid():
                return False
            data = form.cleaned_data
            projects_merge(
                keep=data["keep"], merged=list(data["merged"]), user=user, reason=data["reason"]
            )
        elif action == "ballot":
            count = edition_ballot_open(edition, user=user)
            messages.success(
                request,
                ngettext(
                    "%(count)s project put to the vote.",
                    "%(count)s projects put to the vote.",
                    count,
                )
                % {"count": count},
            )
        else:
            messages.error(request, pgettext("budgets editions", "Unknown action."))
            return False
    except ValidationError as error:
        _refusal_shown(request, forms.get(f"{action}_form"), error)
        return False
    return True


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def manage_analysis(request: HttpRequest, slug: str) -> HttpResponse:
    """The projects to analyse: a decision form each, a merge form, the vote's opening."""
    edition = _run(request, slug)
    action = request.POST.get("action") if request.method == "POST" else None
    data = request.POST if action else None
    forms = {
        "decide_form": DecideForm(data if action == "decide" else None),
        "merge_form": MergeForm(data if action == "merge" else None, edition=edition),
    }
    if action is not None and _analysis_action(request, edition, action, forms):
        messages.success(request, pgettext("budgets editions", "Saved."))
        return redirect("budgets:manage-analysis", slug=edition.slug)
    # The decision form refused comes back filled in, under its project.
    posted = forms["decide_form"].data.get("number", "") if action == "decide" else ""
    failed_number = int(posted) if posted.isdigit() else None
    return render(
        request,
        "budgets/editions/analysis.html",
        {
            "edition": edition,
            "projects": analysis_queue(edition),
            "failed_number": failed_number,
            "admissible_count": edition.projects.filter(status=Project.Status.ADMISSIBLE).count(),
            **forms,
        },
        status=400 if action is not None else 200,
    )
