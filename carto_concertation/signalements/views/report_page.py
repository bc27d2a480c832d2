# SPDX-License-Identifier: AGPL-3.0-or-later
"""A report's page (history, "moi aussi", the "est-ce réparé ?" answer) and the
confirmation link's page, in French, working without JavaScript. Writes go through the
services; a ValidationError re-shows the form with the field's message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carto_concertation.core.modules import MapSpace, space_public, space_slugs_in_territory
from carto_concertation.core.wgs84 import wgs84

from ..models import Report, ReportUpdate
from ..services.fixed_check import report_fixed_answer
from ..services.following import report_follow as follow
from ..services.following import report_unfollow
from ..services.submission import report_confirm as report_confirm_service
from .common import MODULE, errors_onto, follow_refused
from .forms import FixedAnswerForm

PAGE_SIZE = 20


def _visible_report(request: HttpRequest, pk: int) -> tuple[Report, bool]:
    """The report if this person may read it, and whether they are of its services (an
    agent of the service it is routed to, or an administrator: ``signalements.act``).
    Hidden or unconfirmed: its services only; private: the reporter and its services."""
    report = get_object_or_404(
        Report.objects.select_related("category__parent", "commune", "service", "duplicate_of"),
        pk=pk,
    )
    services = request.user.has_perm("signalements.act", report)
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
    point = wgs84(report.geom)
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
    report, _services = _visible_report(request, pk)
    if refused := follow_refused(request):
        return refused
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
    report, _services = _visible_report(request, pk)
    if refused := follow_refused(request):
        return refused
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
            errors_onto(form, error)
        else:
            messages.success(request, _("Thank you for your answer."))
            return redirect("signalements:report", pk=report.pk)
    return report_page(request, pk, fixed_form=form, status=400)


def report_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail link's page: a button (a link never writes on GET), then the report
    confirmed (with the way to its page when it is public), or why not (an expired or
    broken link)."""
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
    return render(request, "signalements/confirm.html", {"confirmed": report})
