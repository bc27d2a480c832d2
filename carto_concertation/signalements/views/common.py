# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the residents' pages share: the API's limits on their forms, the space that holds
the reports, a service's ValidationError put under the form's fields."""

from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse

from carto_concertation.core.modules import MapSpace, space_public
from carto_concertation.core.throttles import page_throttled, too_many
from carto_concertation.signalements import MODULE

from ..api.throttles import FILING_THROTTLES


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
    return page_throttled(request, "signalement_follow")


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
