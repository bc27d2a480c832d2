# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the signalements give the house through their manifest, read through the
registry: the open dataset, "download my data", account deletion, the account page, the
home page, the space's entry, and the space taking the module by its slug alone."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.utils import translation

from carto_concertation.accounts.models import User
from carto_concertation.core.modules import module_get, space_module_add
from carto_concertation.signalements.models import BannedSender, Report, ReportFollower
from carto_concertation.territories.services import territory_modules_switch
from tests.accounts.my_data import my_data_files
from tests.factories import (
    BannedSenderFactory,
    CategoryFactory,
    ConcertationFactory,
    ReportFollowerFactory,
    ServiceFactory,
    SignalementFactory,
    SpaceModuleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # UserFactory's


@pytest.fixture
def people():
    """Camille filed a public and a private report and, before having an account, one from
    her address; she follows Dominique's report. Dominique filed one."""
    camille = UserFactory(email="camille@example.org", pseudonym="Camille")
    EmailAddress.objects.create(user=camille, email="camille@example.org", verified=True)
    dominique = UserFactory(email="dominique@example.org", pseudonym="Dominique")
    category = CategoryFactory(code="lampadaire", name="Lampadaire éteint")
    report = SignalementFactory
    mine = report(category=category, author=camille, description="Rue du Canal")
    private = report(category=category, author=camille, is_public=False, description="Chez moi")
    before = report(
        category=category,
        author=None,
        email="camille@example.org",
        state=Report.State.UNCONFIRMED,
        confirmed_at=None,
    )
    theirs = report(category=category, author=dominique, description="Place de l'église")
    ReportFollowerFactory(report=theirs, user=camille)
    ReportFollowerFactory(report=theirs, user=None, email="camille@example.org")
    ReportFollowerFactory(report=mine, user=dominique)
    return {
        "camille": camille,
        "dominique": dominique,
        "mine": mine,
        "private": private,
        "before": before,
        "theirs": theirs,
    }


def test_the_dataset_is_in_the_catalogue_without_the_reporter(client):
    (listed,) = [d for d in client.get("/api/v1/datasets/").json() if d["module"] == "signalements"]
    assert listed["name"] == "signalements" and listed["geometry_type"] == "Point"
    names = {field["name"] for field in listed["fields"]}
    assert {"id", "category", "state", "created", "followers"} <= names
    assert not names & {"author", "email", "reporter", "token", "api_client", "is_hidden"}


def test_my_data_holds_my_reports_with_their_places_and_what_i_follow(client, people):
    client.force_login(people["camille"])
    files = my_data_files(client)
    filed = files["signalements.json"]["signalements"]
    assert [r["id"] for r in filed] == [people[k].pk for k in ("mine", "private", "before")]
    assert filed[0]["description"] == "Rue du Canal" and filed[1]["public"] is False
    features = files["signalements.geojson"]["features"]
    lon, lat = features[0]["geometry"]["coordinates"]
    stored = people["mine"].geom.transform(4326, clone=True)
    assert (lon, lat) == pytest.approx((stored.x, stored.y), abs=1e-7)
    followed = files["signalements_followed.json"]["signalements_followed"]
    assert [f["report"] for f in followed] == [people["theirs"].pk] * 2
    assert files["signalements_followed.geojson"]["features"][0]["geometry"]["type"] == "Point"
    everything = json.dumps(files)
    assert "dominique" not in everything.lower() and "Place de l" not in everything


def test_deleting_my_account_keeps_my_reports_signed_by_nobody(client, people):
    camille = people["camille"]
    ServiceFactory(territory=people["mine"].territory, members=[camille])
    BannedSenderFactory(territory=people["mine"].territory, user=camille, email="")
    client.force_login(camille)
    assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302

    assert not User.objects.filter(pk=camille.pk).exists()
    kept = Report.objects.filter(pk__in=[people[k].pk for k in ("mine", "private", "before")])
    assert kept.count() == 3
    assert set(kept.values_list("author", "email")) == {(None, "")}
    assert list(ReportFollower.objects.values_list("report", "user")) == [
        (people["mine"].pk, people["dominique"].pk)
    ]
    assert not BannedSender.objects.exists()
    assert Report.objects.get(pk=people["theirs"].pk).author == people["dominique"]


def test_my_account_page_lists_my_reports(client, people):
    camille = people["camille"]
    hidden = SignalementFactory(category=people["mine"].category, author=camille, is_hidden=True)
    client.force_login(camille)
    page = client.get("/accounts/").content.decode()
    assert f'href="/signalements/{people["mine"].pk}/"' in page
    assert f'href="/signalements/{people["private"].pk}/"' in page
    assert f"/signalements/{hidden.pk}/" not in page  # its page is the services' alone
    assert f"/signalements/{people['before'].pk}/" not in page  # no page before confirmed
    assert f"/signalements/{people['theirs'].pk}/" not in page
    assert f"#{people['before'].pk} Lampadaire éteint" in page
    assert 'href="/signalements/services/"' not in page


def test_an_agent_s_account_page_leads_to_the_services_dashboard(client, people):
    """The dashboard is the desk's page (``signalements:desk``, branch issue18-desk)."""
    ServiceFactory(territory=people["mine"].territory, members=[people["camille"]])
    client.force_login(people["camille"])
    assert 'href="/signalements/services/"' in client.get("/accounts/").content.decode()


def test_the_space_s_entry_and_the_home_page_lead_to_its_reports(client):
    space = ConcertationFactory()
    CategoryFactory(territory=space.territory)
    assert "/signalements/" not in client.get("/").content.decode()
    SpaceModuleFactory(concertation=space, module="signalements")
    with translation.override("fr"):
        entry = module_get("signalements").space_entry(space)
    assert entry == ("Signaler un problème dans l'espace public", f"/signalements/{space.slug}/")
    home = client.get("/").content.decode()
    # Named apart from the concertation's own link (two links, one name, would mislead).
    assert (
        f'<a href="/signalements/{space.slug}/">Signaler sur la carte « {space.title} »</a>' in home
    )
    territory_modules_switch(territory=space.territory, modules_off=["signalements"])
    assert "/signalements/" not in client.get("/").content.decode()


def test_a_module_adds_itself_to_a_space_by_its_slug_through_the_registry():
    space = ConcertationFactory()
    assert space_module_add(space.slug, "signalements") is True
    assert list(space.modules.values_list("module", flat=True)) == ["ideas", "signalements"]
    with pytest.raises(ValidationError) as refused:
        space_module_add(space.slug, "signalements")
    assert "module" in refused.value.message_dict
    assert space_module_add("no-such-space", "signalements") is False
    assert not module_get("signalements").in_new_spaces


def question_form(category, **question) -> dict:
    """The admin's change form of a category with one new question (its inline)."""
    return {
        "territory": category.territory_id,
        "code": category.code,
        "name": category.name,
        "position": 0,
        "active": "on",
        "questions-TOTAL_FORMS": 1,
        "questions-INITIAL_FORMS": 0,
        "questions-0-code": "nombre",
        "questions-0-label": "Combien ?",
        "questions-0-position": 0,
        **{f"questions-0-{key}": value for key, value in question.items()},
    }


@pytest.mark.parametrize(
    ("kind", "choices", "written"),
    [
        ("choice", '[{"key": "petit", "name": "Petit"}]', True),
        ("choice", "[]", False),
        ("choice", '[{"key": "petit"}]', False),
        ("choice", '{"key": "petit", "name": "Petit"}', False),
        ("number", '[{"key": "petit", "name": "Petit"}]', False),
        ("number", "[]", True),
    ],
)
def test_the_admin_takes_a_question_s_choices_as_a_json_list(client, kind, choices, written):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    category = CategoryFactory()
    response = client.post(
        f"/admin/signalements/category/{category.pk}/change/",
        question_form(category, kind=kind, choices=choices),
    )
    assert (response.status_code == 302) is written
    assert category.questions.exists() is written


def test_the_admin_s_routing_table_keeps_to_one_territory(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    category = CategoryFactory()
    commune = category.territory.communes.first()
    elsewhere = ServiceFactory()
    form = {"commune": commune.pk, "category": category.pk, "service": elsewhere.pk}
    response = client.post("/admin/signalements/route/add/", form)
    assert response.status_code == 200 and "même territoire" in response.content.decode()
    form["service"] = ServiceFactory(territory=category.territory).pk
    assert client.post("/admin/signalements/route/add/", form).status_code == 302
    assert category.routes.get().commune == commune
