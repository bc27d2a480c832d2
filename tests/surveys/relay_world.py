# SPDX-License-Identifier: AGPL-3.0-or-later
"""A questionnaire a relay types paper answers into: a required single choice ("mode")
and a points question ("lieux", at most 2, with follow-up choices); a relay of its
territory, and an entry to send."""

import json
import uuid

from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.services import role_grant
from carto_concertation.surveys.models import Question, Questionnaire
from tests.factories import UserFactory
from tests.factories.geometry import spot, wgs84
from tests.factories.surveys import QuestionFactory, QuestionnaireFactory, SurveyPageFactory


def relay_world(**fields) -> Questionnaire:
    questionnaire = QuestionnaireFactory(**fields)
    page = SurveyPageFactory(questionnaire=questionnaire, title="Vos déplacements")
    QuestionFactory(page=page, code="mode", kind=Question.Kind.SINGLE, required=True, choices=3)
    QuestionFactory(
        page=page,
        code="lieux",
        kind=Question.Kind.POINTS,
        max_count=2,
        marker_choices=2,
        marker_comment=True,
        label="Où vous sentez-vous en danger à vélo ?",
    )
    return questionnaire


def relay_of(questionnaire: Questionnaire):
    user = UserFactory()
    role_grant(
        user=user,
        role=Role.RELAY,
        territory=questionnaire.territory,
        communes=questionnaire.territory.communes.all(),
    )
    return user


def first_choice(questionnaire: Questionnaire, code: str, *, for_marker: bool = False) -> int:
    question = Question.objects.get(page__questionnaire=questionnaire, code=code)
    return question.choices.filter(for_marker=for_marker).order_by("position").first().pk


def point(questionnaire: Questionnaire, n: int = 0) -> dict:
    return json.loads(wgs84(spot(questionnaire.territory.geom, n)).geojson)


def answers(questionnaire: Questionnaire, *, comment: str = "Carrefour dangereux") -> dict:
    return {
        "mode": first_choice(questionnaire, "mode"),
        "lieux": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": point(questionnaire),
                    "properties": {
                        "choice": first_choice(questionnaire, "lieux", for_marker=True),
                        "comment": comment,
                    },
                }
            ],
        },
    }


def entry_body(questionnaire: Questionnaire, **changes) -> dict:
    body = {
        "key": str(uuid.uuid4()),
        "channel": "paper",
        "answered_on": timezone.localdate().isoformat(),
        "answers": answers(questionnaire),
    }
    return body | changes


def entries_url(questionnaire: Questionnaire, suffix: str = "") -> str:
    return f"/api/v1/surveys/questionnaires/{questionnaire.slug}/entries{suffix}"
