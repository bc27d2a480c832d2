# SPDX-License-Identifier: AGPL-3.0-or-later
"""A resident proposes a participatory budget project on a phone (390×844, touch): signed
in, they open the edition's page (its rules, phases, the map of the projects coloured by
status with its legend and the list twin), tap "Proposer un projet", tap the map where
the project would be (the longitude and latitude fill themselves), write it, add a
photo, send it, and read it on its page, where they support it. On every page visited
axe-core finds no serious or critical violation, the console no error, and no request
leaves the server."""

import io

import pytest
from PIL import Image

from carto_concertation.budgets.models import Project
from tests.factories import UserFactory
from tests.factories.budgets import DistrictFactory, EditionFactory, ProjectFactory

from .sessions import signed_in
from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def a_photo(tmp_path) -> str:
    path = tmp_path / "square.jpg"
    output = io.BytesIO()
    Image.new("RGB", (800, 600), (60, 120, 60)).save(output, "JPEG", quality=80)
    path.write_bytes(output.getvalue())
    return str(path)


def clean(page, seen, where: str) -> None:
    assert axe_violations(page) == [], where
    assert seen["errors"] == [], (where, seen["errors"])
    assert seen["outside"] == [], (where, seen["outside"])


def test_a_resident_proposes_a_project_on_the_map_of_a_phone(live_server, browser, tmp_path):
    edition = EditionFactory(phases="submission", title="Budget participatif 2026")
    # One district over the whole territory: wherever the map opens is in it.
    district = DistrictFactory(edition=edition, name="Centre")
    ProjectFactory(edition=edition, number=1, title="Bancs du mail", status=Project.Status.PROPOSED)
    resident = UserFactory()
    context = browser.new_context(locale="fr-FR", **PHONE)
    signed_in(context, live_server, resident)
    page = context.new_page()
    seen = watch(page, live_server)

    page.goto(f"{live_server.url}/budgets/{edition.slug}/")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    assert "Bancs du mail" in page.locator("#project-list").inner_text()
    assert "Lauréat" in page.locator("#status-legend").inner_text()
    clean(page, seen, "edition page")
    page.get_by_role("link", name="Proposer un projet").tap()

    page.wait_for_selector("#pick-map-area:not([hidden])")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    page.locator("#map").tap()
    assert page.locator("#id_longitude").input_value() != ""
    assert page.locator("#id_latitude").input_value() != ""
    page.fill("#id_title", "Un verger partagé")
    page.fill("#id_description", "Dix pommiers et des bancs, entretenus par le quartier.")
    page.fill("#id_estimated_cost", "12000")
    page.set_input_files("#id_photos", a_photo(tmp_path))
    screenshot(page, "budget-propose-phone")
    clean(page, seen, "submission form")
    page.get_by_role("button", name="Envoyer le projet").tap()

    page.wait_for_selector("#proposed-title")
    project = Project.objects.get(title="Un verger partagé")
    assert project.number == 2 and project.district == district
    assert project.submitter == resident and project.photos.count() == 1
    clean(page, seen, "confirmation")
    page.get_by_role("link", name="Voir la page du projet").tap()

    page.wait_for_selector("#project-title")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    assert "Un verger partagé" in page.locator("#project-title").inner_text()
    clean(page, seen, "project page")
    page.get_by_role("button", name="Soutenir ce projet").tap()
    page.wait_for_selector("#supporter-count")
    assert "1 soutien" in page.locator("#supporter-count").inner_text()
    assert project.supporters.filter(user=resident).exists()
    assert [failed for failed in seen["failed"] if "/tiles/" not in failed[1]] == []
