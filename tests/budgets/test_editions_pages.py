# SPDX-License-Identifier: AGPL-3.0-or-later
"""The agents' pages, as plain HTML forms without JavaScript (Django's test client):
creating an edition, its settings, calendar, districts and publication, the analysis;
who may reach them; a refused form comes back with its errors and writes nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from carto_concertation.budgets.models import District, Edition, EditionPhase, Project
from tests.factories import UserFactory
from tests.factories.budgets import ProjectFactory, ProjectSupporterFactory

from .editions_world import geojson_4326, quarters, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
Status = Project.Status


@pytest.fixture(autouse=True)
def _english_pages(client):
    """The pages in English, as the messages the tests read (the site is French first)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _manage(edition) -> str:
    return reverse("budgets:manage-edition", args=[edition.slug])


def _analysis(edition) -> str:
    return reverse("budgets:manage-analysis", args=[edition.slug])


def test_a_visitor_is_sent_to_sign_in_and_others_are_refused(client, world):
    for url in (reverse("budgets:manage"), _manage(world.edition), _analysis(world.edition)):
        assert client.get(url).status_code == 302
    client.force_login(world.stranger)
    for url in (_manage(world.edition), _analysis(world.edition)):
        assert client.get(url).status_code == 403
        assert client.post(url, {"action": "publish"}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("budgets:manage")).status_code == 403
    world.edition.refresh_from_db()
    assert not world.edition.is_published


def test_a_planner_creates_an_edition_from_the_home_page(client, world):
    client.force_login(world.planner)
    home = client.get(reverse("budgets:manage"))
    assert world.edition.title in home.content.decode()
    data = {
        "territory": world.edition.territory.pk,
        "title": "Budget 2027",
        "year": 2027,
        "envelope": 80000,
    }
    response = client.post(reverse("budgets:manage"), data)
    edition = Edition.objects.get(title="Budget 2027")
    assert response.status_code == 302 and response["Location"] == _manage(edition)
    refused = client.post(reverse("budgets:manage"), {**data, "envelope": "", "title": "X"})
    assert refused.status_code == 400
    assert 'id="id_envelope_error"' in refused.content.decode()
    assert not Edition.objects.filter(title="X").exists()


def test_another_territorys_id_is_not_a_choice(client, world):
    client.force_login(world.planner)
    other = world.stranger.role_assignments.get().territory
    data = {"territory": other.pk, "title": "Pris", "year": 2027, "envelope": 1}
    assert client.post(reverse("budgets:manage"), data).status_code == 400
    assert not Edition.objects.filter(title="Pris").exists()


def _settings(edition, **changes) -> dict:
    data = {
        "action": "settings",
        "title": edition.title,
        "year": edition.year,
        "envelope": edition.envelope,
        "ballot_type": edition.ballot_type,
        "min_choices": edition.min_choices,
        "max_choices": edition.max_choices,
        "max_points_per_project": 0,
        "max_points_total": 0,
        "counting_rule": edition.counting_rule,
        "satisfaction": edition.satisfaction,
    }
    return {**data, **changes}


def test_the_settings_form_saves_and_refuses_incoherent_rules(client, world):
    client.force_login(world.planner)
    assert client.get(_manage(world.edition)).status_code == 200
    response = client.post(_manage(world.edition), _settings(world.edition, max_choices=5))
    assert response.status_code == 302
    refused = client.post(
        _manage(world.edition), _settings(world.edition, ballot_type="cumulative")
    )
    assert refused.status_code == 400
    assert "A cumulative ballot needs points to share." in refused.content.decode()
    world.edition.refresh_from_db()
    assert (world.edition.max_choices, world.edition.ballot_type) == (5, "approval")


def test_the_calendar_form_sets_the_five_phases(client, world):
    client.force_login(world.planner)
    start = timezone.localtime() + timedelta(days=2)
    data = {"action": "phases"}
    for i, (kind, _label) in enumerate(EditionPhase.Kind.choices):
        data[f"{kind}_starts"] = (start + timedelta(days=10 * i)).strftime("%Y-%m-%dT%H:%M")
        data[f"{kind}_ends"] = (start + timedelta(days=10 * i + 9)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(_manage(world.edition), data).status_code == 302
    assert world.edition.phases.count() == 5
    data["vote_starts"] = data["analysis_starts"]
    refused = client.post(_manage(world.edition), data)
    assert refused.status_code == 400 and "without overlapping" in refused.content.decode()


def test_districts_come_from_a_file_or_the_communes_and_take_envelopes(client, world, tmp_path):
    client.force_login(world.planner)
    path = geojson_4326(tmp_path / "q.geojson", quarters(world.edition.territory))
    upload = SimpleUploadedFile("q.geojson", path.read_bytes())
    response = client.post(
        _manage(world.edition), {"action": "upload", "file": upload, "name_field": "nom"}
    )
    assert response.status_code == 302
    assert sorted(world.edition.districts.values_list("name", flat=True)) == ["Nord", "Sud"]
    upload = SimpleUploadedFile("q.geojson", path.read_bytes())
    refused = client.post(
        _manage(world.edition), {"action": "upload", "file": upload, "name_field": "libelle"}
    )
    assert refused.status_code == 400 and "libelle" in refused.content.decode()
    assert client.post(_manage(world.edition), {"action": "communes"}).status_code == 302
    districts = list(District.objects.filter(edition=world.edition).order_by("name"))
    assert sorted(d.code for d in districts) == sorted(
        world.edition.territory.communes.values_list("insee", flat=True)
    )
    envelopes = {f"district_{d.pk}": 50_000 for d in districts}
    response = client.post(_manage(world.edition), {"action": "envelopes", **envelopes})
    assert response.status_code == 302
    assert (
        sum(District.objects.filter(edition=world.edition).values_list("envelope", flat=True))
        == 100_000
    )


def test_publishing_from_the_page(client, world):
    client.force_login(world.planner)
    assert client.post(_manage(world.edition), {"action": "publish"}).status_code == 302
    world.edition.refresh_from_db()
    assert world.edition.is_published


def test_the_analysis_page_decides_merges_and_opens_the_vote(client, world):
    client.force_login(world.planner)
    first, second, third = (
        ProjectFactory(edition=world.edition, status=Status.PROPOSED) for _ in range(3)
    )
    ProjectSupporterFactory(project=second)
    page = client.get(_analysis(world.edition)).content.decode()
    assert f'id="project-{first.number}"' in page
    refused = client.post(
        _analysis(world.edition),
        {"action": "decide", "number": first.number, "admissible": "no", "reason": ""},
    )
    assert (
        refused.status_code == 400
        and "Say why the project is not admissible" in refused.content.decode()
    )
    assert f'id="decide-{first.number}-no" checked' in refused.content.decode()
    decide = {
        "action": "decide",
        "number": first.number,
        "admissible": "yes",
        "revised_cost": 30000,
    }
    assert client.post(_analysis(world.edition), decide).status_code == 302
    merge = {"action": "merge", "keep": third.pk, "merged": [second.pk], "reason": "Même rue"}
    assert client.post(_analysis(world.edition), merge).status_code == 302
    assert client.post(_analysis(world.edition), {"action": "ballot"}).status_code == 302
    statuses = dict(Project.objects.filter(edition=world.edition).values_list("pk", "status"))
    assert statuses == {
        first.pk: Status.ON_BALLOT,
        second.pk: Status.MERGED,
        third.pk: Status.PROPOSED,
    }
    assert third.supporters.count() == 1


def test_the_account_page_leads_a_planner_to_the_editions(client, world):
    client.force_login(world.planner)
    assert f'href="{reverse("budgets:manage")}"' in client.get("/accounts/").content.decode()
    client.force_login(UserFactory())
    assert f'href="{reverse("budgets:manage")}"' not in client.get("/accounts/").content.decode()


def test_odd_numbers_in_the_forms_are_refused_not_a_500(client, world):
    client.force_login(world.planner)
    data = {"territory": world.edition.territory.pk, "title": "T", "year": 2027, "envelope": 10**25}
    assert client.post(reverse("budgets:manage"), data).status_code == 400
    decide = {"action": "decide", "number": 2**40, "admissible": "yes"}
    assert client.post(_analysis(world.edition), decide).status_code == 400
    refused = client.post(_manage(world.edition), _settings(world.edition, envelope=10**13))
    assert refused.status_code == 400
    world.edition.refresh_from_db()
    assert world.edition.envelope == 100_000
