# SPDX-License-Identifier: AGPL-3.0-or-later
"""The residents' pages, in French, each working without JavaScript: a space's map of
the open public reports and its list twin, filing a report (place first); a report's
own page is report_page.py. Writes go through the services; a ValidationError re-shows the form with the
field's message and nothing written."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from carto_concertation.core.modules import MapSpace
from carto_concertation.core.wgs84 import wgs84

from .. import selectors
from ..models import Category, Report
from ..services.submission import report_submit
from .common import errors_onto, filing_refused, space_or_404
from .forms import HONEYPOT, ListFilterForm, ReportForm, leaf_of

PAGE_SIZE = 20


def _tileset(slug: str) -> str:
    return f"signalements-{slug}"


def _inspace_or_404(space: MapSpace):
    return selectors.reports_public().filter(
        territory_id=space.territory_id, geom__coveredby=space.perimeter
    )


def _categories(territory_id: int) -> list[Category]:
    return list(selectors.categories_of(territory_id))


def _strings() -> dict[str, str]:
    """The words the page's module shows, in the page's language."""
    return {
        "mapLabel": _("Map of the reports"),
        "placeTitle": _("Place the problem"),
        "placeHint": _("Move the map until the crosshair is on the place, then validate."),
        "validatePlace": _("Validate the place"),
        "cancel": _("Cancel"),
        "nearbyTitle": _("Already reported nearby"),
        "nearbyHint": _("Is it one of these? Say “me too” rather than report it again."),
        "meToo": _("Me too"),
        "reportPage": _("The report's page"),
        "subcategory": _("Sub-category"),
        "parentCategory": _("Kind of problem"),
        "choose": _("Choose"),
        "tooManyPhotos": _("At most three photos."),
    }


def _map_config(space: MapSpace, request: HttpRequest) -> dict:
    centroid = wgs84(space.perimeter.centroid)
    return {
        "styleUrl": reverse("map-style", args=[space.slug]),
        "reportsTileJson": reverse("tilejson", args=[_tileset(space.slug)]),
        "reportUrl": reverse("signalements:report", args=[0]),
        "nearbyUrl": reverse("api:signalements-nearby"),
        "followUrl": reverse("signalements:follow", args=[0]),
        "signedIn": request.user.is_authenticated,
        "center": [round(centroid.x, 6), round(centroid.y, 6)],
        "zoom": 12,
        "strings": _strings(),
    }


def space_reports(request: HttpRequest, slug: str) -> HttpResponse:
    """The map of the open public reports in the space's perimeter and its list twin,
    filtered by category and state (GET parameters; open states unless told)."""
    space = space_or_404(slug)
    categories = _categories(space.territory_id)
    filters = ListFilterForm(request.GET, categories=categories)
    listed = _inspace_or_404(space).select_related("category", "category__parent", "commune")
    if filters.is_valid():
        chosen = filters.cleaned_data["categorie"]
        if chosen:
            listed = listed.filter(category_id__in=chosen) | listed.filter(
                category__parent_id__in=chosen
            )
        listed = listed.filter(state__in=filters.cleaned_data["etat"] or Report.OPEN_STATES)
    else:
        listed = listed.none()
    page = Paginator(listed.order_by("-created_at", "-id"), PAGE_SIZE)
    return render(
        request,
        "signalements/space.html",
        {
            "space": space,
            "categories": categories,
            "states": filters.fields["etat"].choices,
            "filters": filters,
            "chosen_category": request.GET.get("categorie", ""),
            "chosen_states": filters.data.getlist("etat") or list(Report.OPEN_STATES),
            "page": page.get_page(request.GET.get("page")),
            "config": _map_config(space, request),
        },
        status=200 if filters.is_valid() else 400,
    )


def report_new(request: HttpRequest, slug: str) -> HttpResponse:
    """File a report. With JavaScript: place first on a full-screen map, then the form;
    without: the same form, placed by longitude/latitude or by commune and street."""
    space = space_or_404(slug)
    categories = _categories(space.territory_id)
    data = request.POST if request.method == "POST" else request.GET
    chosen = leaf_of(categories, data.get("category"))
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        territory_id=space.territory_id,
        categories=categories,
        category=chosen,
        user=request.user,
    )
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            # A robot: answered as a person would be, nothing written.
            return redirect("signalements:filed", slug=space.slug)
        if form.is_valid():
            if refused := filing_refused(request):
                return refused
            try:
                report = _submit(request, space, form)
            except ValidationError as error:
                errors_onto(form, error)
            else:
                if report.state == Report.State.UNCONFIRMED:
                    return redirect("signalements:filed", slug=space.slug)
                messages.success(request, _("Thank you: your report is sent to the service."))
                return redirect("signalements:report", pk=report.pk)
    return render(
        request,
        "signalements/new.html",
        {
            "space": space,
            "form": form,
            "chosen": chosen,
            "config": {
                **_map_config(space, request),
                "categories": _category_tree(categories),
            },
        },
        status=400 if form.is_bound else 200,
    )


def _submit(request: HttpRequest, space: MapSpace, form: ReportForm) -> Report:
    data = form.cleaned_data
    return report_submit(
        territory=_territory(space),
        category=form.categories[data["category"]],
        point=form.point(),
        description=form.description_text(),
        answers=form.answers(),
        photos=data["photos"],
        author=request.user if request.user.is_authenticated else None,
        email="" if request.user.is_authenticated else data["email"],
        is_public=data["visibility"] == "public",
    )


def _territory(space: MapSpace):
    from carto_concertation.territories.models import Territory

    return Territory.objects.get(pk=space.territory_id)


def _category_tree(categories: list[Category]) -> list[dict]:
    """The tree and each leaf's questions, for the page's module (parent, then child)."""
    return [
        {
            "id": category.pk,
            "name": category.name,
            "parent": category.parent_id,
            "questions": [
                {
                    "code": question.code,
                    "label": question.label,
                    "kind": question.kind,
                    "required": question.required,
                    "choices": question.choices,
                }
                for question in category.questions.all()
            ],
        }
        for category in categories
    ]


def report_filed(request: HttpRequest, slug: str) -> HttpResponse:
    """After filing with an address: the link to follow is in the mailbox."""
    return render(request, "signalements/filed.html", {"space": space_or_404(slug)})
