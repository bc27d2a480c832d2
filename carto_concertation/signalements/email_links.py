# SPDX-License-Identifier: AGPL-3.0-or-later
"""The pages the signalements' e-mails link to: stop the e-mails about a report, confirm
following one by address, answer "est-ce réparé ?". A GET only asks (link checkers and
mail clients open links); the button's POST acts, with the signed token as the proof,
without an account."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django_ratelimit.decorators import ratelimit

from carto_concertation.core.throttles import api_scope_rate

from .models import Report
from .notifications import email_stop_read, fixed_answer_read, follow_confirm_read
from .services.fixed_check import report_fixed_answer
from .services.following import report_emails_stop, report_follow_confirm


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, f"signalements/{template}", context, status=status)


@never_cache
@csrf_exempt  # RFC 8058: mail clients POST here without cookies; the signed token suffices.
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=api_scope_rate("signalement_follow"), method="POST", block=True)
def email_stop(request: HttpRequest, token: str) -> HttpResponse:
    found = email_stop_read(token)
    if found is None or not Report.objects.filter(pk=found[0]).exists():
        return _page(request, "email_stop.html", {"invalid": True}, status=400)
    if request.method == "POST":
        report_emails_stop(token=token)
        return _page(request, "email_stop.html", {"report_id": found[0], "done": True})
    return _page(request, "email_stop.html", {"report_id": found[0]})


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=api_scope_rate("signalement_follow"), method="POST", block=True)
def follow_confirm(request: HttpRequest, token: str) -> HttpResponse:
    found = follow_confirm_read(token)
    if found is None:
        return _page(request, "follow_confirm.html", {"invalid": True}, status=400)
    if request.method == "POST":
        try:
            report_follow_confirm(token=token)
        except ValidationError:
            return _page(request, "follow_confirm.html", {"invalid": True}, status=400)
        return _page(request, "follow_confirm.html", {"report_id": found[0], "done": True})
    return _page(request, "follow_confirm.html", {"report_id": found[0]})


@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=api_scope_rate("signalement_follow"), method="POST", block=True)
def fixed_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail's "yes" and "no" links land here (``?oui`` or ``?non`` pre-selects the
    answer); the reporter may add a word, public, before sending it."""
    report = Report.objects.filter(pk=fixed_answer_read(token) or 0).first()
    if report is None:
        return _page(request, "fixed_answer.html", {"invalid": True}, status=400)
    context = {"report": report, "fixed": "non" not in request.GET}
    if request.method == "POST":
        fixed = request.POST.get("fixed") != "non"
        try:
            report_fixed_answer(
                report=report, fixed=fixed, token=token, text=request.POST.get("text", "")
            )
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", [str(error)])
            return _page(request, "fixed_answer.html", context | {"errors": messages}, status=400)
        return _page(request, "fixed_answer.html", context | {"done": True, "fixed": fixed})
    return _page(request, "fixed_answer.html", context)
