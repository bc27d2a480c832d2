# SPDX-License-Identifier: AGPL-3.0-or-later
"""A questionnaire whose space has no PLU/PLUi (the demo's poll on a shuttle) has results
like any other: its figures per zone are none, never a server error."""

import pytest
from django.test import Client

from tests.demo_snapshot import demo_load, demo_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_results_of_a_poll_without_zoning_are_answered():
    demo_load()
    planner = Client()
    planner.force_login(demo_user("urbanisme@demo.invalid"))
    response = planner.get("/api/v1/surveys/questionnaires/sondage-navette-du-marche/results")
    assert response.status_code == 200, response.content[:300]
    (arret,) = [q for q in response.json()["questions"] if q["code"] == "arret"]
    assert arret["by_zone"] == [] and arret["markers"] > 0
    page = planner.get("/consultations/gestion/sondage-navette-du-marche/resultats/")
    assert page.status_code == 200
