# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who answers, as far as "one answer per person" needs to know: a keyed hash of the
account, of the one-time link's e-mail address or of the device's token, under a key
derived from SECRET_KEY for this alone. Neither the address nor the token is stored."""

import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from ...models import Questionnaire, ResponseLink

# Ours alone: the keys derived from SECRET_KEY under these serve nothing else.
RESPONDENT_SALT = "carto_concertation.surveys.respondent_key"
LINK_SALT = "carto_concertation.surveys.one_time_link"
# The device's token: one random value per browser, a year long, for every questionnaire.
DEVICE_COOKIE = "surveys_device"
DEVICE_COOKIE_AGE = 365 * 86400


@dataclass(frozen=True)
class Respondent:
    """The person answering: ``key`` for the response, ``user`` when signed in, ``link``
    when they came through a one-time link."""

    key: str
    user: object = None
    link: ResponseLink | None = None


def _keyed(value: str) -> str:
    return salted_hmac(RESPONDENT_SALT, value, algorithm="sha256").hexdigest()


def respondent_account(questionnaire: Questionnaire, user) -> Respondent:
    return Respondent(key=_keyed(f"{questionnaire.pk}:account:{user.pk}"), user=user)


def device_token_new() -> str:
    return secrets.token_urlsafe(32)


def respondent_device(questionnaire: Questionnaire, token: str) -> Respondent:
    return Respondent(key=_keyed(f"{questionnaire.pk}:device:{token}"))


def email_key(questionnaire: Questionnaire, email: str) -> str:
    """The keyed hash of an address, lowercased: one link per address."""
    return _keyed(f"{questionnaire.pk}:email:{email.strip().lower()}")


def link_token(link: ResponseLink) -> str:
    return signing.dumps({"q": link.questionnaire_id, "l": link.pk}, salt=LINK_SALT)


def respondent_link(questionnaire: Questionnaire, token: str) -> Respondent:
    """The respondent of a one-time link, while it has not served to submit; the link is
    refused under ``link`` otherwise."""
    try:
        data = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature as error:
        raise ValidationError({"link": _("This link is not valid.")}) from error
    link = None
    if isinstance(data, dict) and data.get("q") == questionnaire.pk:
        link = ResponseLink.objects.filter(questionnaire=questionnaire, pk=data.get("l")).first()
    if link is None:
        raise ValidationError({"link": _("This link is not valid.")})
    if link.used_at is not None:
        raise ValidationError({"link": _("This link has already been used to answer.")})
    return Respondent(key=link.email_key, link=link)
