# SPDX-License-Identifier: AGPL-3.0-or-later
"""The agents' pages: the queue of the territories' projects (``gestion/``, those waiting
for a decision first) and a project's page (``gestion/<slug>/``): accept it, refuse it
with a public reason, set the collectivité's support, change its fields. Its porteur
reaches the same page to change the project while it waits. Plain forms that POST back to
their page (no JavaScript needed); a refused form comes back with its errors (400)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from carto_concertation.territories.models import Commune
from carto_concertation.territories.selectors import module_on_in

from ..models import Project
from ..selectors.projects import project_managed
from ..selectors.submission import MODULE, review_queue
from ..services.projects import (
    AGENT_EDITABLE,
    PORTEUR_EDITABLE,
    project_accept,
    project_edit,
    project_refuse,
)
from .submission_forms import EditForm, RefuseForm, SupportForm, errors_onto


@login_required
@never_cache
def manage_home(request: HttpRequest) -> HttpResponse:
    """The projects of the territories the agent reviews: waiting ones first."""
    if not request.user.has_perm("crowdfunding.work"):
        raise PermissionDenied(_("Only the territory's agents review its projects."))
    projects = list(review_queue(request.user))
    waiting = [p for p in projects if p.status == Project.Status.SUBMITTED]
    others = [p for p in projects if p.status != Project.Status.SUBMITTED]
    return render(request, "crowdfunding/review/home.html", {"waiting": waiting, "others": others})


def _forms(request: HttpRequest, project: Project, posted: str | None) -> dict:
    """Every form of the page, the posted one bound to the request."""
    data = request.POST if request.method == "POST" else None
    communes = Commune.objects.filter(territory=project.territory_id).order_by("name")

    def bound(name):
        return data if posted == name else None

    return {
        "edit": EditForm(bound("edit"), initial=EditForm.initial_of(project), communes=communes),
        "support": SupportForm(bound("support"), initial=SupportForm.initial_of(project)),
        "refuse": RefuseForm(bound("refuse")),
    }


def _act(request: HttpRequest, project: Project, action: str, forms: dict) -> str | None:
    """Carry out the posted action: the message of its success, or None (the refusal
    is on its form, or above the page)."""
    form = forms.get(action)
    if form is not None and not form.is_valid():
        return None
    user = request.user
    try:
        if action == "accept":
            done = project_accept(user=user, project=project)
            if done.status == Project.Status.CAMPAIGN:
                return _("The project is accepted: its campaign is under way on the portal.")
            return _("The project is accepted: its campaign is to come on the portal.")
        if action == "refuse":
            project_refuse(user=user, project=project, reason=form.cleaned_data["reason"])
            return _("The project is refused; the reason is shown in public.")
        if action == "support":
            project_edit(user=user, project=project, data=form.cleaned_data)
            return _("The local authority's support is saved.")
        if action == "edit":
            project_edit(user=user, project=project, data=form.project_data())
            return _("The project is saved.")
    except ValidationError as error:
        if form is not None:
            errors_onto(form, error)
        else:
            messages.error(request, " ".join(error.messages))
        return None
    messages.error(request, _("Unknown action."))
    return None


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def review_page(request: HttpRequest, slug: str) -> HttpResponse:
    """A project as its porteur and the territory's agents work on it."""
    project = project_managed(request.user, slug)
    if project is None or not module_on_in(project.territory, MODULE):
        raise Http404
    is_agent = request.user.has_perm("crowdfunding.review", project)
    action = request.POST.get("action", "") if request.method == "POST" else None
    forms = _forms(request, project, action)
    status = 200
    if request.method == "POST":
        done = _act(request, project, action, forms)
        if done:
            messages.success(request, done)
            return redirect("crowdfunding:review", slug=project.slug)
        status = 400
    editable = AGENT_EDITABLE if is_agent else PORTEUR_EDITABLE
    return render(
        request,
        "crowdfunding/review/project.html",
        {
            "project": project,
            "photos": project.photos.all(),
            "is_agent": is_agent,
            "decidable": is_agent and project.status == Project.Status.SUBMITTED,
            "editable": project.status in editable,
            **{f"{name}_form": form for name, form in forms.items()},
        },
        status=status,
    )
