# SPDX-License-Identifier: AGPL-3.0-or-later
"""The page of the e-mail link that confirms a report filed without an account."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from .services.mail import report_url
from .services.submission import report_confirm


@require_http_methods(["GET", "POST"])
def confirm_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link checkers open links: a GET never changes anything); POST confirms."""
    template = "signalements/confirm.html"
    if request.method == "GET":
        return render(request, template, {"token": token})
    try:
        report = report_confirm(token=token)
    except ValidationError as exc:
        return render(request, template, {"error": exc.message_dict["token"][0]}, status=400)
    return render(request, template, {"done": True, "url": report_url(report_id=report.pk)})
