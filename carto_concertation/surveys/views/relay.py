# SPDX-License-Identifier: AGPL-3.0-or-later
"""The relays' pages, in French, working without JavaScript: the questionnaires a relay
may type answers into (``saisie/``), and one form holding every question of one
(``saisie/<slug>/``) with the channel (paper, workshop) and the day the answers were
given. The form carries a key made on the server: sending it twice (a double click, a
slow network, the offline script syncing it later) records one response. The questions
are the answering part's fields (answer_forms); the writes go through services.relay."""

import datetime
import uuid
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.static import serve

from carto_concertation.core.throttles import page_throttled

from ..models import Questionnaire, Response
from ..selectors.questionnaires import questionnaire_pages
from ..selectors.relay import questionnaire_for_relay, questionnaires_for_relay
from ..services.relay import RELAY_CHANNELS, Entry, EntryConflict, relay_entry_record
from .answer_forms import PageForm, places_of, question_rows

SCOPE = "workshop"
ENTRY_FIELDS = ("key", "channel", "answered_on")


@login_required
def relay_list_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("surveys.work"):
        raise PermissionDenied
    return render(
        request,
        "surveys/relay/list.html",
        {"questionnaires": questionnaires_for_relay(request.user)},
    )


def _entry(request: HttpRequest, answers: dict) -> tuple[Entry | None, dict[str, str]]:
    """The posted entry, or the errors of its own fields (key, channel, day)."""
    errors = {}
    try:
        key = uuid.UUID(request.POST.get("key", ""))
    except ValueError:
        key = None
        errors["key"] = _("This form has lost its key: reload the page.")
    channel = request.POST.get("channel", "")
    if channel not in RELAY_CHANNELS:
        errors["channel"] = _("Say whether the answers were given on paper or in a workshop.")
    try:
        answered_on = datetime.date.fromisoformat(request.POST.get("answered_on", ""))
    except ValueError:
        answered_on = None
        errors["answered_on"] = _("Enter the day the answers were given.")
    if errors:
        return None, errors
    return Entry(key=key, channel=channel, answered_on=answered_on, answers=answers), {}


@login_required
def relay_entry_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The form of one entry; on success, a fresh form (a new key) saying what was done."""
    questionnaire = questionnaire_for_relay(request.user, slug)
    pages = questionnaire_pages(questionnaire)
    questions = [q for page in pages for q in page.questions.all()]
    errors: dict[str, str] = {}
    values: dict = {}
    status = 200
    posted = None
    fields = {
        "key": str(uuid.uuid4()),
        "channel": Response.Channel.PAPER,
        "answered_on": timezone.localdate().isoformat(),
    }
    if request.method == "POST":
        if refused := page_throttled(request, SCOPE):
            return refused
        posted = request.POST
        fields = {name: request.POST.get(name, "") for name in ENTRY_FIELDS}
        form = PageForm(questions, request.POST, lambda: places_of(questionnaire))
        values = form.values()
        entry, errors = _entry(request, values)
        errors |= form.errors
        if not errors:
            outcome = _record(request, questionnaire, entry)
            if isinstance(outcome, HttpResponse):
                return outcome
            errors, status = outcome
            if status == 409:
                # Kept aside: sending this form again records it as an entry of its own.
                fields["key"] = str(uuid.uuid4())
        else:
            status = 400
    codes = {q.code for q in questions}
    rows = question_rows(questionnaire, questions, values, errors, posted)
    by_page = [(page, [r for r in rows if r.question.page_id == page.pk]) for page in pages]
    places = (
        places_of(questionnaire)
        if any(q.kind in ("points", "line", "area") for q in questions)
        else {}
    )
    return render(
        request,
        "surveys/relay/entry.html",
        {
            "questionnaire": questionnaire,
            "pages": by_page,
            "fields": fields,
            "channels": [(c.value, c.label) for c in RELAY_CHANNELS],
            "places": sorted(places.values(), key=lambda p: (p.key[0], p.label)),
            "strings": {
                "kept": _("No network: the entry is kept on this device and goes when it is back."),
                "refused": _("Entries refused by the server, kept aside:"),
                "sent": _("Entries sent."),
            },
            "entry_errors": {k: v for k, v in errors.items() if k.split(".")[0] not in codes},
        },
        status=status,
    )


def _record(request: HttpRequest, questionnaire: Questionnaire, entry: Entry):
    """Record the entry: a redirect to a fresh form when done, else the errors and the
    status to show the form again with."""
    try:
        response, created = relay_entry_record(
            questionnaire=questionnaire, user=request.user, entry=entry
        )
    except EntryConflict as conflict:
        return {"key": str(conflict)}, 409
    except ValidationError as refusal:
        return {k: " ".join(v) for k, v in refusal.message_dict.items()}, 400
    if created:
        messages.success(request, _("Entry recorded (response n° %(n)s).") % {"n": response.pk})
    else:
        messages.info(
            request, _("This entry was already recorded (response n° %(n)s).") % {"n": response.pk}
        )
    url = reverse("surveys:relay-entry", kwargs={"slug": questionnaire.slug})
    return redirect(f"{url}?fait={entry.key}")


@cache_control(no_cache=True)
def relay_service_worker(request: HttpRequest) -> HttpResponse:
    """The workshops' service worker (network first, the kept copy without network),
    served under /consultations/saisie/ so that its scope covers the relays' pages."""
    found = finders.find("workshops/capture-sw.js")
    if found is None:
        raise Http404
    path = Path(found)
    return serve(request, path.name, document_root=path.parent)
