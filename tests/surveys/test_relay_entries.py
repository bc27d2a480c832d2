# SPDX-License-Identifier: AGPL-3.0-or-later
"""Relays' entries (services.relay and its API): a replay makes no twin, the same key
with other answers is a conflict, parallel syncs make one response, the channel and the
relay are recorded, residents are refused, a bad entry of a batch writes nothing and the
others are kept."""

import threading
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from carto_concertation.surveys.models import Answer, AnswerFeature, Response
from carto_concertation.surveys.services.relay import Entry, relay_entry_record
from tests.factories import UserFactory

from .relay_world import answers, entries_url, entry_body, relay_of, relay_world


@pytest.fixture
def questionnaire(db):
    return relay_world()


@pytest.fixture
def relay(client, questionnaire):
    user = relay_of(questionnaire)
    client.force_login(user)
    return user


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_an_entry_is_recorded_once_with_its_channel_and_relay(client, questionnaire, relay):
    body = entry_body(questionnaire, channel="workshop")
    first = post(client, entries_url(questionnaire), body)
    assert first.status_code == 201, first.json()
    again = post(client, entries_url(questionnaire), body)
    assert again.status_code == 200
    assert again.json()["response"] == first.json()["response"]
    assert again.json()["created"] is False
    [response] = Response.objects.filter(questionnaire=questionnaire)
    assert response.channel == Response.Channel.WORKSHOP
    assert response.entered_by == relay
    assert response.respondent_key == "" and response.user is None
    assert response.status == Response.Status.SUBMITTED
    assert str(response.key) == body["key"]
    assert len(response.payload_hash) == 64
    marker = AnswerFeature.objects.get(answer__response=response)
    assert marker.comment == "Carrefour dangereux"
    assert Answer.objects.filter(response=response).count() == 2


def test_the_same_key_with_other_answers_is_a_conflict_naming_the_key(client, questionnaire, relay):
    body = entry_body(questionnaire)
    assert post(client, entries_url(questionnaire), body).status_code == 201
    other = body | {"answers": answers(questionnaire, comment="Autre chose")}
    refused = post(client, entries_url(questionnaire), other)
    assert refused.status_code == 409
    assert body["key"] in refused.json()["key"][0]
    assert Response.objects.filter(questionnaire=questionnaire).count() == 1
    assert AnswerFeature.objects.get().comment == "Carrefour dangereux"


def test_a_resident_is_refused(client, questionnaire):
    client.force_login(UserFactory())
    refused = post(client, entries_url(questionnaire), entry_body(questionnaire))
    assert refused.status_code == 403
    batch = post(
        client, entries_url(questionnaire, "/sync"), {"entries": [entry_body(questionnaire)]}
    )
    assert batch.status_code == 403
    assert not Response.objects.exists()


def test_a_relay_of_another_territory_is_refused(client, questionnaire):
    client.force_login(relay_of(relay_world()))
    assert post(client, entries_url(questionnaire), entry_body(questionnaire)).status_code == 403
    assert not Response.objects.exists()


def test_online_channel_and_bad_answers_are_refused_by_field(client, questionnaire, relay):
    online = post(client, entries_url(questionnaire), entry_body(questionnaire, channel="online"))
    assert online.status_code == 400 and "channel" in online.json()
    bad = entry_body(questionnaire)
    bad["answers"]["mode"] = 999999
    refused = post(client, entries_url(questionnaire), bad)
    assert refused.status_code == 400
    assert "answers.mode" in refused.json()
    missing = entry_body(questionnaire, answers={})
    assert "answers.mode" in post(client, entries_url(questionnaire), missing).json()
    assert not Response.objects.exists()


def test_the_day_must_fall_within_the_questionnaire_s_dates(client, questionnaire, relay):
    before = timezone.localdate(questionnaire.opens_at) - timedelta(days=1)
    refused = post(
        client, entries_url(questionnaire), entry_body(questionnaire, answered_on=str(before))
    )
    assert refused.status_code == 400 and "answered_on" in refused.json()
    tomorrow = timezone.localdate() + timedelta(days=1)
    refused = post(
        client, entries_url(questionnaire), entry_body(questionnaire, answered_on=str(tomorrow))
    )
    assert refused.status_code == 400 and "answered_on" in refused.json()
    assert not Response.objects.exists()


def test_entries_sync_within_the_grace_after_closing_not_later(
    client, questionnaire, relay, settings
):
    questionnaire.closes_at = timezone.now() - timedelta(hours=1)
    questionnaire.save()
    # Its closing day, in the platform's time zone: an hour ago may be yesterday there
    # (from 23:00 UTC in Paris, today's date is already tomorrow's).
    answered_on = timezone.localdate(questionnaire.closes_at)
    settings.WORKSHOP_CAPTURE_GRACE_DAYS = 14
    late = entry_body(questionnaire, answered_on=str(answered_on))
    kept = post(client, entries_url(questionnaire), late)
    assert kept.status_code == 201, kept.json()
    response = Response.objects.get()
    assert response.submitted_at < questionnaire.closes_at
    questionnaire.closes_at = timezone.now() - timedelta(days=15)
    questionnaire.opens_at = questionnaire.closes_at - timedelta(days=30)
    questionnaire.save()
    too_late = post(client, entries_url(questionnaire), entry_body(questionnaire))
    assert too_late.status_code == 400 and "questionnaire" in too_late.json()
    # A replay of what was synced in time still finds its response.
    assert post(client, entries_url(questionnaire), late).status_code == 200
    assert Response.objects.count() == 1


def test_a_batch_answers_each_entry_and_keeps_the_good_ones(client, questionnaire, relay):
    good = entry_body(questionnaire)
    bad = entry_body(questionnaire)
    bad["answers"]["lieux"]["features"][0]["geometry"] = {
        "type": "Point",
        "coordinates": [-150.0, 10.0],
    }
    malformed = {"key": "pas-une-clé", "channel": "paper", "answered_on": "hier", "answers": {}}
    url = entries_url(questionnaire, "/sync")
    first = post(client, url, {"entries": [good, bad, malformed]})
    assert first.status_code == 200
    results = first.json()["results"]
    assert [r["status"] for r in results] == ["created", "error", "error"]
    assert [e["field"] for e in results[1]["errors"]] == ["answers.lieux.0"]
    assert {e["field"] for e in results[2]["errors"]} == {"key", "answered_on"}
    assert Response.objects.count() == 1
    assert not Response.objects.filter(key=bad["key"]).exists()
    conflicting = good | {"answers": answers(questionnaire, comment="Autre")}
    second = post(client, url, {"entries": [good, conflicting]}).json()["results"]
    assert [r["status"] for r in second] == ["already", "conflict"]
    assert second[0]["response"] == results[0]["response"]
    assert Response.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_syncs_of_one_entry_make_one_response():
    questionnaire = relay_world()
    relay = relay_of(questionnaire)
    entry = Entry(
        key=uuid.uuid4(),
        channel=Response.Channel.PAPER,
        answered_on=timezone.localdate(),
        answers=answers(questionnaire),
    )
    barrier = threading.Barrier(4)
    outcomes, errors = [], []

    def sync() -> None:
        try:
            barrier.wait()
            response, created = relay_entry_record(
                questionnaire=questionnaire, user=relay, entry=entry
            )
            outcomes.append((response.pk, created))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sync) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(created for _, created in outcomes) == [False, False, False, True]
    assert len({pk for pk, _ in outcomes}) == 1
    assert Response.objects.filter(questionnaire=questionnaire).count() == 1
