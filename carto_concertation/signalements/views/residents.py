# SPDX-License-Identifier: AGPL-3.0-or-later
"""The residents' pages, in French, each working without JavaScript: a space's map of
the open public reports and its list twin, filing a report (place first), a report's
page (history, "moi aussi", the "est-ce réparé ?" answer) and the confirmation link's
page. Writes go through the services; a ValidationError re-shows the form with the
field's message and nothing written."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carto_concertation.accounts.selectors import user_is_administrator
from carto_concertation.core.modules import MapSpace, space_public, space_slugs_in_territory

from .. import selectors
from ..models import Category, Report, ReportUpdate
from ..services.submission import report_confirm as report_confirm_service
from ..services.submission import report_submit
from .forms import HONEYPOT, FixedAnswerForm, ListFilterForm, ReportForm, leaf_of

MODULE = "signalements"
PAGE_SIZE = 20


def _space(slug: str) -> MapSpace:
    """A public space that holds the reports (and has them on in its territory)."""
    space = space_public(slug)
    if space is None or MODULE not in space.modules:
        raise Http404
    return space


def _tileset(slug: str) -> str:
    return f"signalements-{slug}"


def _in_space(space: MapSpace):
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
        "changePlace": _("Change the place"),
        "cancel": _("Cancel"),
        "placed": _("Place chosen on the map."),
        "nearbyTitle": _("Already reported nearby"),
        "nearbyHint": _("Is it one of these? Say “me too” rather than report it again."),
        "meToo": _("Me too"),
        "followed": _("Thank you: you follow this report."),
        "failed": _("That did not work; try again."),
        "reportPage": _("The report's page"),
        "subcategory": _("Sub-category"),
        "parentCategory": _("Kind of problem"),
        "choose": _("Choose"),
        "tooManyPhotos": _("At most three photos."),
        "inView": _("reports in view"),
    }


def _map_config(space: MapSpace, request: HttpRequest) -> dict:
    centroid = space.perimeter.centroid.transform(4326, clone=True)
    return {
        "slug": space.slug,
        "styleUrl": reverse("map-style", args=[space.slug]),
        "reportsTileJson": reverse("tilejson", args=[_tileset(space.slug)]),
        "reportUrl": reverse("signalements:report", args=[0]),
        "newUrl": reverse("signalements:new", args=[space.slug]),
        "nearbyUrl": reverse("api:signalements-nearby"),
        "followUrl": reverse("signalements:follow", args=[0]),
        "loginUrl": f"{reverse('account_login')}?next={request.path}",
        "signedIn": request.user.is_authenticated,
        "nearbyMetres": settings.SIGNALEMENTS_DUPLICATE_DISTANCE,
        "center": [round(centroid.x, 6), round(centroid.y, 6)],
        "zoom": 12,
        "strings": _strings(),
    }


def space_reports(request: HttpRequest, slug: str) -> HttpResponse:
    """The map of the open public reports in the space's perimeter and its list twin,
    filtered by category and state (GET parameters; open states unless told)."""
    space = _space(slug)
    categories = _categories(space.territory_id)
    filters = ListFilterForm(request.GET, categories=categories)
    listed = _in_space(space).select_related("category", "category__parent", "commune")
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
            "chosen_states": filters.data.getlist("etat") or list(Report.OPEN_STATES),
            "page": page.get_page(request.GET.get("page")),
            "config": _map_config(space, request),
        },
        status=200 if filters.is_valid() else 400,
    )


def report_new(request: HttpRequest, slug: str) -> HttpResponse:
    """File a report. With JavaScript: place first on a full-screen map, then the form;
    without: the same form, placed by longitude/latitude or by commune and street."""
    space = _space(slug)
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
            try:
                report = _submit(request, space, form)
            except ValidationError as error:
                _errors_onto(form, error)
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


def _errors_onto(form, error: ValidationError) -> None:
    """A service's ValidationError under the form's field it names (``answers.<code>``
    under its question; ``point`` under the place), else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        name = field
        if field == "answers" and form.questions:
            name = f"q-{form.questions[0].code}"
        elif field.startswith("answers.") or field.startswith("answers__"):
            name = f"q-{field.split('.', 1)[-1].split('__', 1)[-1]}"
        elif field in ("point", "geom", "location"):
            name = "longitude" if form.cleaned_data.get("longitude") is not None else "commune"
        elif field == "author":
            name = "email" if "email" in form.fields else None
        form.add_error(name if name in form.fields else None, errors)


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
    return render(request, "signalements/filed.html", {"space": _space(slug)})


def _is_services(user, report: Report) -> bool:
    """An agent of one of the territory's services, or an administrator."""
    if not user.is_authenticated:
        return False
    return (
        user_is_administrator(user=user)
        or user.report_services.filter(territory_id=report.territory_id).exists()
    )


def _visible_report(request: HttpRequest, pk: int) -> tuple[Report, bool]:
    """The report if this person may read it, and whether they are of the services.
    Hidden or unconfirmed: the services only; private: the reporter and the services."""
    report = get_object_or_404(
        Report.objects.select_related("category__parent", "commune", "service", "duplicate_of"),
        pk=pk,
    )
    services = _is_services(request.user, report)
    if services:
        return report, True
    own = request.user.is_authenticated and report.author_id == request.user.pk
    if report.is_hidden or report.state == Report.State.UNCONFIRMED:
        raise Http404
    if not report.is_public and not own:
        raise Http404
    return report, False


def _space_of(report: Report) -> MapSpace | None:
    """A public space holding the reports whose perimeter covers this one (its map's
    style draws the small map, its page is the way back)."""
    for slug in space_slugs_in_territory(report.territory_id):
        space = space_public(slug)
        if space and MODULE in space.modules and space.perimeter.covers(report.geom):
            return space
    return None


def _history(report: Report) -> list[dict]:
    """The public history: each step's text, date and the service that acted, never
    the agent."""
    steps = []
    for update in report.updates.select_related("service_before", "service_after"):
        service = update.service_after or update.service_before
        if update.kind == ReportUpdate.Kind.REROUTED and update.service_after:
            service = update.service_before or update.service_after
        steps.append(
            {
                "kind": update.get_kind_display(),
                "state": update.get_state_after_display() if update.state_after else "",
                "state_code": update.state_after,
                "text": update.text,
                "date": update.created_at,
                "service": service.name if service else "",
                "to_service": update.service_after.name
                if update.kind == ReportUpdate.Kind.REROUTED and update.service_after
                else "",
            }
        )
    return steps


def _state_since(report: Report, history: list[dict]):
    """When the report came to its present state: the last step that brought it there."""
    for step in reversed(history):
        if step["state_code"] == report.state:
            return step["date"]
    return report.confirmed_at or report.created_at


def _answers(report: Report) -> list[tuple[str, str]]:
    """The extra questions answered, as the resident read them (a choice by its name)."""
    shown = []
    for question in report.category.questions.all():
        if question.code not in report.answers:
            continue
        value = report.answers[question.code]
        names = {item["key"]: item["name"] for item in question.choices}
        shown.append((question.label, str(names.get(value, value))))
    return shown


def _follows(request: HttpRequest, report: Report) -> bool:
    return request.user.is_authenticated and report.followers.filter(user=request.user).exists()


def _asked_whether_fixed(request: HttpRequest, report: Report) -> bool:
    """The signed-in reporter, once asked "est-ce réparé ?" (a reporter without an
    account answers by the e-mail's own links)."""
    return (
        report.fixed_check_sent_at is not None
        and report.state == Report.State.FIXED
        and request.user.is_authenticated
        and report.author_id == request.user.pk
    )


def report_page(
    request: HttpRequest, pk: int, *, follow_form=None, fixed_form=None, status: int = 200
) -> HttpResponse:
    report, services = _visible_report(request, pk)
    space = _space_of(report)
    point = report.geom.transform(4326, clone=True)
    history = _history(report)
    return render(
        request,
        "signalements/report.html",
        {
            "report": report,
            "services": services,
            "space": space,
            "history": history,
            "state_since": _state_since(report, history),
            "answers": _answers(report),
            "photos": list(report.photos.all()),
            "followers": report.followers.count(),
            "follows": _follows(request, report),
            "can_follow": report.state in Report.OPEN_STATES and report.is_public,
            "follow_errors": follow_form or {},
            "asked": _asked_whether_fixed(request, report),
            "fixed_form": fixed_form or FixedAnswerForm(),
            "permalink": request.build_absolute_uri(reverse("signalements:report", args=[pk])),
            "geometry": {"type": "Point", "coordinates": [round(point.x, 6), round(point.y, 6)]},
            "style_url": reverse("map-style", args=[space.slug]) if space else None,
            "reason_label": _reason_label(report),
        },
        status=status,
    )


def _reason_label(report: Report) -> str:
    if report.state == Report.State.NOT_RESPONSIBLE:
        return _("Whom to contact")
    if report.state == Report.State.NOT_FIXED:
        return _("Why")
    return ""


@require_POST
def report_follow(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Moi aussi" (follow) or "Ne plus suivre"; an address without an account follows
    once it confirms it."""
    # The workflow's services land with branch issue18-flow.
    from ..services.following import report_follow as follow
    from ..services.following import report_unfollow

    report, _services = _visible_report(request, pk)
    try:
        if request.POST.get("action") == "unfollow":
            if not request.user.is_authenticated:
                raise Http404
            report_unfollow(report=report, user=request.user)
            messages.success(request, _("You no longer follow this report."))
        else:
            follow(
                report=report,
                user=request.user if request.user.is_authenticated else None,
                email="" if request.user.is_authenticated else request.POST.get("email", ""),
            )
            messages.success(
                request,
                _("Thank you: you follow this report.")
                if request.user.is_authenticated
                else _("Thank you: follow the link we sent to your address."),
            )
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"email": error.messages}
        return report_page(request, pk, follow_form=errors, status=400)
    return redirect("signalements:report", pk=report.pk)


@require_POST
def report_fixed(request: HttpRequest, pk: int) -> HttpResponse:
    """The reporter's answer to "est-ce réparé ?"; a "non" reopens the report."""
    from ..services.fixed_check import report_fixed_answer

    report, _services = _visible_report(request, pk)
    form = FixedAnswerForm(request.POST)
    if form.is_valid():
        try:
            report_fixed_answer(
                report=report,
                fixed=form.cleaned_data["fixed"],
                user=request.user,
                text=form.cleaned_data["text"],
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("Thank you for your answer."))
            return redirect("signalements:report", pk=report.pk)
    return report_page(request, pk, fixed_form=form, status=400)


def report_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail link's page: a button (a link never writes on GET), then the report
    confirmed, or why not (an expired or broken link)."""
    if request.method != "POST":
        return render(request, "signalements/confirm.html", {"token": token})
    try:
        report = report_confirm_service(token=token)
    except ValidationError as error:
        return render(
            request,
            "signalements/confirm.html",
            {"token": token, "errors": error.messages},
            status=400,
        )
    if report.is_public and not report.is_hidden:
        messages.success(request, _("Thank you: your report is confirmed and published."))
        return redirect("signalements:report", pk=report.pk)
    return render(request, "signalements/confirm.html", {"confirmed": report})
