# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results' pages, in French and without JavaScript: the agents' page of an edition
(choose a rule and count, follow the job, compare the counts side by side, publish one)
and the public results (the method in plain words, and why each project won or lost)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from carto_concertation.core.jobs import job_state
from carto_concertation.core.models import Job
from carto_concertation.core.throttles import api_scope_rate

from ..models import Edition, ResultRun
from ..selectors.results import projects_by_pk, published_runs, result_runs, vote_closed
from ..services.results import results_compute, results_publish
from .results_text import (
    RULE_LABELS,
    SATISFACTION_LABELS,
    euros,
    method_text,
    run_projects,
)


class ComputeForm(forms.Form):
    # Left out, the edition's own settings (as the API).
    rule = forms.ChoiceField(
        label=_l("Counting rule"), choices=list(RULE_LABELS.items()), required=False
    )
    satisfaction = forms.ChoiceField(
        label=_l("Satisfaction (approval ballots, knapsack and Equal Shares)"),
        choices=list(SATISFACTION_LABELS.items()),
        required=False,
    )
    comparison = forms.BooleanField(
        label=_l("Equal Shares: compare with the greedy rule and keep the better"),
        required=False,
        label_suffix="",
    )


def _edition_run_by(request: HttpRequest, slug: str) -> Edition:
    edition = get_object_or_404(Edition, slug=slug)
    if not request.user.has_perm("budgets.run", edition):
        raise PermissionDenied(_("Only the planners of this edition's territory may do that."))
    return edition


def _run_view(run: ResultRun, projects: dict) -> dict:
    return {
        "run": run,
        "method": method_text(run),
        "rule": RULE_LABELS.get(run.rule, run.rule),
        "satisfaction": SATISFACTION_LABELS.get(run.satisfaction, run.satisfaction),
        "budget": euros(run.budget),
        "total_cost": euros(run.total_cost),
        "left": euros(run.budget - run.total_cost),
        "rows": [dict(row, cost_text=euros(row["cost"])) for row in run_projects(run, projects)],
    }


def _groups(edition: Edition) -> list[dict]:
    """The counts asked for, the latest first: each job's runs side by side."""
    projects = projects_by_pk(edition)
    groups: dict = {}
    for run in result_runs(edition):
        key = run.job_id or f"run-{run.pk}"
        group = groups.setdefault(key, {"job": run.job, "runs": []})
        group["runs"].append(_run_view(run, projects))
    for group in groups.values():
        job = group["job"]
        group["state"] = job_state(job) if job else None
        group["running"] = job is not None and job.status in (
            Job.Status.PENDING,
            Job.Status.RUNNING,
        )
        runs = [view["run"] for view in group["runs"]]
        group["first"] = runs[0]
        group["computed"] = all(run.computed_at for run in runs)
        group["published"] = all(run.is_published for run in runs)
        group["ids"] = [run.pk for run in runs]
    return list(groups.values())


@login_required
def results_manage_page(request: HttpRequest, slug: str) -> HttpResponse:
    edition = _edition_run_by(request, slug)
    form = ComputeForm(
        initial={
            "rule": edition.counting_rule,
            "satisfaction": edition.satisfaction,
            "comparison": edition.mes_comparison,
        }
    )
    return _manage(request, edition, form)


def _manage(request: HttpRequest, edition: Edition, form: ComputeForm, status: int = 200):
    groups = _groups(edition)
    running = [group for group in groups if group["running"]]
    return render(
        request,
        "budgets/results/manage.html",
        {
            "edition": edition,
            "form": form,
            "groups": groups,
            "running": bool(running),
            # For the page's module (budgets/results-manage.js): what to follow, where.
            "config": {
                "runsUrl": reverse("api:budget-result-runs", args=[edition.slug]),
                "jobs": [group["state"]["id"] for group in running],
            },
            "vote_closed": vote_closed(edition),
        },
        status=status,
    )


@login_required
@require_POST
@ratelimit(key="user", rate=api_scope_rate("budget_results"), method="POST", block=True)
def results_compute_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Count with the rule chosen, then back to the page, which shows the job."""
    edition = _edition_run_by(request, slug)
    form = ComputeForm(request.POST)
    if form.is_valid():
        try:
            results_compute(edition, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The count has started."))
            return redirect("budgets:results-manage", slug=edition.slug)
    return _manage(request, edition, form, status=400)


@login_required
@require_POST
@ratelimit(key="user", rate=api_scope_rate("budget_results"), method="POST", block=True)
def results_publish_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish the runs of one count (the form's ``runs``)."""
    edition = _edition_run_by(request, slug)
    ids = [value for value in request.POST.getlist("runs") if value.isdigit()]
    runs = list(ResultRun.objects.filter(pk__in=ids).select_related("district"))
    try:
        if not ids or len(runs) != len(set(ids)):
            raise ValidationError({"runs": _("Unknown result.")})
        results_publish(runs, user=request.user, edition=edition)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        form = ComputeForm(initial={"rule": edition.counting_rule})
        return _manage(request, edition, form, status=400)
    messages.success(request, _("The results are published."))
    return redirect("budgets:results-manage", slug=edition.slug)


def results_public_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The published results; before they are, a page that says so."""
    edition = get_object_or_404(Edition, slug=slug, is_published=True)
    projects = projects_by_pk(edition)
    runs = [_run_view(run, projects) for run in published_runs(edition)]
    return render(
        request,
        "budgets/results/public.html",
        {
            "edition": edition,
            "runs": runs,
            "method": runs[0]["method"] if runs else "",
            "can_run": request.user.has_perm("budgets.run", edition),
        },
    )
