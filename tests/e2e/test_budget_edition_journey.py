# SPDX-License-Identifier: AGPL-3.0-or-later
"""A planner runs a participatory budget through the agents' pages alone, in headless
Chromium: creates an edition, sets its calendar, imports its districts from a GeoJSON
file and decides on a proposed project. axe-core finds no serious or critical violation
on any page visited; no request leaves the server."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carto_concertation.budgets.models import Edition, EditionPhase, Project
from tests.budgets.editions_world import geojson_4326, quarters
from tests.factories.accounts import user_with_role
from tests.factories.budgets import ProjectFactory
from tests.factories.territories import TerritoryFactory

from .sessions import signed_in
from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def clean(page, seen, name: str) -> None:
    screenshot(page, f"budget-edition-{name}")
    assert axe_violations(page) == [], name
    assert seen["outside"] == [], name
    assert seen["errors"] == [], (name, seen["errors"])


def test_a_planner_creates_an_edition_imports_districts_and_decides(live_server, browser, tmp_path):
    territory = TerritoryFactory(communes=2, name="Communauté du Val")
    planner = user_with_role("planner", territory=territory)
    districts_file = geojson_4326(tmp_path / "quartiers.geojson", quarters(territory))
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    signed_in(context, live_server, planner)
    page = context.new_page()
    seen = watch(page, live_server)

    # The agents' home: a new edition.
    page.goto(f"{live_server.url}/budgets/gestion/")
    clean(page, seen, "home")
    page.fill("#id_title", "Budget participatif 2027")
    page.fill("#id_year", "2027")
    page.fill("#id_envelope", "150000")
    page.click("#edition-create-form button[type=submit]")
    page.wait_for_url("**/budgets/gestion/budget-participatif-2027/")
    edition = Edition.objects.get(slug="budget-participatif-2027")
    assert (edition.territory, edition.envelope, edition.is_published) == (
        territory,
        150_000,
        False,
    )
    clean(page, seen, "edition")

    # The calendar: the analysis began yesterday, the vote comes next month.
    start = timezone.localtime() - timedelta(days=20)
    for index, (kind, _label) in enumerate(EditionPhase.Kind.choices):
        starts = start + timedelta(days=19 * index)
        page.fill(f"#id_{kind}_starts", starts.strftime("%Y-%m-%dT%H:%M"))
        page.fill(f"#id_{kind}_ends", (starts + timedelta(days=18)).strftime("%Y-%m-%dT%H:%M"))
    page.click("#phases-form button[value=phases]")
    page.wait_for_selector("#districts-upload-form")
    assert edition.phases.count() == 5

    # The districts, from a GeoJSON file in WGS84.
    page.set_input_files("#id_file", str(districts_file))
    page.fill("#id_name_field", "nom")
    page.click("#districts-upload-form button[value=upload]")
    page.locator("#districts").filter(has_text="Nord").wait_for()
    assert sorted(edition.districts.values_list("name", flat=True)) == ["Nord", "Sud"]
    clean(page, seen, "districts")

    # A resident's project, declared not admissible with the public reason.
    project = ProjectFactory(
        edition=edition, number=1, title="Un jardin partagé", status=Project.Status.PROPOSED
    )
    page.goto(f"{live_server.url}/budgets/gestion/{edition.slug}/analyse/")
    clean(page, seen, "analysis")
    page.check(f"#decide-{project.number}-no")
    page.fill(f"#decide-{project.number}-reason", "Le terrain est privé.")
    page.click(f"#project-{project.number} button[value=decide]")
    page.wait_for_selector(f"#project-{project.number} .reason")
    project.refresh_from_db()
    assert (project.status, project.analysis_reason) == (
        Project.Status.NOT_ADMISSIBLE,
        "Le terrain est privé.",
    )
    clean(page, seen, "decided")
    context.close()
