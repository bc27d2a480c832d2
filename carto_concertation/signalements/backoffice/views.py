# SPDX-License-Identifier: AGPL-3.0-or-later
"""The services' dashboard pages: the queue (filters, map, bulk change, exports), the
agent's page of a report (its forms POST and come back to the page, the confirmation on
screen), a report's photo for its agents, and the figures. An agent works on their
services' reports, an administrator on every one; anyone else is refused (403), a
visitor sent to sign in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..models import Report, ReportPhoto
from ..services.workflow import (
    report_mark_duplicate,
    report_reroute,
    report_state_change,
    reports_state_change_bulk,
)
from . import exports, figures
from .forms import BulkStateForm, DuplicateForm, ReportStateForm, RerouteForm
from .map import desk_features, desk_style
from .queue import DeskFilter, desk_filter, desk_reports, desk_services, with_deadline
from .report import report_answers, report_for_agent, report_history

PAGE_SIZE = 50


def _agent_only(request: HttpRequest) -> None:
    if not request.user.has_perm("signalements.work"):
        raise PermissionDenied(_("Only the agents of a service may see this page."))


def _filter_errors(filterset: DeskFilter) -> dict[str, list[str]]:
    """Each bad parameter under its label, in the page's language."""
    fields = filterset.form.fields
    return {
        str(fields[name].label) if name in fields else name: list(errors)
        for name, errors in filterset.errors.items()
    }


def _filter_context(filterset: DeskFilter, errors: dict) -> dict:
    """What the filters' form shows: the states chosen, and the "every state" option."""
    every = [code for code, _label in filterset.form.fields["status"].choices]
    chosen = [] if errors else list(filterset.form.cleaned_data.get("status") or ())
    return {
        "form": filterset.form,
        "errors": errors,
        "chosen_states": chosen,
        "status_all": set(chosen) == set(every),
        "every_state_codes": ",".join(every),
    }


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
@never_cache
@require_GET
def desk_page(request: HttpRequest) -> HttpResponse:
    _agent_only(request)
    filterset = desk_filter(user=request.user, params=request.GET)
    errors = {} if filterset.is_valid() else _filter_errors(filterset)
    reports = (filterset.qs if not errors else desk_reports(request.user).none()).select_related(
        "category__parent", "commune", "service__commune"
    )
    # The "me too" count tells how many people wait for the same fix.
    page = Paginator(
        reports.annotate(follower_count=Count("followers")).order_by("-created_at", "-pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    services = list(desk_services(request.user))
    config = {
        "style": desk_style(request),
        "reports": desk_features(reports),
        "strings": {
            "mapLabel": _("Map of the reports the filters select"),
            "overdue": _("overdue"),
            "shown": _("Reports on the map: %(count)s"),
        },
    }
    return render(
        request,
        "signalements/backoffice/desk.html",
        {
            **_filter_context(filterset, errors),
            "page": page,
            "total": page.paginator.count,
            "several_services": len(services) > 1,
            "bulk_form": BulkStateForm(choosable=[]),
            "query": _query_without(request, "page"),
            "config": config,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def desk_bulk(request: HttpRequest) -> HttpResponse:
    """The ticked reports given one state, its public text and its reason, all or none;
    back to the queue as it was filtered, the confirmation on top."""
    _agent_only(request)
    posted = {int(value) for value in request.POST.getlist("ids") if value.isdigit()}
    reports = list(desk_reports(request.user).filter(pk__in=posted).order_by("pk"))
    if len(reports) != len(posted):
        # A report of another service (or none): refused, nothing written.
        raise PermissionDenied(_("You may only change the reports of your services."))
    form = BulkStateForm(request.POST, choosable=[report.pk for report in reports])
    if not form.is_valid():
        messages.error(
            request,
            " ".join(
                [_("Nothing was changed:"), *(m for errors in form.errors.values() for m in errors)]
            ),
        )
    else:
        try:
            reports_state_change_bulk(
                reports=reports,
                actor=request.user,
                state=form.cleaned_data["state"],
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join([_("Nothing was changed:"), *exc.messages]))
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s report is now “%(state)s”.",
                    "%(count)s reports are now “%(state)s”.",
                    len(reports),
                )
                % {
                    "count": len(reports),
                    "state": Report.State(form.cleaned_data["state"]).label,
                },
            )
    back = reverse("signalements:desk")
    query = request.POST.get("query", "")
    return redirect(f"{back}?{query}" if query else back)


def _errors_into(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


# The forms of the agent's page, by the ``action`` of their button: how to build the form
# (posted or not), the workflow's service its fields are the arguments of, and the
# confirmation shown once it is done.
REPORT_ACTIONS = {
    "state": (
        lambda report, data=None: ReportStateForm(
            data, report=report, initial={"state": report.state}
        ),
        report_state_change,
        lambda done: (
            _("The report is now “%(state)s”.") % {"state": Report.State(done["state"]).label}
        ),
    ),
    "reroute": (
        lambda report, data=None: RerouteForm(data, report=report),
        report_reroute,
        lambda done: _("The report is sent to %(service)s.") % {"service": done["service"]},
    ),
    "duplicate": (
        lambda report, data=None: DuplicateForm(data, report=report),
        report_mark_duplicate,
        lambda done: (
            _("The report is a duplicate of no. %(number)s; its followers follow it now.")
            % {"number": done["original"].pk}
        ),
    ),
}


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def desk_report_page(request: HttpRequest, pk: int) -> HttpResponse:
    _agent_only(request)
    report = report_for_agent(user=request.user, pk=pk)
    forms = {action: build(report) for action, (build, _write, _done) in REPORT_ACTIONS.items()}
    status = 200
    action = request.POST.get("action") if request.method == "POST" else None
    if action in REPORT_ACTIONS:
        build, write, done = REPORT_ACTIONS[action]
        form = forms[action] = build(report, request.POST)
        if form.is_valid():
            try:
                write(report=report, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _errors_into(form, exc)
            else:
                messages.success(request, done(form.cleaned_data))
                # A report sent to another service has left the agent's: the queue then.
                if request.user.has_perm("signalements.act", Report.objects.get(pk=pk)):
                    return redirect(reverse("signalements:desk-report", args=[pk]))
                return redirect(reverse("signalements:desk"))
        status = 400
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "signalements/backoffice/report.html",
        {
            "report": report,
            "answers": report_answers(report),
            "history": report_history(report),
            "twins": report.duplicates.order_by("pk"),
            "state_form": forms["state"],
            "reroute_form": forms["reroute"],
            "duplicate_form": forms["duplicate"],
            "config": {
                "style": desk_style(request),
                "reports": desk_features(with_deadline(Report.objects.filter(pk=report.pk))),
                "strings": {"mapLabel": _("Place of the report"), "overdue": _("overdue")},
            },
        },
        status=status,
    )


@login_required
@require_GET
def desk_report_photo(request: HttpRequest, pk: int, photo: int) -> FileResponse:
    """A photo of a report, for its agents (a private report's photos are theirs);
    never kept by a shared cache."""
    _agent_only(request)
    report = report_for_agent(user=request.user, pk=pk)
    image = get_object_or_404(ReportPhoto, report=report, pk=photo)
    response = FileResponse(image.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", exports.csv_chunks),
    "geojson": ("application/geo+json", exports.geojson_chunks),
}


@login_required
@require_GET
def desk_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered queue (every page of it), as a file to download."""
    _agent_only(request)
    if fmt not in EXPORT_TYPES:
        raise Http404(_("No such export format."))
    filterset = desk_filter(user=request.user, params=request.GET)
    if not filterset.is_valid():
        errors = _filter_errors(filterset)
        return HttpResponseBadRequest(
            "\n".join(f"{field} : {' '.join(messages)}" for field, messages in errors.items()),
            content_type="text/plain; charset=utf-8",
        )
    content_type, chunks = EXPORT_TYPES[fmt]
    exports.desk_export_record(user=request.user, fmt=fmt, filters=sorted(request.GET))
    response = StreamingHttpResponse(chunks(filterset.qs), content_type=content_type)
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="signalements-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@never_cache
@require_GET
def desk_figures(request: HttpRequest) -> HttpResponse:
    _agent_only(request)
    filterset = desk_filter(user=request.user, params=request.GET, every_state=True)
    errors = {} if filterset.is_valid() else _filter_errors(filterset)
    reports = filterset.qs if not errors else desk_reports(request.user).none()
    return render(
        request,
        "signalements/backoffice/figures.html",
        {
            **_filter_context(filterset, errors),
            "total": reports.count(),
            "per_category": figures.per_category(reports),
            "per_commune": figures.per_commune(reports),
            "per_service": figures.per_service(reports),
            "several_services": desk_services(request.user).count() > 1,
        },
        status=400 if errors else 200,
    )
