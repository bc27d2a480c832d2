# SPDX-License-Identifier: AGPL-3.0-or-later
"""A relay's workshops and the form to plan one, a workshop's own page (its tools) and
its summary for the mayor."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import communes_for_relay, territories_for_role
from carto_concertation.concertations.models import Concertation
from carto_concertation.core.throttles import api_scope_rate
from carto_concertation.territories.models import Commune
from carto_concertation.territories.selectors import module_on

from .. import services
from ..forms import PaperImportForm, PrintForm, WorkshopForm
from ..manifest import WORKSHOPS
from ..models import Workshop
from ..permissions import workshop_of_runner, workshop_runner_check
from ..selectors import (
    capture_counts,
    workshop_jobs_for,
    workshop_list_for,
    workshop_participant_count,
    workshop_print_data,
    workshop_summary_ideas,
)
from ..summary import summary_map, summary_tolerance

JOB_KINDS = {"print": services.PRINT_JOB, "offline": services.OFFLINE_JOB}


def _form_choices(user) -> dict:
    relay_communes = communes_for_relay(user=user)
    planned = territories_for_role(user=user, role=Role.PLANNER)
    communes = Commune.objects.filter(pk__in=relay_communes) | Commune.objects.filter(
        territory__in=planned
    )
    concertations = Concertation.objects.filter(
        status__in=(Concertation.Status.OPEN, Concertation.Status.CLOSED),
        territory__in=communes.values("territory"),
    ).filter(module_on(WORKSHOPS.name))
    return {"concertations": concertations.order_by("title"), "communes": communes.order_by("name")}


def _only_choices(choices: dict) -> dict:
    """The only concertation (and the only commune) the person may choose, chosen."""
    initial = {}
    for name, field in (("concertations", "concertation"), ("communes", "commune")):
        first_two = list(choices[name][:2])
        if len(first_two) == 1:
            initial[field] = first_two[0].pk
    return initial


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=api_scope_rate("workshop"), method="POST", block=True)
def workshop_list_page(request: HttpRequest) -> HttpResponse:
    workshop_runner_check(user=request.user)
    choices = _form_choices(request.user)
    form = WorkshopForm(request.POST or None, initial=_only_choices(choices), **choices)
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.workshop_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("workshops:workshop-detail", pk=workshop.pk)
    return render(
        request,
        "workshops/list.html",
        {"workshops": workshop_list_for(user=request.user), "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def workshop_for(request: HttpRequest, pk: int) -> Workshop:
    """A workshop of the person's communes (or territory): 403 for who runs none, 404
    for another commune's."""
    return workshop_of_runner(user=request.user, pk=pk)


@login_required
def workshop_page(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = workshop_for(request, pk)
    return render(
        request,
        "workshops/workshop.html",
        {
            "workshop": workshop,
            "counts": capture_counts(workshop=workshop),
            "paper_form": PaperImportForm(),
            "print_form": PrintForm(),
            "may_take_offline": request.user.has_perm(
                "tiles.take_offline", workshop.concertation.territory
            ),
            "jobs": workshop_jobs_for(workshop=workshop, user=request.user, kinds=JOB_KINDS),
        },
    )


@login_required
def workshop_summary_page(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = workshop_for(request, pk)
    ideas = workshop_summary_ideas(workshop=workshop)
    named, unnamed = workshop_participant_count(workshop=workshop)
    return render(
        request,
        "workshops/summary.html",
        {
            "workshop": workshop,
            "ideas": ideas,
            "map": summary_map(
                commune=workshop.commune.geom,
                ideas=ideas,
                zones=[
                    (typezone, geom)
                    for typezone, _label, geom in workshop_print_data(
                        workshop=workshop, tolerance_m=summary_tolerance(workshop.commune.geom)
                    ).zones
                ],
            ),
            "participants": named,
            "unnamed": unnamed,
        },
    )
