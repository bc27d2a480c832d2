# SPDX-License-Identifier: AGPL-3.0-or-later
"""The relays' pages without JavaScript (the Django test client): the list of the
questionnaires to type in, one entry's form posted once and twice (one response), a bad
answer shown again with its reason and nothing written, residents refused."""

import re

import pytest
from django.utils import timezone

from carto_concertation.surveys.models import AnswerFeature, Response
from tests.factories import UserFactory

from .relay_world import first_choice, relay_of, relay_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def questionnaire():
    return relay_world(title="Plan vélo")


@pytest.fixture
def relay(client, questionnaire):
    user = relay_of(questionnaire)
    client.force_login(user)
    return user


def form_of(client, questionnaire) -> dict:
    page = client.get(f"/consultations/saisie/{questionnaire.slug}/")
    assert page.status_code == 200
    key = re.search(r'name="key" value="([0-9a-f-]{36})"', page.content.decode()).group(1)
    return {
        "key": key,
        "channel": "workshop",
        "answered_on": timezone.localdate().isoformat(),
        "mode": str(first_choice(questionnaire, "mode")),
        "lieux-geojson": "",
        "lieux-list": "1",
        "lieux-place-0": f"c{questionnaire.territory.communes.first().pk}",
        "lieux-choice-0": str(first_choice(questionnaire, "lieux", for_marker=True)),
        "lieux-comment-0": "Rond-point <script>alert(1)</script> à éviter",
    }


def test_the_list_shows_the_questionnaires_a_relay_types_in(client, questionnaire, relay):
    relay_world(title="Ailleurs")  # another territory's
    page = client.get("/consultations/saisie/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Plan vélo" in text and "Ailleurs" not in text
    assert f"/consultations/saisie/{questionnaire.slug}/" in text


def test_an_entry_posted_twice_makes_one_response(client, questionnaire, relay):
    data = form_of(client, questionnaire)
    first = client.post(f"/consultations/saisie/{questionnaire.slug}/", data, follow=True)
    assert first.status_code == 200
    assert "Saisie enregistrée" in first.content.decode()
    again = client.post(f"/consultations/saisie/{questionnaire.slug}/", data, follow=True)
    assert "déjà enregistrée" in again.content.decode()
    [response] = Response.objects.all()
    assert response.channel == Response.Channel.WORKSHOP and response.entered_by == relay
    marker = AnswerFeature.objects.get()
    assert marker.comment == "Rond-point <script>alert(1)</script> à éviter"
    assert marker.geom is not None
    # The fresh form has a new key.
    assert form_of(client, questionnaire)["key"] != data["key"]


def test_a_bad_answer_shows_the_form_again_and_writes_nothing(client, questionnaire, relay):
    data = form_of(client, questionnaire) | {"mode": ""}
    refused = client.post(f"/consultations/saisie/{questionnaire.slug}/", data)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert 'id="mode-errors"' in text
    assert f'value="{data["key"]}"' in text
    assert "Rond-point &lt;script&gt;alert(1)&lt;/script&gt; à éviter" in text
    assert not Response.objects.exists()


def test_a_resident_is_refused(client, questionnaire):
    client.force_login(UserFactory())
    assert client.get("/consultations/saisie/").status_code == 403
    assert client.get(f"/consultations/saisie/{questionnaire.slug}/").status_code == 403
    assert client.post(f"/consultations/saisie/{questionnaire.slug}/", {}).status_code == 403
    assert not Response.objects.exists()


def test_the_same_key_with_other_answers_is_kept_aside_under_a_new_key(
    client, questionnaire, relay
):
    data = form_of(client, questionnaire)
    client.post(f"/consultations/saisie/{questionnaire.slug}/", data)
    changed = data | {"lieux-comment-0": "Autre chose"}
    refused = client.post(f"/consultations/saisie/{questionnaire.slug}/", changed)
    assert refused.status_code == 409
    text = refused.content.decode()
    assert data["key"] in text and "autres réponses" in text
    assert f'name="key" value="{data["key"]}"' not in text
    assert Response.objects.count() == 1


def test_a_draft_questionnaire_is_not_found(client, relay):
    draft = relay_world(is_published=False)
    client.force_login(relay_of(draft))
    assert client.get(f"/consultations/saisie/{draft.slug}/").status_code == 404
    assert client.get("/consultations/saisie/absent/").status_code == 404
