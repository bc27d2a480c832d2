# SPDX-License-Identifier: AGPL-3.0-or-later
"""The residents' pages of the participatory budget, in French, each working without
JavaScript: the editions, an edition (its rules, phases, districts, the map of its
projects and the list twin of the map), a project (support it), proposing a project
(placed on the map, or by longitude/latitude or district without one). Writes go
through the services; a ValidationError re-shows the form with the field's message."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from carto_concertation.core.throttles import page_throttled
from carto_concertation.core.wgs84 import wgs84

from ..map_style import edition_style, status_legend
from ..models import Edition, EditionPhase, Project
from ..selectors import projects as selectors
from ..selectors.results import vote_closed
from ..services.projects import project_submit, project_support, project_support_withdraw
from ..tiles import project_tileset

PAGE_SIZE = 30
WGS84 = 4326


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several files; whether each is a photo, and how many, is project_submit's to say."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list) else [data]
        return [super(PhotosField, self).clean(file, initial) for file in files if file]


class ProjectFilterForm(forms.Form):
    statut = forms.MultipleChoiceField(choices=Project.Status.choices, required=False)
    quartier = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)

    def __init__(self, *args, edition: Edition, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["quartier"].choices = [("", "")] + [
            (district.pk, district.name) for district in selectors.districts_of(edition)
        ]


class ProjectForm(forms.Form):
    """A project, placed by longitude and latitude (the map fills them, or the resident
    types them) or, without them, in the middle of a chosen district."""

    title = forms.CharField(label=gettext_lazy("Title of the project"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    estimated_cost = forms.IntegerField(
        label=gettext_lazy("Estimated cost (euros)"), min_value=1, max_value=10**12
    )
    association = forms.CharField(
        label=gettext_lazy("Association carrying the project (optional)"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Its name is shown; your own name never is."),
    )
    longitude = forms.FloatField(
        label=gettext_lazy("Longitude"), required=False, min_value=-180, max_value=180
    )
    latitude = forms.FloatField(
        label=gettext_lazy("Latitude"), required=False, min_value=-90, max_value=90
    )
    district = forms.TypedChoiceField(
        label=gettext_lazy("Or, without a map: the district"),
        coerce=int,
        required=False,
        empty_value=None,
    )
    photos = PhotosField(
        label=gettext_lazy("Photos (up to three)"),
        required=False,
        help_text=gettext_lazy("JPEG, PNG or WebP; they are re-encoded without their metadata."),
    )

    def __init__(self, *args, edition: Edition, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.districts = {district.pk: district for district in selectors.districts_of(edition)}
        self.fields["district"].choices = [("", _("Choose a district"))] + [
            (pk, district.name) for pk, district in self.districts.items()
        ]

    def clean(self):
        data = super().clean()
        typed = data.get("longitude") is not None and data.get("latitude") is not None
        if not typed and not data.get("district") and not self.errors:
            raise forms.ValidationError(
                _("Place the project on the map, or give its coordinates or its district.")
            )
        return data

    def place(self) -> Point | None:
        data = self.cleaned_data
        if data.get("longitude") is not None and data.get("latitude") is not None:
            return Point(data["longitude"], data["latitude"], srid=WGS84)
        district = self.districts.get(data.get("district"))
        return district.geom.point_on_surface if district else None


def _edition_or_404(slug: str) -> Edition:
    edition = selectors.edition_public(slug)
    if edition is None:
        raise Http404
    return edition


def _map_config(request: HttpRequest, edition: Edition) -> dict:
    centroid = wgs84(edition.territory.geom.point_on_surface)
    center = [round(centroid.x, 6), round(centroid.y, 6)]
    tilejson = reverse("tilejson", args=[project_tileset(edition.slug)])
    return {
        "style": edition_style(
            tilejson_url=request.build_absolute_uri(tilejson),
            communes_url=request.build_absolute_uri(reverse("tilejson", args=["communes"])),
            center=center,
        ),
        "projectsTileJson": tilejson,
        "projectUrl": reverse("budgets:project", args=[edition.slug, 0]),
        "center": center,
        "zoom": 12,
        "strings": {
            "mapLabel": _("Map of the projects"),
            "placeHint": _("Tap the map where the project would be."),
            "placed": _("Place chosen on the map."),
        },
    }


def rules_of(edition: Edition) -> list[str]:
    """The edition's rules in plain sentences (the page's "How it works")."""
    rules = [
        _("The envelope is %(envelope)s €.")
        % {"envelope": f"{edition.envelope:,}".replace(",", "\u202f")}
    ]
    if edition.split_by_district:
        rules.append(
            _("It is shared between the districts: each district votes for its own projects.")
        )
    if edition.minimum_age:
        rules.append(
            _("Every resident of the territory aged %(age)s or more may vote.")
            % {"age": edition.minimum_age}
        )
    else:
        rules.append(_("Every resident of the territory may vote."))
    if edition.ballot_type == Edition.BallotType.APPROVAL:
        if edition.max_choices:
            rules.append(
                _("Each voter chooses between %(min)s and %(max)s projects.")
                % {"min": edition.min_choices, "max": edition.max_choices}
            )
        else:
            rules.append(_("Each voter chooses as many projects as they like."))
        if edition.within_envelope:
            rules.append(_("The projects chosen must fit in the envelope together."))
    elif edition.ballot_type == Edition.BallotType.CUMULATIVE:
        rules.append(
            _("Each voter shares %(points)s points between the projects.")
            % {"points": edition.max_points_total}
        )
    else:
        rules.append(_("Each voter ranks the projects they prefer."))
    rules.append(_("Counting: %(rule)s.") % {"rule": edition.get_counting_rule_display()})
    return rules


def editions_page(request: HttpRequest) -> HttpResponse:
    """The published editions, current first."""
    editions = list(selectors.editions_public())
    return render(request, "budgets/projects/editions.html", {"editions": editions})


def edition_page(request: HttpRequest, slug: str) -> HttpResponse:
    """An edition: envelope, rules, phases, districts, the map of its projects and its
    list twin, filtered by status and district (GET)."""
    edition = _edition_or_404(slug)
    filters = ProjectFilterForm(request.GET, edition=edition)
    if filters.is_valid():
        projects = selectors.projects_filtered(
            edition,
            statuses=filters.cleaned_data["statut"],
            district=filters.cleaned_data["quartier"],
            viewer=request.user,
        )
    else:
        projects = selectors.projects_public(edition).none()
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "budgets/projects/edition.html",
        {
            "edition": edition,
            "phases": selectors.phases_of(edition),
            "rules": rules_of(edition),
            "districts": selectors.districts_of(edition),
            "submission_open": selectors.phase_open(edition, EditionPhase.Kind.SUBMISSION),
            # Where the edition stands: what a resident or an agent can do from here.
            "vote_open": selectors.phase_open(edition, EditionPhase.Kind.VOTE),
            "vote_ended": edition.phases.exists() and vote_closed(edition),
            "results_published": edition.result_runs.filter(is_published=True).exists(),
            "can_run": request.user.has_perm("budgets.run", edition),
            "filters": filters,
            "statuses": Project.Status.choices,
            "chosen_statuses": filters.data.getlist("statut"),
            "chosen_district": request.GET.get("quartier", ""),
            "page": page,
            "legend": status_legend(),
            "config": _map_config(request, edition),
        },
        status=200 if filters.is_valid() else 400,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def project_page(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A project; a POST supports it or withdraws the support (``action``)."""
    edition = _edition_or_404(slug)
    project = selectors.project_public(edition, number, request.user)
    if project is None:
        raise Http404
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if refused := page_throttled(request, "vote"):
            return refused
        try:
            if request.POST.get("action") == "withdraw":
                project_support_withdraw(project=project, user=request.user)
                messages.success(request, _("Your support is withdrawn."))
            else:
                project_support(project=project, user=request.user)
                messages.success(request, _("Thank you for your support."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("budgets:project", slug=edition.slug, number=project.number)
    return render(
        request,
        "budgets/projects/project.html",
        {
            "edition": edition,
            "project": project,
            "supportable": project.status in selectors.SUPPORTABLE,
            "supporting": selectors.is_supporter(project, request.user),
            "legend": status_legend(),
            "config": {
                **_map_config(request, edition),
                "place": json.loads(project.geom_wgs84.json) if project.geom_wgs84 else None,
            },
        },
    )


def project_propose(request: HttpRequest, slug: str) -> HttpResponse:
    """Propose a project: with JavaScript, a tap on the map fills the coordinates;
    without, they are typed, or the district is chosen."""
    edition = _edition_or_404(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    is_open = selectors.phase_open(edition, EditionPhase.Kind.SUBMISSION)
    form = ProjectForm(request.POST or None, request.FILES or None, edition=edition)
    if request.method == "POST" and is_open and form.is_valid():
        if refused := page_throttled(request, "contribution_write"):
            return refused
        data = form.cleaned_data
        try:
            project = project_submit(
                edition=edition,
                user=request.user,
                title=data["title"],
                description=data["description"],
                estimated_cost=data["estimated_cost"],
                geom=form.place(),
                association=data["association"],
                photos=data["photos"],
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            return redirect("budgets:proposed", slug=edition.slug, number=project.number)
    return render(
        request,
        "budgets/projects/propose.html",
        {
            "edition": edition,
            "form": form,
            "is_open": is_open,
            "config": _map_config(request, edition),
        },
        status=400 if form.is_bound else (200 if is_open else 403),
    )


def project_proposed(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """The confirmation: the project is proposed, the services analyse it next."""
    edition = _edition_or_404(slug)
    project = selectors.project_public(edition, number, request.user)
    if project is None:
        raise Http404
    return render(
        request, "budgets/projects/proposed.html", {"edition": edition, "project": project}
    )


def _errors_onto(form: ProjectForm, error: ValidationError) -> None:
    """A service's ValidationError under the field it names (the place under the
    coordinates), else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        name = "longitude" if field == "geom" else field
        form.add_error(name if name in form.fields else None, errors)
