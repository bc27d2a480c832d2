# SPDX-License-Identifier: AGPL-3.0-or-later
"""The dashboard's forms without JavaScript (POST, then back to the dashboard with its
confirmation kept on screen), and the published bilan that anyone may download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from carto_concertation.concertations.selectors import concertation_public_list
from carto_concertation.core.jobs import job_create
from carto_concertation.territories.selectors import module_on

from ..manifest import IDEAS
from ..models import AnswerTemplate
from . import answer_templates, bilan, idea_selectors, idea_services
from .idea_planning import planner_concertation
from .tasks import bilan_task


def _dashboard(slug: str) -> HttpResponse:
    """Back to the top of the dashboard, where the confirmation is (role=status)."""
    return redirect(reverse("concertation-dashboard", args=[slug]))


@login_required
@require_POST
def bulk_answer(request: HttpRequest, slug: str) -> HttpResponse:
    """The bulk answer's form, posted: the ticked ideas answered from one template."""
    concertation = planner_concertation(request, slug)
    template = AnswerTemplate.objects.filter(
        concertation=concertation, pk=request.POST.get("template") or 0
    ).first()
    ids = [int(value) for value in request.POST.getlist("ids") if value.isdigit()]
    if template is None:
        messages.error(request, _("Choose an answer template."))
    elif not ids:
        messages.error(request, _("Tick the contributions to answer."))
    else:
        try:
            answered = answer_templates.contribution_answer_bulk(
                concertation=concertation,
                user=request.user,
                template=template,
                contribution_ids=ids,
            )
        except ValidationError as exc:
            messages.error(request, " ".join([_("That did not work:"), *exc.messages]))
        else:
            messages.success(
                request,
                ngettext(
                    "Answered: %(count)s contribution.",
                    "Answered: %(count)s contributions.",
                    len(answered),
                )
                % {"count": len(answered)},
            )
    return _dashboard(slug)


@login_required
@require_POST
def bilan_start(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a bilan (the button without JavaScript): the job runs in the background;
    the dashboard lists it once it is ready."""
    concertation = planner_concertation(request, slug)
    job_create(
        kind=bilan.JOB_KIND,
        title=_("Bilan of %(concertation)s") % {"concertation": concertation.title},
        params={"concertation_id": concertation.pk, "language": "fr"},
        user=request.user,
        enqueue=bilan_task.delay,
    )
    messages.success(
        request,
        _("The bilan is being generated; reload this page in a minute to find it below."),
    )
    return _dashboard(slug)


@login_required
@require_POST
def bilan_publication(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish a generated bilan (``job``), or withdraw the publication (``unpublish``)."""
    concertation = planner_concertation(request, slug)
    if request.POST.get("action") == "unpublish":
        idea_services.bilan_unpublish(concertation=concertation, user=request.user)
        messages.success(request, _("The bilan is no longer published."))
        return _dashboard(slug)
    try:
        idea_services.bilan_publish(
            concertation=concertation, user=request.user, job_id=request.POST.get("job") or None
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if idea_selectors.bilan_phase_started(concertation):
            messages.success(request, _("The bilan is published on the concertation's page."))
        else:
            messages.success(
                request,
                _(
                    "The bilan is published: it shows on the concertation's page once its "
                    "“bilan” phase begins."
                ),
            )
    return _dashboard(slug)


@require_GET
def bilan_public_download(request: HttpRequest, slug: str, fmt: str) -> FileResponse:
    """The published bilan of a public concertation in its bilan phase, for everyone
    (Code de l'urbanisme art. L.103-6); any other bilan stays with the planners."""
    concertation = get_object_or_404(
        concertation_public_list().filter(module_on(IDEAS.name)), slug=slug
    )
    publication = idea_selectors.bilan_public(concertation)
    if publication is None or fmt not in bilan.FORMATS:
        raise Http404(_("No bilan is published for this concertation."))
    path = bilan.bilan_path(job_id=str(publication.job_id), fmt=fmt)
    if not path.exists():
        raise Http404(_("No bilan is published for this concertation."))
    return FileResponse(
        path.open("rb"),
        as_attachment=fmt == "pdf",
        filename=f"bilan-{concertation.slug}.{fmt}",
        content_type=bilan.FORMATS[fmt],
    )
