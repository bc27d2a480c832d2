# SPDX-License-Identifier: AGPL-3.0-or-later
"""The public list of questionnaires (/consultations/) and its API twin
(/api/v1/surveys/open), the home page's section, a space's entry and search: published
questionnaires only, of territories where the module is on, by state."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from carto_concertation.core.modules import module_get, space_public
from carto_concertation.surveys.search import questionnaires_search
from carto_concertation.territories.services import territory_modules_switch
from tests.factories import ConcertationFactory, QuestionnaireFactory, SpaceModuleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed():
    """An open questionnaire with its results published, an upcoming one, a closed one, a
    draft, and an open one in a territory where the module is switched off."""
    now = timezone.now()
    day = timedelta(days=1)
    open_one = QuestionnaireFactory(title="Plan vélo", results_published=True)
    territory = open_one.territory
    upcoming = QuestionnaireFactory(
        territory=territory, title="Navette", opens_at=now + 3 * day, closes_at=now + 9 * day
    )
    closed = QuestionnaireFactory(
        territory=territory, title="Marché", opens_at=now - 9 * day, closes_at=now - 3 * day
    )
    draft = QuestionnaireFactory(territory=territory, title="Brouillon", is_published=False)
    off = QuestionnaireFactory(title="Ailleurs")
    territory_modules_switch(territory=off.territory, modules_off=["surveys"])
    return {"open": open_one, "upcoming": upcoming, "closed": closed, "draft": draft, "off": off}


def test_the_list_page_shows_the_published_questionnaires_by_state(client, listed):
    response = client.get("/consultations/", headers={"accept-language": "fr"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Ouverts en ce moment") < page.index(
        'id="questionnaire-' + listed["open"].slug
    )
    assert page.index("À venir") < page.index(listed["upcoming"].slug) < page.index("Terminés")
    assert page.index("Terminés") < page.index(listed["closed"].slug)
    assert f'href="/consultations/{listed["open"].slug}/"' in page
    assert f'href="/consultations/{listed["open"].slug}/resultats/"' in page
    assert f"/consultations/{listed['closed'].slug}/resultats/" not in page
    assert "habitants connectés, une réponse par compte" in page
    assert listed["draft"].slug not in page and listed["off"].slug not in page
    assert "<script" not in page


def test_the_api_twin_lists_the_same_with_their_state(client, listed):
    response = client.get("/api/v1/surveys/open")
    assert response.status_code == 200
    rows = response.json()
    assert [(row["slug"], row["state"]) for row in rows] == [
        (listed["open"].slug, "open"),
        (listed["upcoming"].slug, "upcoming"),
        (listed["closed"].slug, "closed"),
    ]
    first = rows[0]
    assert first["url"] == f"/consultations/{listed['open'].slug}/"
    assert first["results_url"] == f"/consultations/{listed['open'].slug}/resultats/"
    assert rows[1]["results_url"] is None
    assert not {"created_by", "results_summary", "respondent_key", "user"} & set(first)


def test_a_space_keeps_its_own_questionnaires_and_an_unknown_space_is_404(client, listed):
    space = ConcertationFactory(territory=listed["open"].territory)
    mine = QuestionnaireFactory(territory=space.territory, concertation=space, title="Ma place")
    page = client.get("/consultations/", {"concertation": space.slug}).content.decode()
    assert mine.slug in page and listed["open"].slug not in page
    rows = client.get("/api/v1/surveys/open", {"concertation": space.slug}).json()
    assert [row["slug"] for row in rows] == [mine.slug]
    assert rows[0]["concertation"] == space.slug
    assert client.get("/consultations/", {"concertation": "nulle-part"}).status_code == 404
    assert client.get("/api/v1/surveys/open", {"concertation": "nulle-part"}).status_code == 404


def test_switched_off_the_module_hides_the_territory_s_questionnaires(client, listed):
    territory_modules_switch(territory=listed["open"].territory, modules_off=["surveys"])
    assert client.get("/api/v1/surveys/open").json() == []
    page = client.get("/consultations/").content.decode()
    assert listed["open"].slug not in page and listed["closed"].slug not in page


def test_the_home_page_shows_the_open_questionnaires(client, listed):
    page = client.get("/", headers={"accept-language": "fr"}).content.decode()
    assert f'<a href="/consultations/{listed["open"].slug}/">Plan vélo</a>' in page
    assert "Questionnaires ouverts" in page
    for other in ("upcoming", "closed", "draft", "off"):
        assert f"/consultations/{listed[other].slug}/" not in page, other


def test_a_space_s_entry_leads_to_its_questionnaire_or_its_list(listed):
    space = ConcertationFactory(territory=listed["open"].territory)
    SpaceModuleFactory(concertation=space, module="surveys")
    entry = module_get("surveys").space_entry
    assert entry(space) is None
    first = QuestionnaireFactory(territory=space.territory, concertation=space, title="Vélo")
    QuestionnaireFactory(territory=space.territory, concertation=space, is_published=False)
    with translation.override("fr"):
        assert entry(space) == ("Questionnaire : Vélo", f"/consultations/{first.slug}/")
        QuestionnaireFactory(territory=space.territory, concertation=space)
        assert entry(space) == (
            "2 questionnaires",
            f"/consultations/?concertation={space.slug}",
        )


def test_a_space_s_entry_reads_no_perimeter(listed):
    """The entry is on every map page of the space: one query, without the space's
    perimeter (an EPCI's outline, parsed by GEOS for nothing)."""
    space = ConcertationFactory(territory=listed["open"].territory)
    SpaceModuleFactory(concertation=space, module="surveys")
    QuestionnaireFactory(territory=space.territory, concertation=space, title="Vélo")
    with CaptureQueriesContext(connection) as queries:
        assert module_get("surveys").space_entry(space) is not None
    (listing,) = queries.captured_queries
    assert "perimeter" not in listing["sql"]


def test_the_space_s_page_shows_the_entry(client, listed):
    space = ConcertationFactory(territory=listed["open"].territory)
    SpaceModuleFactory(concertation=space, module="surveys")
    QuestionnaireFactory(territory=space.territory, concertation=space, slug="sur-la-place")
    # The space's own page (the ideas' map is not its first module here).
    space.modules.filter(module="ideas").delete()
    page = client.get(f"/concertations/{space.slug}/").content.decode()
    assert 'href="/consultations/sur-la-place/"' in page


def test_the_search_finds_the_space_s_questionnaires_by_words(listed):
    space = ConcertationFactory(territory=listed["open"].territory)
    QuestionnaireFactory(
        territory=space.territory,
        concertation=space,
        title="Plan vélo du bourg",
        description="Vos trajets quotidiens",
    )
    QuestionnaireFactory(
        territory=space.territory, concertation=space, title="Vélo brouillon", is_published=False
    )
    hits = questionnaires_search(space_public(space.slug), "trajet", 5)
    assert [hit.label for hit in hits] == ["Plan vélo du bourg"] and hits[0].center
    assert [hit.label for hit in questionnaires_search(space_public(space.slug), "vélo", 5)] == [
        "Plan vélo du bourg"
    ]
    assert questionnaires_search(space_public(space.slug), "piscine", 5) == []


def test_a_bad_space_slug_is_refused_not_a_server_error(client, listed):
    assert client.get("/consultations/", {"concertation": "a\x00b"}).status_code == 400
    assert client.get("/consultations/", {"concertation": "a/b"}).status_code == 404
    refused = client.get("/api/v1/surveys/open", {"concertation": "a\x00b/c"})
    assert refused.status_code == 400 and "concertation" in refused.json()


def test_the_list_and_its_twin_take_a_fixed_number_of_queries(
    client, listed, django_assert_max_num_queries
):
    for n in range(5):
        QuestionnaireFactory(territory=listed["open"].territory, slug=f"encore-{n}")
    with django_assert_max_num_queries(1):
        assert len(client.get("/api/v1/surveys/open").json()) == 8
    with django_assert_max_num_queries(4):  # the session aside: the list, one query
        assert client.get("/consultations/").status_code == 200
