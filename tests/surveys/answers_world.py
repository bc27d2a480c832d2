# SPDX-License-Identifier: AGPL-3.0-or-later
"""A questionnaire with a question of each kind, and a valid answer to each (in WGS84)."""

import json

from carto_concertation.surveys.models import Question, Questionnaire
from carto_concertation.surveys.selectors.questionnaires import questionnaire_communes
from tests.factories.geometry import spot, wgs84
from tests.factories.surveys import QuestionnaireFactory, every_kind


def point(questionnaire: Questionnaire, n: int = 0) -> dict:
    return json.loads(wgs84(spot(questionnaire.territory.geom, n)).geojson)


def collection(*geometries: dict, **properties) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": g, "properties": dict(properties)} for g in geometries
        ],
    }


def line(questionnaire: Questionnaire) -> dict:
    a, b = point(questionnaire, 0), point(questionnaire, 5)
    return {"type": "LineString", "coordinates": [a["coordinates"], b["coordinates"]]}


def area(questionnaire: Questionnaire) -> dict:
    a, b, c = (point(questionnaire, n)["coordinates"] for n in (0, 5, 60))
    return {"type": "Polygon", "coordinates": [[a, b, c, a]]}


def choice_ids(question: Question, *, for_marker: bool = False) -> list[int]:
    return [c.pk for c in question.choices.all() if c.for_marker == for_marker]


def full_payload(questionnaire: Questionnaire, questions: dict[str, Question]) -> dict:
    """A valid answer to every question of ``every_kind``."""
    q = questions
    commune = questionnaire_communes(questionnaire).first()
    follow = choice_ids(q["points"], for_marker=True)[0]
    return {
        "single": choice_ids(q["single"])[0],
        "multiple": [*choice_ids(q["multiple"])[:2], {"other": "Le vélo cargo"}],
        "short_text": "Une piste <script>alert(1)</script> à l’école",
        "long_text": "Première ligne\nDeuxième ligne é à ç",
        "scale": 4,
        "ranking": list(reversed(choice_ids(q["ranking"]))),
        "number": "12.5",
        "date": "2026-05-01",
        "points": collection(
            point(questionnaire, 0), point(questionnaire, 1), choice=follow, comment="Dangereux"
        ),
        "line": collection(line(questionnaire)),
        "area": collection(area(questionnaire), comment="À protéger"),
        "communes": [{"id": commune.pk, "choice": choice_ids(q["communes"], for_marker=True)[1]}],
    }


def make_questionnaire(**fields) -> tuple[Questionnaire, dict[str, Question]]:
    questionnaire = QuestionnaireFactory(**fields)
    questions = every_kind(questionnaire)
    # Without a PLU/PLUi the zones question has nothing to pick: it is left out here.
    questions.pop("zones").delete()
    return questionnaire, questions
