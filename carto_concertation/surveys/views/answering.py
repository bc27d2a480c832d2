# SPDX-License-Identifier: AGPL-3.0-or-later
"""The residents' pages of a questionnaire, in French, each working without JavaScript:
its presentation (``<slug>/``: dates, who may answer and how one answer per person
holds, start or resume), the answering page by page (``<slug>/repondre/``: Previous,
Next, Save and finish later, Submit; the conditions read on the server) and the
confirmation. An organiser opening a draft questionnaire sees it as a preview: the
answers live in the session, nothing is saved. Writes go through the services."""

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from carto_concertation.core.throttles import page_throttled

from ..models import Questionnaire, Response
from ..selectors.answers import response_of, response_payload
from ..selectors.questionnaires import questionnaire_open, questionnaires_public
from ..services.answers import (
    DEVICE_COOKIE,
    AlreadyAnswered,
    NotOpen,
    Shape,
    answers_check,
    link_request,
    respondent_link,
    response_draft_save,
    response_submit,
    visible_pages,
)
from .answer_forms import PageForm, places_of, question_rows
from .respondents import link_session_key, respondent_for, with_device_cookie

Respondents = Questionnaire.Respondents
SCOPE = "survey_answer"


def questionnaire_for(request: HttpRequest, slug: str) -> tuple[Questionnaire, bool]:
    """The questionnaire and whether this is an organiser's preview of a draft."""
    questionnaire = questionnaires_public().filter(slug=slug).first()
    if questionnaire is not None:
        return questionnaire, False
    questionnaire = Questionnaire.objects.select_related("territory").filter(slug=slug).first()
    if questionnaire is None or not request.user.has_perm("surveys.organise", questionnaire):
        raise Http404
    return questionnaire, True


def questionnaire_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The presentation; for e-mail link questionnaires, the form asking for the link."""
    questionnaire, preview = questionnaire_for(request, slug)
    link_error = ""
    if request.method == "POST" and not preview:
        if refused := page_throttled(request, "survey_link"):
            return refused
        try:
            link_request(questionnaire=questionnaire, email=request.POST.get("email", ""))
        except ValidationError as error:
            link_error = " ".join(m for ms in error.message_dict.values() for m in ms)
        else:
            messages.info(
                request,
                _("If this address may still answer, a link to answer has been sent to it."),
            )
            return redirect("surveys:questionnaire", slug=questionnaire.slug)
    respondent = None
    if questionnaire.respondents != Respondents.DEVICE or DEVICE_COOKIE in request.COOKIES:
        respondent = respondent_for(request, questionnaire)
    response = response_of(questionnaire, respondent.key) if respondent else None
    return render(
        request,
        "surveys/answering/questionnaire.html",
        {
            "questionnaire": questionnaire,
            "preview": preview,
            "is_open": questionnaire_open(questionnaire),
            "response": response,
            # A spent one-time link no longer names its response: the session remembers.
            "answered": (response is not None and response.status == Response.Status.SUBMITTED)
            or request.session.get(_answered_key(questionnaire), False),
            "pages": Shape(questionnaire).pages,
            "link_error": link_error,
            "email": request.POST.get("email", "") if link_error else "",
        },
        status=400 if link_error else 200,
    )


def _answered_key(questionnaire: Questionnaire) -> str:
    return f"surveys-answered-{questionnaire.pk}"


def _preview_key(questionnaire: Questionnaire) -> str:
    return f"surveys-preview-{questionnaire.pk}"


def _stored(request, questionnaire, respondent, preview) -> tuple[dict, int, Response | None]:
    """The answers given so far, the page to resume on, and the draft."""
    if preview:
        kept = request.session.get(_preview_key(questionnaire), {})
        return kept.get("payload", {}), kept.get("page", 0), None
    response = response_of(questionnaire, respondent.key)
    if response is None:
        return {}, 0, None
    return response_payload(response), response.current_page, response


def _visible(shape: Shape, payload: dict) -> list:
    try:
        clean = answers_check(shape.questionnaire, payload, required_pages=(), shape=shape)
    except ValidationError:
        clean = {}
    return visible_pages(shape, clean)


def answer_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One page of the questionnaire, and its four actions."""
    questionnaire, preview = questionnaire_for(request, slug)
    if token := request.GET.get("lien"):
        try:
            respondent_link(questionnaire, token)
        except ValidationError as error:
            messages.error(request, error.message_dict["link"][0])
            return redirect("surveys:questionnaire", slug=questionnaire.slug)
        request.session[link_session_key(questionnaire)] = token
        return redirect("surveys:answer", slug=questionnaire.slug)
    respondent = None if preview else respondent_for(request, questionnaire)
    if not preview and respondent is None:
        if questionnaire.respondents == Respondents.ACCOUNT:
            return redirect_to_login(request.get_full_path())
        return redirect("surveys:questionnaire", slug=questionnaire.slug)
    if not preview and not questionnaire_open(questionnaire) and request.method != "POST":
        # A page sent after the closing is shown again with the service's reason.
        return redirect("surveys:questionnaire", slug=questionnaire.slug)
    payload, current, draft = _stored(request, questionnaire, respondent, preview)
    if draft is not None and draft.status == Response.Status.SUBMITTED:
        return redirect("surveys:answered", slug=questionnaire.slug)
    shape = Shape(questionnaire)
    pages = _visible(shape, payload)
    if not pages:
        raise Http404
    wanted = request.POST.get("page") or request.GET.get("page")
    positions = [p.position for p in pages]
    position = int(wanted) if wanted and wanted.isdigit() else current
    page = pages[positions.index(position)] if position in positions else pages[0]
    questions = list(page.questions.all())
    errors: dict[str, str] = {}
    status = 200
    posted = None
    if request.method == "POST":
        if not preview and (refused := page_throttled(request, SCOPE)):
            return refused
        posted = request.POST
        form = PageForm(questions, request.POST, lambda: places_of(questionnaire))
        page_codes = {q.code for q in questions}
        payload = {k: v for k, v in payload.items() if k not in page_codes} | form.values()
        action = request.POST.get("action", "next")
        outcome = None
        if form.errors:
            errors = form.errors
        else:
            outcome = _act(
                request, questionnaire, respondent, preview, shape, payload, page, action
            )
        if isinstance(outcome, HttpResponse):
            return with_device_cookie(request, outcome)
        if outcome is not None:
            errors, status = outcome
        else:
            status = 400
    rows = question_rows(questionnaire, questions, payload, errors, posted)
    places = (
        places_of(questionnaire)
        if any(q.kind in ("points", "line", "area") for q in questions)
        else {}
    )
    here = [p.position for p in _visible(shape, payload)] or positions
    index = here.index(page.position) if page.position in here else 0
    own_codes = {q.code for q in questions}
    # Refusals about other pages (a required answer a condition now asks for) or about
    # the whole (closed, already answered), listed above the form.
    other_errors = []
    for key, message in errors.items():
        code = key.split(".")[0]
        if code in own_codes:
            continue
        question = shape.questions.get(code)
        other_errors.append(
            {
                "label": question.label if question else "",
                "page": shape.page_of(question) if question else None,
                "message": message,
            }
        )
    response = render(
        request,
        "surveys/answering/page.html",
        {
            "questionnaire": questionnaire,
            "preview": preview,
            "page": page,
            "rows": rows,
            "places": sorted(places.values(), key=lambda p: (p.key[0], p.label)),
            "number": index + 1,
            "count": len(here),
            "first": index == 0,
            "last": index == len(here) - 1,
            "other_errors": other_errors,
        },
        status=status,
    )
    return with_device_cookie(request, response)


def _act(request, questionnaire, respondent, preview, shape, payload, page, action):
    """Do the action asked on a page: an HttpResponse (a redirect) when done, else the
    errors and the status to show the page again with."""
    pages = _visible(shape, payload)
    positions = [p.position for p in pages]
    index = positions.index(page.position) if page.position in positions else 0
    if action == "previous":
        target, required = positions[max(index - 1, 0)], ()
    elif action == "save":
        target, required = page.position, ()
    else:
        target, required = positions[min(index + 1, len(positions) - 1)], (page.position,)
    try:
        if action == "submit":
            if preview:
                answers_check(questionnaire, payload, shape=shape)
                request.session.pop(_preview_key(questionnaire), None)
                return redirect(
                    reverse("surveys:answered", kwargs={"slug": questionnaire.slug}) + "?apercu=1"
                )
            response_submit(questionnaire=questionnaire, respondent=respondent, payload=payload)
            request.session[_answered_key(questionnaire)] = True
            return redirect("surveys:answered", slug=questionnaire.slug)
        if preview:
            answers_check(questionnaire, payload, required_pages=required, shape=shape)
            request.session[_preview_key(questionnaire)] = {
                "payload": _jsonable(shape, payload),
                "page": target,
            }
        else:
            response_draft_save(
                questionnaire=questionnaire,
                respondent=respondent,
                payload=payload,
                current_page=target,
                required_pages=required,
            )
    except (NotOpen, AlreadyAnswered) as refusal:
        return {k: v[0] for k, v in refusal.message_dict.items()}, 409
    except ValidationError as refusal:
        return {k: v[0] for k, v in refusal.message_dict.items()}, 400
    if action == "save":
        messages.info(
            request,
            _("Your answers are saved: come back to this questionnaire to finish and submit them."),
        )
        return redirect("surveys:questionnaire", slug=questionnaire.slug)
    return redirect(
        reverse("surveys:answer", kwargs={"slug": questionnaire.slug}) + f"?page={target}"
    )


def _jsonable(shape: Shape, payload: dict) -> dict:
    """The preview's payload as the session keeps it: the map widget's GeoJSON, given as
    text (and already checked), read."""
    return {
        k: json.loads(v) if isinstance(v, str) and shape.questions[k].is_map else v
        for k, v in payload.items()
    }


def answered_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The confirmation, once submitted."""
    questionnaire, preview = questionnaire_for(request, slug)
    respondent = None if preview else respondent_for(request, questionnaire)
    response = response_of(questionnaire, respondent.key) if respondent else None
    submitted = (
        response is not None and response.status == Response.Status.SUBMITTED
    ) or request.session.get(_answered_key(questionnaire), False)
    if not submitted and not preview:
        return redirect("surveys:questionnaire", slug=questionnaire.slug)
    return render(
        request,
        "surveys/answering/answered.html",
        {"questionnaire": questionnaire, "preview": preview, "response": response},
    )
