# SPDX-License-Identifier: AGPL-3.0-or-later
"""The follow-up's pages, in French, working without JavaScript: the achievements of
every published edition (a map drawn on the server, and its list twin, filtered by a GET
form), a winner's follow-up (news, follow button) and the agents' follow-up of an
edition. Writes go through the services; a ValidationError re-shows the form."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods

from carto_concertation.core.throttles import page_throttled

from ..models import Edition, Project, ProjectUpdate
from ..selectors.followup import (
    achievement_editions,
    achievements,
    edition_winners,
    followed_project,
    is_following,
    project_news,
    realisation_of,
)
from ..services.followup import (
    REASON_MAX,
    TEXT_MAX,
    project_follow,
    project_realisation_set,
    project_unfollow,
    project_update_add,
)
from .followup_map import winners_map

PAGE_SIZE = 200


class AchievementsFilter(forms.Form):
    edition = forms.ChoiceField(label=pgettext_lazy("budget follow-up", "Edition"), required=False)
    realisation = forms.ChoiceField(
        label=pgettext_lazy("budget follow-up", "Realisation"),
        required=False,
        choices=[("", pgettext_lazy("budget follow-up", "All")), *Project.Realisation.choices],
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = [
            ("", pgettext_lazy("budget follow-up", "All")),
            *((e.slug, e.title) for e in achievement_editions()),
        ]


class RealisationForm(forms.Form):
    realisation = forms.ChoiceField(
        label=pgettext_lazy("budget follow-up", "Realisation"), choices=Project.Realisation.choices
    )
    progress = forms.IntegerField(
        label=pgettext_lazy("budget follow-up", "Progress (%)"), required=False
    )
    abandon_reason = forms.CharField(
        label=gettext_lazy("Reason for abandoning (public)"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NewsForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=pgettext_lazy("budget follow-up", "News"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(label=gettext_lazy("Photo"), required=False)
    realisation = forms.ChoiceField(
        label=pgettext_lazy("budget follow-up", "Realisation"),
        required=False,
        choices=[
            ("", pgettext_lazy("budget follow-up", "unchanged")),
            *Project.Realisation.choices,
        ],
    )
    progress = forms.IntegerField(
        label=pgettext_lazy("budget follow-up", "Progress (%)"), required=False
    )


def _errors_onto(form: forms.Form, exc: ValidationError) -> None:
    """A service's errors under the form's fields (elsewhere: the form's own)."""
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _row(project: Project) -> dict:
    return {
        "project": project,
        "realisation": realisation_of(project),
        "realisation_label": Project.Realisation(realisation_of(project)).label,
    }


def achievements_page(request: HttpRequest) -> HttpResponse:
    """/budgets/realisations/: the winners of every past edition, on a map and in a list."""
    form = AchievementsFilter(request.GET or None)
    edition = realisation = ""
    status = 200
    if form.is_bound:
        if form.is_valid():
            edition = form.cleaned_data["edition"]
            realisation = form.cleaned_data["realisation"]
        else:
            status = 400
    projects = list(achievements(edition=edition, realisation=realisation)[:PAGE_SIZE])
    rows = [_row(project) for project in projects]
    return render(
        request,
        "budgets/followup/achievements.html",
        {
            "form": form,
            "rows": rows,
            "map": winners_map(rows),
            "realisations": Project.Realisation.choices,
        },
        status=status,
    )


def _followed_or_404(slug: str, number: int) -> Project:
    project = followed_project(slug=slug, number=number)
    if project is None:
        raise Http404
    return project


@require_http_methods(["GET", "POST"])
def project_followup(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A winner's follow-up; POST ``action=follow|unfollow`` (signed in)."""
    project = _followed_or_404(slug, number)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if refused := page_throttled(request, "budget_follow"):
            return refused
        try:
            if request.POST.get("action") == "unfollow":
                project_unfollow(project, user=request.user)
                messages.success(request, _("You no longer follow this project."))
            else:
                project_follow(project, user=request.user)
                messages.success(request, _("You follow this project: you will hear of its news."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("budgets:project-followup", slug, number)
    return render(
        request,
        "budgets/followup/project.html",
        {
            **_row(project),
            "edition": project.edition,
            "news": list(project_news(project)),
            "follows": is_following(project, request.user),
            "followers": project.followers.count(),
        },
    )


def news_photo(request: HttpRequest, slug: str, number: int, pk: int) -> FileResponse:
    """The photo of a news (re-encoded JPEG, without metadata)."""
    project = _followed_or_404(slug, number)
    update = get_object_or_404(ProjectUpdate, pk=pk, project=project)
    if not update.photo:
        raise Http404
    response = FileResponse(update.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def _run_edition(request: HttpRequest, slug: str) -> Edition:
    edition = get_object_or_404(Edition, slug=slug)
    if not request.user.has_perm("budgets.run", edition):
        raise PermissionDenied(_("Only the services of this edition follow up its projects."))
    return edition


@require_http_methods(["GET", "POST"])
def agent_followup(request: HttpRequest, slug: str) -> HttpResponse:
    """gestion/<slug>/suivi/: the winners of an edition, each with a form to set its
    realisation and one to publish a dated news with a photo (``action`` and ``project``
    say which)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    edition = _run_edition(request, slug)
    winners = list(edition_winners(edition))
    bound: dict[tuple[int, str], forms.Form] = {}
    status = 200
    if request.method == "POST":
        if refused := page_throttled(request, "budget_followup"):
            return refused
        project = next(
            (p for p in winners if str(p.number) == request.POST.get("project", "")), None
        )
        if project is None:
            raise Http404
        action = request.POST.get("action")
        form = (
            NewsForm(request.POST, request.FILES, prefix=f"n{project.number}")
            if action == "news"
            else RealisationForm(request.POST, prefix=f"r{project.number}")
        )
        if form.is_valid():
            try:
                if action == "news":
                    project_update_add(project, user=request.user, **form.cleaned_data)
                    messages.success(request, _("The news is published."))
                else:
                    project_realisation_set(project, user=request.user, **form.cleaned_data)
                    messages.success(request, _("The follow-up is saved."))
                return redirect("budgets:agent-followup", slug)
            except ValidationError as exc:
                _errors_onto(form, exc)
        bound[(project.number, action)] = form
        status = 400
    rows = []
    for project in winners:
        rows.append(
            {
                **_row(project),
                "realisation_form": bound.get((project.number, "realisation"))
                or RealisationForm(
                    prefix=f"r{project.number}",
                    initial={
                        "realisation": realisation_of(project),
                        "progress": project.progress,
                        "abandon_reason": project.abandon_reason,
                    },
                ),
                "news_form": bound.get((project.number, "news"))
                or NewsForm(prefix=f"n{project.number}", initial={"date": timezone.localdate()}),
            }
        )
    return render(
        request,
        "budgets/followup/agent.html",
        {"edition": edition, "rows": rows},
        status=status,
    )
