# SPDX-License-Identifier: AGPL-3.0-or-later
"""One response per person, for each way of holding it (account, one-time link, device),
under parallel submissions in separate database connections: exactly one response, the
other submission refused naming ``respondent``; and the one-time link's flow by e-mail."""

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import unquote

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from carto_concertation.surveys.models import Answer, Response, ResponseLink
from carto_concertation.surveys.services.answers import (
    AlreadyAnswered,
    link_request,
    respondent_account,
    respondent_device,
    respondent_link,
    response_submit,
)
from carto_concertation.surveys.services.answers.respondents import link_token
from tests.accounts.test_notifications import worker_mails
from tests.factories import UserFactory

from .answers_world import full_payload, make_questionnaire


def in_parallel(calls) -> list:
    """Each call in its own thread and database connection, released together."""
    start = threading.Barrier(len(calls))

    def one(call):
        try:
            start.wait()
            return call()
        except ValidationError as refusal:
            return refusal
        finally:
            connection.close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(one, calls))


def _respondents(mode, questionnaire):
    """The same person twice, as each mode knows them."""
    if mode == "account":
        user = UserFactory()
        return [respondent_account(questionnaire, user)] * 2
    if mode == "device":
        return [respondent_device(questionnaire, "un-jeton-d-appareil")] * 2
    link = ResponseLink.objects.create(questionnaire=questionnaire, email_key="f" * 64)
    # Each submission reads the link itself, as two tabs opened on it would.
    return [respondent_link(questionnaire, link_token(link)) for _ in range(2)]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("mode", ["account", "email_link", "device"])
def test_two_parallel_submissions_make_one_response(mode):
    questionnaire, questions = make_questionnaire(respondents=mode)
    payload = full_payload(questionnaire, questions)
    respondents = _respondents(mode, questionnaire)
    results = in_parallel(
        [
            lambda who=who: (
                response_submit(questionnaire=questionnaire, respondent=who, payload=payload).pk
            )
            for who in respondents
        ]
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert isinstance(refused[0], AlreadyAnswered)
    assert "respondent" in refused[0].message_dict
    assert Response.objects.count() == 1
    assert Answer.objects.count() == len(payload)


@pytest.mark.django_db(transaction=True)
def test_two_people_at_once_make_two_responses():
    questionnaire, questions = make_questionnaire(respondents="device")
    payload = full_payload(questionnaire, questions)
    results = in_parallel(
        [
            lambda n=n: (
                response_submit(
                    questionnaire=questionnaire,
                    respondent=respondent_device(questionnaire, f"appareil-{n}"),
                    payload=payload,
                ).pk
            )
            for n in range(4)
        ]
    )
    assert len(set(results)) == 4


@pytest.mark.django_db
def test_the_one_time_link_by_e_mail(
    client, mailoutbox, eager_tasks, django_capture_on_commit_callbacks
):
    questionnaire, _questions = make_questionnaire(respondents="email_link")
    presentation = f"/consultations/{questionnaire.slug}/"
    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post(presentation, {"email": "Habitante@Example.org"})
    assert asked.status_code == 302
    [mail] = mailoutbox
    assert mail.to == ["Habitante@Example.org"]
    link = ResponseLink.objects.get()
    # The address is nowhere in the database, only its keyed hash.
    assert "example.org" not in link.email_key.lower() and len(link.email_key) == 64
    url = re.search(r"https?://\S+", mail.body).group(0)
    path = url.split("://", 1)[1].split("/", 1)[1]
    opened = client.get("/" + path)
    assert opened.status_code == 302 and opened["Location"].endswith("/repondre/")
    assert client.get(opened["Location"]).status_code == 200
    # Asking again with the same address (another case): the same link, never a second.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(presentation, {"email": "habitante@example.org"})
    assert ResponseLink.objects.count() == 1 and len(mailoutbox) == 2
    # The link serves one submission (here through the pages), then no more.
    page = questionnaire.pages.get().position
    done = client.post(opened["Location"], {"page": page, "action": "submit"})
    assert done.status_code == 302 and done["Location"].endswith("/merci/")
    assert Response.objects.get().respondent_key == link.email_key
    assert 'id="survey-answered"' in client.get(presentation).content.decode()
    spent = client.get("/" + path, follow=True)
    assert "Ce lien a déjà servi à répondre." in spent.content.decode()
    with pytest.raises(ValidationError) as refused:
        respondent_link(questionnaire, link_token(link))
    assert "link" in refused.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        client.post(presentation, {"email": "habitante@example.org"})
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_a_bad_address_is_refused_by_field(client):
    questionnaire, _questions = make_questionnaire(respondents="email_link")
    refused = client.post(f"/consultations/{questionnaire.slug}/", {"email": "pas-une-adresse"})
    assert refused.status_code == 400
    assert "Saisissez une adresse électronique valide." in refused.content.decode()
    with pytest.raises(ValidationError) as error:
        link_request(questionnaire=questionnaire, email="")
    assert "email" in error.value.message_dict
    assert not ResponseLink.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_link_after_commit(celery_worker, worker_mail_dir):
    questionnaire, _questions = make_questionnaire(respondents="email_link")
    assert link_request(questionnaire=questionnaire, email="Atelier-Velo@example.org") is True
    deadline = time.monotonic() + 30
    while not (mails := worker_mails(worker_mail_dir, "Atelier-Velo@example.org")):
        assert time.monotonic() < deadline, "the worker sent nothing within 30 s"
        time.sleep(0.2)
    [mail] = mails
    assert questionnaire.title in mail["Subject"]
    url = re.search(r"https?://\S+", mail.get_content()).group(0)
    token = unquote(url.split("lien=", 1)[1])
    assert respondent_link(questionnaire, token).key == ResponseLink.objects.get().email_key
