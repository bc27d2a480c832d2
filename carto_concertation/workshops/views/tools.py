# SPDX-License-Identifier: AGPL-3.0-or-later
"""A workshop's tools, from its page and without JavaScript: the paper-map import and its
line-by-line report, the A3 sheet and the offline map package (background jobs: a POST
starts one and leads to its page, which shows its progress and then its download)."""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from carto_concertation.core.jobs import job_state
from carto_concertation.core.models import Job
from carto_concertation.core.throttles import api_scope_rate

from .. import services
from ..forms import PaperImportForm, PrintForm
from ..paper import paper_rows
from ..selectors import workshop_job_get
from .pages import JOB_KINDS, workshop_for

# The columns and fields a refusal names (paper.COLUMNS, the capture's checks), in words.
FIELD_LABELS = {
    "title": _l("title"),
    "text": _l("text"),
    "theme": _l("theme"),
    "lon": _l("longitude"),
    "lat": _l("latitude"),
    "wkt": _l("geometry (WKT)"),
    "geometry": _l("geometry"),
    "feature": _l("feature"),
    "row": _l("whole line"),
    "workshop": _l("workshop"),
}


def _report_lines(report) -> list[dict]:
    return [
        {
            "line": line,
            "errors": [
                (FIELD_LABELS.get(error["field"], error["field"]), error["reason"])
                for error in line.errors
            ],
        }
        for line in report.lines
    ]


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=api_scope_rate("workshop"), method="POST", block=True)
def workshop_paper_import_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a paper-map file; all or nothing, as the API: the report says which lines
    became ideas, or which were refused and why (and then nothing was imported)."""
    workshop = workshop_for(request, pk)
    form = PaperImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            rows, digest = paper_rows(
                upload=form.cleaned_data["file"], concertation=workshop.concertation
            )
            report = services.workshop_paper_import(
                workshop=workshop, user=request.user, rows=rows, source=digest
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
    refused = (form.is_bound and bool(form.errors)) or bool(report and report.errors)
    return render(
        request,
        "workshops/paper_import.html",
        {
            "workshop": workshop,
            "form": form,
            "report": report,
            "lines": _report_lines(report) if report else [],
        },
        status=400 if refused else 200,
    )


@login_required
@require_POST
@ratelimit(key="user", rate=api_scope_rate("workshop"), method="POST", block=True)
def workshop_print_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the A3 sheet and go to its page."""
    workshop = workshop_for(request, pk)
    form = PrintForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose PDF or PNG."), status=400, content_type="text/plain")
    job = services.workshop_print_start(
        workshop=workshop,
        user=request.user,
        fmt=form.cleaned_data["format"],
        language=translation.get_language(),
    )
    return redirect("workshops:workshop-job", pk=workshop.pk, job=job.pk)


@login_required
@require_POST
@ratelimit(
    key="user",
    group="offline_package",
    rate=api_scope_rate("offline_package"),
    method="POST",
    block=True,
)
def workshop_offline_package_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the offline map package of the workshop's concertation and go to its page."""
    workshop = workshop_for(request, pk)
    job = services.workshop_offline_package_start(workshop=workshop, user=request.user)
    return redirect("workshops:workshop-job", pk=workshop.pk, job=job.pk)


def _download_url(job: Job) -> str | None:
    if job.status != Job.Status.SUCCEEDED:
        return None
    if job.kind == services.PRINT_JOB:
        return reverse("api:workshop-print-map-download", args=[job.pk])
    return reverse("api:offline-download", args=[job.pk])


@login_required
def workshop_job_page(request: HttpRequest, pk: int, job: uuid.UUID) -> HttpResponse:
    """Where a sheet or a package stands; its download once ready. The page module
    follows the job and reloads the page when it ends; without JavaScript, a link
    reloads it."""
    workshop = workshop_for(request, pk)
    found = workshop_job_get(workshop=workshop, user=request.user, job_id=job, kinds=JOB_KINDS)
    if found is None:
        raise Http404
    state = job_state(found)
    running = found.status in (Job.Status.PENDING, Job.Status.RUNNING)
    return render(
        request,
        "workshops/job.html",
        {
            "workshop": workshop,
            "job": found,
            "state": state,
            "running": running,
            "is_print": found.kind == services.PRINT_JOB,
            "download_url": _download_url(found),
            "config": {"jobUrl": reverse("api:job-detail", args=[found.pk])},
        },
    )
