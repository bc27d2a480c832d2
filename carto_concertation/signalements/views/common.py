# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the residents' pages share: the API's limits on their forms, the space that holds
the reports, a service's ValidationError put under the form's fields."""

from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from carto_concertation.core.modules import MapSpace, space_public
from carto_concertation.core.throttles import ScopedRateThrottle

from ..api.throttles import FILING_THROTTLES

MODULE = "signalements"


class _Scope:
    """What DRF's scoped throttle reads of a view: its scope."""

    def __init__(self, scope: str) -> None:
        self.throttle_scope = scope


def too_many(wait: float | None) -> HttpResponse:
    response = HttpResponse(
        _("Too many requests; try again in a moment."), status=429, content_type="text/plain"
    )
    if wait:
        response["Retry-After"] = str(int(wait) + 1)
    return response


def filing_refused(request: HttpRequest) -> HttpResponse | None:
    """The filing API's limits (per account, client address and e-mail address) on the
    page's form: the same counts, whichever way a report comes."""
    # The throttles read a DRF request's ``data``: the form's fields are that here.
    asked = SimpleNamespace(user=request.user, META=request.META, data=request.POST)
    for throttle_class in FILING_THROTTLES:
        throttle = throttle_class()
        if not throttle.allow_request(asked, None):
            return too_many(throttle.wait())
    return None


def follow_refused(request: HttpRequest) -> HttpResponse | None:
    """The API's limit on following and answering "est-ce réparé ?" (``signalement_follow``)."""
    throttle = ScopedRateThrottle()
    if throttle.allow_request(request, _Scope("signalement_follow")):
        return None
    return too_many(throttle.wait())


def space_or_404(slug: str) -> MapSpace:
    """A public space that holds the reports (and has them on in its territory)."""
    space = space_public(slug)
    if space is None or MODULE not in space.modules:
        raise Http404
    return space


def errors_onto(form, error: ValidationError) -> None:
    """A service's ValidationError under the form's field it names: ``answers`` (each
    message "<code>: <why>") under its question, ``location`` under the place, the
    others under their field, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        if field == "answers":
            for message in errors:
                code, _sep, why = message.partition(": ")
                question = f"q-{code}"
                if why and question in form.fields:
                    form.add_error(question, why)
                else:
                    form.add_error(None, message)
            continue
        name = field
        if field == "location":
            name = "longitude" if form.cleaned_data.get("longitude") is not None else "commune"
        form.add_error(name if name in form.fields else None, errors)
