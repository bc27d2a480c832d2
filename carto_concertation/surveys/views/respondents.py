# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who is answering, read from the request the same way by the pages and the API: the
account signed in, the device's cookie (set on the first answer), or the one-time link
opened in this session."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from ..models import Questionnaire
from ..services.answers import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_AGE,
    Respondent,
    device_token_new,
    respondent_account,
    respondent_device,
    respondent_link,
)

Respondents = Questionnaire.Respondents


def link_session_key(questionnaire: Questionnaire) -> str:
    return f"surveys-link-{questionnaire.pk}"


def respondent_for(request: HttpRequest, questionnaire: Questionnaire) -> Respondent | None:
    """Who answers, as the questionnaire says (None: they must first sign in or open
    their link). A device without a token gets one (``request.new_device_token``)."""
    if questionnaire.respondents == Respondents.ACCOUNT:
        return (
            respondent_account(questionnaire, request.user)
            if request.user.is_authenticated
            else None
        )
    if questionnaire.respondents == Respondents.DEVICE:
        token = request.COOKIES.get(DEVICE_COOKIE) or getattr(request, "new_device_token", None)
        if not token:
            token = request.new_device_token = device_token_new()
        return respondent_device(questionnaire, token)
    token = request.session.get(link_session_key(questionnaire))
    if not token:
        return None
    try:
        return respondent_link(questionnaire, token)
    except ValidationError:
        return None


def with_device_cookie(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    token = getattr(request, "new_device_token", None)
    if token:
        response.set_cookie(
            DEVICE_COOKIE,
            token,
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response
