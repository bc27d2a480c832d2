# SPDX-License-Identifier: AGPL-3.0-or-later
import pytest
from django.core.management import call_command

from carto_concertation.accounts.models import Role, User
from carto_concertation.accounts.selectors import user_roles
from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.selectors import contributions_are_open
from carto_concertation.contributions.demo import DEMO_RESIDENTS, IDEAS, THEMES
from carto_concertation.contributions.models import Contribution, ContributionZone
from carto_concertation.engagement.models import Comment, Vote
from carto_concertation.signalements import demo as signalements_demo
from carto_concertation.signalements.models import Category, Report, ReportUpdate, Route, Service
from carto_concertation.site.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from carto_concertation.territories.models import Commune, Territory
from plui_documents.models import UrbanDocument

pytestmark = pytest.mark.django_db(transaction=True)


def test_load_demo_loads_once_and_creates_one_account_per_role(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")
    output = capsys.readouterr().out

    assert Territory.objects.get().siren == "241800432"
    document = UrbanDocument.objects.get()
    assert document.territory.siren == "241800432"
    assert document.current_version.zones.count() == 221
    assert document.current_version.pieces.count() == 1
    assert Commune.objects.count() == 11
    assert len(DEMO_ACCOUNTS) == len(Role)
    agents = len(signalements_demo.AGENTS)
    assert User.objects.count() == len(DEMO_ACCOUNTS) + len(DEMO_RESIDENTS) + agents
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert account.role in user_roles(user=user)
        assert user.check_password(DEMO_PASSWORD)
    relay = User.objects.get(email="relais@demo.invalid")
    sancoins, augy = Commune.objects.get(insee="18242"), Commune.objects.get(insee="18017")
    assert relay.has_perm("territories.relay", sancoins)
    assert not relay.has_perm("territories.relay", augy)
    assert DEMO_PASSWORD in output
    assert "Demo territory already loaded." in output


def test_without_debug_demo_accounts_get_no_password(settings, capsys):
    settings.DEBUG = False
    call_command("load_demo")
    assert DEMO_PASSWORD not in capsys.readouterr().out
    assert not any(u.has_usable_password() for u in User.objects.all())


def test_the_demo_territory_is_not_loaded_over_another_territory(settings, data_dir):
    call_command(
        "import_territory",
        str(data_dir / "territories" / "communes-18-cher.geojson"),
        "--siren",
        "200011781",
        "--name",
        "Autre EPCI",
    )
    call_command("load_demo")
    assert list(Territory.objects.values_list("siren", flat=True)) == ["200011781"]


def test_load_demo_adds_a_living_concertation_once(settings, client):
    settings.DEBUG = True
    call_command("load_demo")
    counted = (Contribution, Vote, Comment, Category, Route, Report, ReportUpdate)
    counts = [model.objects.count() for model in counted]
    call_command("load_demo")
    assert [model.objects.count() for model in counted] == counts

    concertation = Concertation.objects.get()
    assert contributions_are_open(concertation=concertation)
    assert concertation.plui_document == UrbanDocument.objects.get()
    assert sorted(concertation.themes.values_list("name", flat=True)) == sorted(
        name for name, _colour in THEMES
    )
    ideas = concertation.contributions.all()
    assert ideas.count() == len(IDEAS) >= 30
    assert {idea.geom.geom_type for idea in ideas} == {"Point", "LineString", "Polygon"}
    assert all(idea.commune_id for idea in ideas)
    zones = ContributionZone.objects.filter(contribution__concertation=concertation)
    assert set(zones.values_list("zone__typezone", flat=True)) >= {"U", "AUc", "A", "N"}
    assert len(set(ideas.values_list("commune", flat=True))) >= 5
    assert Vote.objects.count() > len(IDEAS)
    assert Comment.objects.filter(parent__isnull=False).exists()
    answered = ideas.filter(status__in=Contribution.CLOSING)
    assert answered.count() == 4
    assert all(idea.answer and idea.answer_service and idea.answered_at for idea in answered)
    assert ideas.filter(status="under_study").count() == 2

    listed = client.get(f"/api/v1/concertations/{concertation.slug}/contributions/").json()
    assert listed["count"] == len(IDEAS)
    residents = {pseudonym for _email, pseudonym in DEMO_RESIDENTS}
    assert {f["properties"]["author"] for f in listed["features"]} == residents

    # The signalements: their tree, services, routing for the 11 communes, reports in every
    # state with their history, on the concertation's map.
    assert "signalements" in concertation.modules.values_list("module", flat=True)
    territory = concertation.territory
    parents = Category.objects.filter(territory=territory, parent__isnull=True)
    assert parents.count() == len(signalements_demo.CATEGORIES)
    assert Category.objects.get(code="arbre-tombe").sla_hours == 48
    assert Category.objects.get(code="lampadaire-eteint").questions.get().kind == "number"
    assert Service.objects.filter(territory=territory, is_triage=True).count() == 1
    assert Service.objects.filter(commune__isnull=False).count() == 3
    roads = Route.objects.filter(category__code="voirie")
    assert roads.count() == 11
    assert {route.service.commune_id is None for route in roads} == {True, False}
    reports = Report.objects.filter(territory=territory)
    assert reports.count() == len(signalements_demo.REPORTS) >= 30
    assert set(reports.values_list("state", flat=True)) == set(Report.State)
    assert not reports.filter(service__isnull=True).exists()
    water = reports.filter(category__parent__code="eau-assainissement")
    assert water.exists() and not water.exclude(service__is_triage=True).exists()
    assert all(report.updates.exists() for report in reports)
    assert not reports.exclude(author=None).exclude(author__email__endswith="@demo.invalid")
    style = client.get(f"/tiles/styles/{concertation.slug}.json").json()
    assert "signalements" in style["sources"]
