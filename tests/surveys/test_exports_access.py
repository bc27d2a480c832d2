# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who reaches the exports of a questionnaire: its organisers (the territory's planners,
the administrators); 403 for a resident, a planner of another territory or an anonymous
visitor, 404 for an unknown slug. The organisers' page, in French, without JavaScript."""

import pytest
from django.urls import reverse

from tests.factories import TerritoryFactory, UserFactory, user_with_role
from tests.factories.surveys import QuestionnaireFactory, ResponseFactory, every_kind

pytestmark = pytest.mark.django_db
CSV = "/api/v1/surveys/questionnaires/{slug}/export.csv"
GPKG = "/api/v1/surveys/questionnaires/{slug}/export.gpkg"


@pytest.fixture
def questionnaire():
    # A draft: its organisers export (and test) it before it is published.
    questionnaire = QuestionnaireFactory(is_published=False, title="Vos trajets <à vélo>")
    every_kind(questionnaire)
    ResponseFactory(questionnaire=questionnaire)
    return questionnaire


@pytest.mark.parametrize("path", [CSV, GPKG])
def test_only_organisers_download(client, questionnaire, path):
    url = path.format(slug=questionnaire.slug)
    assert client.get(url).status_code == 403
    client.force_login(UserFactory())
    refused = client.get(url)
    assert refused.status_code == 403
    assert "organisateurs de ce questionnaire" in refused.json()["detail"]
    client.force_login(user_with_role("planner", territory=TerritoryFactory()))
    assert client.get(url).status_code == 403
    client.force_login(user_with_role("planner", territory=questionnaire.territory))
    assert client.get(path.format(slug="nulle-part")).status_code == 404
    if path == CSV:  # the GeoPackage is read by ogr2ogr: committed rows only
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).count(b"\r\n") == 2  # header, 1 response


def test_the_organisers_page_links_each_format(client, questionnaire):
    page = reverse("surveys:exports", args=[questionnaire.slug])
    assert page == f"/consultations/gestion/{questionnaire.slug}/exports/"
    anonymous = client.get(page)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(UserFactory())
    assert client.get(page).status_code == 403
    client.force_login(user_with_role("planner", territory=questionnaire.territory))
    assert client.get(reverse("surveys:exports", args=["nulle-part"])).status_code == 404
    response = client.get(page)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Exports des réponses à Vos trajets &lt;à vélo&gt;" in html
    assert "1 réponse envoyée est exportée" in html
    assert f'href="{CSV.format(slug=questionnaire.slug)}"' in html
    assert f'href="{GPKG.format(slug=questionnaire.slug)}"' in html
    for code in ("points", "line", "area", "zones", "communes"):
        assert f"<code>{code}</code>" in html
    assert "<code>single</code>" not in html


def test_the_page_says_when_there_is_no_geopackage(client):
    questionnaire = QuestionnaireFactory()
    client.force_login(user_with_role("administrator"))
    html = client.get(reverse("surveys:exports", args=[questionnaire.slug])).content.decode()
    assert "export.csv" in html and "export.gpkg" not in html
    assert "aucune question sur la carte" in html
