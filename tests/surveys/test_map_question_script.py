# SPDX-License-Identifier: AGPL-3.0-or-later
"""The answering page loads the map questions' widget (MapLibre with it) once on a page
holding map questions, and not at all on a page without one: a resident on a phone
network does not fetch a map library to answer a text question."""

import pytest

from tests.factories import UserFactory
from tests.factories.surveys import QuestionFactory, QuestionnaireFactory, SurveyPageFactory

pytestmark = pytest.mark.django_db
SCRIPT = "surveys/map-question.js"
STYLES = "surveys/map-question.css"


def test_the_widget_is_loaded_once_where_there_are_map_questions(client):
    questionnaire = QuestionnaireFactory()
    words = SurveyPageFactory(questionnaire=questionnaire)
    QuestionFactory(page=words, kind="long_text", code="why")
    on_map = SurveyPageFactory(questionnaire=questionnaire)
    QuestionFactory(page=on_map, kind="short_text", code="who")
    QuestionFactory(page=on_map, kind="points", code="danger", marker_choices=2)
    QuestionFactory(page=on_map, kind="communes", code="where")
    client.force_login(UserFactory())
    answer = f"/consultations/{questionnaire.slug}/repondre/"

    first = client.get(answer).content.decode()
    assert SCRIPT not in first and "maplibre" not in first
    second = client.get(f"{answer}?page={on_map.position}").content.decode()
    assert second.count('class="survey-map-question"') == 2
    assert second.count(SCRIPT) == 1
    assert second.count(STYLES) == 1
    assert f'<script type="module" src="/static/{SCRIPT}"></script>' in second
