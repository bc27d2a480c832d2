# SPDX-License-Identifier: AGPL-3.0-or-later
"""The consultation's background work: the e-mail carrying a one-time link to answer."""

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .models import Questionnaire


@shared_task
def survey_link_mail(email: str, questionnaire_id: int, token: str) -> bool:
    """The one-time link to answer a questionnaire, to the address that asked for it (the
    address lives in this message alone: it is stored nowhere)."""
    questionnaire = Questionnaire.objects.filter(pk=questionnaire_id).first()
    if questionnaire is None:
        return False
    url = (
        settings.SITE_URL
        + reverse("surveys:answer", kwargs={"slug": questionnaire.slug})
        + "?"
        + urlencode({"lien": token})
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your link to answer “%(title)s”") % {"title": questionnaire.title}
        body = _(
            "You asked to answer the questionnaire “%(title)s”.\n\n"
            "Answer it by following this link; it serves one response only, keep it to "
            "resume a response saved for later:\n%(url)s\n\n"
            "If you did not ask for it, ignore this e-mail."
        ) % {"title": questionnaire.title, "url": url}
    EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
    ).send()
    return True
