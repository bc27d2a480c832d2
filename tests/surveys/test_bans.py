# SPDX-License-Identifier: AGPL-3.0-or-later
"""A response submitted by an account the moderators banned from the questionnaire's
territory is kept (its respondent finds it on their account page and in their data) and
the answer says nothing of the ban; it counts for nobody else: not in the results (API,
pages, results per zone), not among the texts to moderate, not in the organisers' export.
Once the ban is lifted, a new response counts."""

import pytest
from django.db.models import Sum

from carto_concertation.accounts.models import Role
from carto_concertation.engagement.services import ban_create, ban_lift
from carto_concertation.surveys.models import Answer, AnswerFeature, Response, ZoneResult
from carto_concertation.surveys.models.responses import TextModeration
from tests.factories import TerritoryFactory, UserFactory
from tests.factories.accounts import user_with_role
from tests.factories.plui_documents import zoned_plui

from .answers_world import full_payload, make_questionnaire

pytestmark = pytest.mark.django_db

BANNED_TEXT, PLAIN_TEXT = "Texte du compte banni", "Texte d’un habitant"


@pytest.fixture
def world():
    territory = TerritoryFactory(communes=2)
    questionnaire, questions = make_questionnaire(
        territory=territory, zoning_document=zoned_plui(territory)
    )
    moderator = user_with_role(Role.MODERATOR, territory=territory)
    return questionnaire, questions, moderator


def submit(client, world, person, text: str):
    questionnaire, questions, _moderator = world
    client.force_login(person)
    payload = {**full_payload(questionnaire, questions), "short_text": text}
    return client.post(
        f"/api/v1/surveys/questionnaires/{questionnaire.slug}/submit",
        {"answers": payload},
        content_type="application/json",
    )


def banned_person(world):
    questionnaire, _questions, moderator = world
    person = UserFactory(pseudonym="Importun")
    ban = ban_create(
        territory=questionnaire.territory,
        user=person,
        reason="Insultes",
        ends_at=None,
        banned_by=moderator,
    )
    return person, ban


def publish_everything(questionnaire) -> None:
    questionnaire.results_published, questionnaire.results_summary = True, "Merci."
    questionnaire.save()
    Answer.objects.update(text_moderation=TextModeration.PUBLISHED)
    AnswerFeature.objects.update(comment_moderation=TextModeration.PUBLISHED)


def markers_per_zone(questionnaire) -> int | None:
    return ZoneResult.objects.filter(questionnaire=questionnaire).aggregate(n=Sum("markers"))["n"]


def test_a_banned_accounts_response_is_kept_and_counted_for_nobody_else(client, world):
    questionnaire, _questions, moderator = world
    assert submit(client, world, UserFactory(), PLAIN_TEXT).status_code == 200
    zones_before = markers_per_zone(questionnaire)
    assert zones_before
    person, _ban = banned_person(world)
    answered = submit(client, world, person, BANNED_TEXT)
    # Answered as anyone: the same status and body as a counted response.
    assert answered.status_code == 200 and answered.json()["status"] == "submitted"
    mine = Response.objects.get(user=person)
    assert (mine.status, mine.counted) == ("submitted", False)
    publish_everything(questionnaire)

    results = client.get(f"/api/v1/surveys/questionnaires/{questionnaire.slug}/results").json()
    assert results["responses"] == 1
    [short] = [q for q in results["questions"] if q["code"] == "short_text"]
    assert short["texts"] == [PLAIN_TEXT] and short["answered"] == 1
    [single] = [q for q in results["questions"] if q["code"] == "single"]
    assert single["answered"] == 1
    page = client.get(f"/consultations/{questionnaire.slug}/resultats/").content.decode()
    assert PLAIN_TEXT in page and BANNED_TEXT not in page
    assert markers_per_zone(questionnaire) == zones_before

    client.force_login(moderator)
    texts = client.get(f"/consultations/gestion/{questionnaire.slug}/textes/").content.decode()
    assert BANNED_TEXT not in texts and "habitant" in texts
    client.force_login(user_with_role(Role.PLANNER, territory=questionnaire.territory))
    export = client.get(f"/api/v1/surveys/questionnaires/{questionnaire.slug}/export.csv")
    exported = b"".join(export.streaming_content if export.streaming else [export.content])
    assert export.status_code == 200
    assert BANNED_TEXT.encode() not in exported and PLAIN_TEXT.encode() in exported

    # The person finds their answer as anyone would.
    client.force_login(person)
    account = client.get("/accounts/", headers={"accept-language": "fr"}).content.decode()
    assert questionnaire.title in account[account.index('id="my-survey-answers"') :]


def test_a_lifted_ban_lets_a_new_response_count(client, world):
    questionnaire, _questions, moderator = world
    person, ban = banned_person(world)
    ban_lift(ban=ban, lifted_by=moderator)
    assert submit(client, world, person, PLAIN_TEXT).status_code == 200
    assert Response.objects.get(user=person).counted is True
    publish_everything(questionnaire)
    results = client.get(f"/api/v1/surveys/questionnaires/{questionnaire.slug}/results").json()
    assert results["responses"] == 1


def test_a_ban_elsewhere_changes_nothing_here(client, world):
    person = UserFactory()
    ban_create(
        territory=TerritoryFactory(),
        user=person,
        reason="Ailleurs",
        ends_at=None,
        banned_by=user_with_role(Role.MODERATOR, territory=TerritoryFactory()),
    )
    assert submit(client, world, person, PLAIN_TEXT).status_code == 200
    assert Response.objects.get(user=person).counted is True
