# SPDX-License-Identifier: AGPL-3.0-or-later
"""Saving a draft and submitting a response, one transaction each, and asking for a
one-time link. Two writes of the same person queue on an advisory lock on (questionnaire,
respondent key), and the unique constraint on that pair stands behind it: two parallel
submissions make one response, the other is refused (``AlreadyAnswered``)."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.engagement.selectors import account_banned

from ...models import Answer, AnswerChoice, AnswerFeature, Questionnaire, Response, ResponseLink
from ...selectors.questionnaires import questionnaire_open
from ...tasks import survey_link_mail
from .respondents import Respondent, email_key, link_token
from .validation import CleanAnswer, answers_check


class NotOpen(ValidationError):
    """The questionnaire takes no answers now (the API answers 409)."""


class AlreadyAnswered(ValidationError):
    """This person has already submitted their response (the API answers 409)."""


def _open_check(questionnaire: Questionnaire) -> None:
    if questionnaire_open(questionnaire):
        return
    if questionnaire.is_published and timezone.now() < questionnaire.opens_at:
        raise NotOpen({"questionnaire": _("This questionnaire is not open yet.")})
    raise NotOpen({"questionnaire": _("This questionnaire is closed: it takes no answers.")})


def _already() -> AlreadyAnswered:
    return AlreadyAnswered({"respondent": _("You have already answered this questionnaire.")})


def _locked_response(questionnaire: Questionnaire, respondent: Respondent) -> Response | None:
    """This person's response, after waiting for any other write of theirs to end."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [questionnaire.pk, respondent.key]
        )
    response = (
        Response.objects.select_for_update()
        .filter(questionnaire=questionnaire, respondent_key=respondent.key)
        .first()
    )
    if response is not None and response.status == Response.Status.SUBMITTED:
        raise _already()
    return response


def _response_create(questionnaire: Questionnaire, respondent: Respondent, **fields) -> Response:
    try:
        with transaction.atomic():
            return Response.objects.create(
                questionnaire=questionnaire,
                respondent_key=respondent.key,
                user=respondent.user,
                **fields,
            )
    except IntegrityError as error:
        raise _already() from error


def answers_write(response: Response, clean: dict[str, CleanAnswer]) -> None:
    """The response's answers become exactly ``clean``."""
    response.answers.all().delete()
    for checked in clean.values():
        answer = Answer.objects.create(
            response=response,
            question=checked.question,
            text=checked.text,
            number=checked.number,
            date=checked.date,
        )
        AnswerChoice.objects.bulk_create(
            AnswerChoice(answer=answer, choice=choice, rank=rank)
            for choice, rank in checked.choices
        )
        AnswerFeature.objects.bulk_create(
            AnswerFeature(
                answer=answer,
                position=index,
                geom=feature.geom,
                zone=feature.zone,
                commune=feature.commune,
                marker_choice=feature.choice,
                comment=feature.comment,
            )
            for index, feature in enumerate(checked.features)
        )


@transaction.atomic
def response_draft_save(
    *,
    questionnaire: Questionnaire,
    respondent: Respondent,
    payload: dict,
    current_page: int = 0,
    required_pages: tuple[int, ...] = (),
) -> Response:
    """Save the answers given so far as this person's draft, to resume on page
    ``current_page``; the answers are checked as at submission, their required-ness only
    on ``required_pages``."""
    _open_check(questionnaire)
    clean = answers_check(questionnaire, payload, required_pages=required_pages)
    response = _locked_response(questionnaire, respondent)
    if response is None:
        response = _response_create(questionnaire, respondent, current_page=current_page)
    else:
        response.current_page = current_page
        response.save(update_fields=["current_page", "updated_at"])
    answers_write(response, clean)
    return response


@transaction.atomic
def response_submit(
    *, questionnaire: Questionnaire, respondent: Respondent, payload: dict
) -> Response:
    """Submit this person's response (their draft, if any, becomes it): the whole payload
    checked, required answers required. A one-time link is spent by it."""
    _open_check(questionnaire)
    clean = answers_check(questionnaire, payload)
    response = _locked_response(questionnaire, respondent)
    if respondent.link is not None:
        link = ResponseLink.objects.select_for_update().get(pk=respondent.link.pk)
        if link.used_at is not None:
            raise _already()
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    now = timezone.now()
    # A banned account is answered as anyone; its response is kept, out of the results.
    counted = not account_banned(user=respondent.user, territory_id=questionnaire.territory_id)
    if response is None:
        response = _response_create(
            questionnaire,
            respondent,
            status=Response.Status.SUBMITTED,
            submitted_at=now,
            counted=counted,
        )
    else:
        response.status, response.submitted_at, response.counted = (
            Response.Status.SUBMITTED,
            now,
            counted,
        )
        response.save(update_fields=["status", "submitted_at", "counted", "updated_at"])
    answers_write(response, clean)
    return response


@transaction.atomic
def link_request(*, questionnaire: Questionnaire, email: str) -> bool:
    """Send a one-time link to answer to ``email`` (the same link again while it has not
    served). Whether the address has answered is never said: ``False`` (no mail) then,
    answered the same way as a mail sent."""
    if questionnaire.respondents != Questionnaire.Respondents.EMAIL_LINK:
        raise ValidationError({"email": _("This questionnaire is not answered by e-mail link.")})
    _open_check(questionnaire)
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from error
    key = email_key(questionnaire, email)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [questionnaire.pk, key])
    link, _created = ResponseLink.objects.get_or_create(questionnaire=questionnaire, email_key=key)
    if link.used_at is not None:
        return False
    token = link_token(link)
    transaction.on_commit(lambda: survey_link_mail.delay(email, questionnaire.pk, token))
    return True
