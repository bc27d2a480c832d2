# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the consultation gives a person's account: "my questionnaires" (drafts to resume,
those answered), the organisers' link, "download my data" (their own responses, with what
they drew, and no one else's), and the deletion of the account (drafts go, answers stay
tied to nobody)."""

import json

import pytest
from django.contrib.gis.geos import LineString

from carto_concertation.accounts.models import Role
from carto_concertation.surveys.models import Answer, Response
from tests.accounts.my_data import my_data_files
from tests.factories import (
    AnswerChoiceFactory,
    AnswerFactory,
    AnswerFeatureFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
    SurveyPageFactory,
    UserFactory,
)
from tests.factories.accounts import user_with_role

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # UserFactory's


@pytest.fixture
def people():
    """Camille answered the Plan vélo (a choice, a point with its follow-up, a line) and
    started the Navette; Dominique answered the Plan vélo too."""
    camille = UserFactory(pseudonym="Camille")
    dominique = UserFactory(pseudonym="Dominique")
    plan = QuestionnaireFactory(title="Plan vélo", results_published=True)
    page = SurveyPageFactory(questionnaire=plan)
    mode = QuestionFactory(page=page, code="mode", choices=2)
    where = QuestionFactory(page=page, code="ou", kind="points", marker_choices=2)
    route = QuestionFactory(page=page, code="trajet", kind="line")
    mine = ResponseFactory(questionnaire=plan, user=camille, respondent_key="a" * 64)
    AnswerChoiceFactory(
        answer=AnswerFactory(response=mine, question=mode), choice=mode.choices.first()
    )
    AnswerFeatureFactory(
        answer=AnswerFactory(response=mine, question=where),
        marker_choice=where.choices.get(for_marker=True, position=1),
        comment="Carrefour sans visibilité",
    )
    centre = plan.territory.geom.point_on_surface
    AnswerFeatureFactory(
        answer=AnswerFactory(response=mine, question=route),
        geom=LineString(centre, (centre.x + 200, centre.y + 50), srid=centre.srid),
    )
    theirs = ResponseFactory(questionnaire=plan, user=dominique, respondent_key="d" * 64)
    AnswerFeatureFactory(
        answer=AnswerFactory(response=theirs, question=where), comment="Chez Dominique"
    )
    navette = QuestionnaireFactory(territory=plan.territory, title="Navette")
    draft = ResponseFactory(
        questionnaire=navette,
        user=camille,
        respondent_key="b" * 64,
        status=Response.Status.DRAFT,
        submitted_at=None,
    )
    AnswerFactory(
        response=draft,
        question=QuestionFactory(page=SurveyPageFactory(questionnaire=navette), kind="short_text"),
        text="à finir",
    )
    return {
        "camille": camille,
        "dominique": dominique,
        "plan": plan,
        "navette": navette,
        "mine": mine,
        "theirs": theirs,
        "draft": draft,
    }


def test_my_data_holds_my_answers_and_what_i_drew_and_no_one_else_s(client, people):
    client.force_login(people["camille"])
    files = my_data_files(client)
    records = files["survey_responses.json"]["survey_responses"]
    assert [(r["questionnaire"], r["status"]) for r in records] == [
        (people["plan"].slug, "submitted"),
        (people["navette"].slug, "draft"),
    ]
    answers = {answer["question"]: answer for answer in records[0]["answers"]}
    assert answers["mode"]["choices"] == [{"choice": "Choix 1"}]
    (marker,) = answers["ou"]["markers"]
    assert marker["follow_up"] == "Suite 2" and marker["comment"] == "Carrefour sans visibilité"
    assert records[1]["answers"][0]["text"] == "à finir"
    features = files["survey_responses.geojson"]["features"]
    assert sorted(f["geometry"]["type"] for f in features) == ["LineString", "Point"]
    assert {f["properties"]["question"] for f in features} == {"ou", "trajet"}
    lon, lat = next(f for f in features if f["geometry"]["type"] == "Point")["geometry"][
        "coordinates"
    ]
    # WGS84, within the questionnaire's territory (wherever the factories placed it).
    west, south, east, north = people["plan"].territory.geom.transform(4326, clone=True).extent
    assert west <= lon <= east and south <= lat <= north
    everything = json.dumps(files)
    assert "Chez Dominique" not in everything and "d" * 64 not in everything
    assert "a" * 64 not in everything, "the respondent key is no one's business"


def test_my_account_lists_my_draft_to_resume_and_my_answer(client, people):
    client.force_login(people["camille"])
    page = client.get("/accounts/", headers={"accept-language": "fr"}).content.decode()
    assert "Mes questionnaires" in page
    drafts = page[page.index('id="my-survey-drafts"') : page.index('id="my-survey-answers"')]
    assert f'href="/consultations/{people["navette"].slug}/"' in drafts
    answered = page[page.index('id="my-survey-answers"') :]
    assert "Plan vélo" in answered
    assert f'href="/consultations/{people["plan"].slug}/resultats/"' in answered
    assert 'href="/consultations/gestion/"' not in page


def test_a_draft_of_a_closed_questionnaire_is_not_offered_to_resume(client, people):
    navette = people["navette"]
    navette.closes_at = navette.opens_at + (navette.closes_at - navette.opens_at) / 1000
    navette.save()
    client.force_login(people["camille"])
    page = client.get("/accounts/").content.decode()
    assert 'id="my-survey-drafts"' not in page and 'id="my-survey-answers"' in page


def test_someone_who_never_answered_has_no_block(client):
    client.force_login(UserFactory())
    assert 'id="my-survey' not in client.get("/accounts/").content.decode()


def test_an_organiser_s_account_leads_to_their_questionnaires(client, people):
    client.force_login(user_with_role(Role.PLANNER, territory=people["plan"].territory))
    assert 'href="/consultations/gestion/"' in client.get("/accounts/").content.decode()


def test_deleting_my_account_drops_my_draft_and_keeps_my_answers_tied_to_nobody(client, people):
    client.force_login(people["camille"])
    assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302
    assert not Response.objects.filter(pk=people["draft"].pk).exists()
    kept = Response.objects.get(pk=people["mine"].pk)
    assert (kept.user, kept.respondent_key, kept.status) == (None, "", "submitted")
    assert Answer.objects.filter(response=kept).count() == 3
    theirs = Response.objects.get(pk=people["theirs"].pk)
    assert (theirs.user, theirs.respondent_key) == (people["dominique"], "d" * 64)
