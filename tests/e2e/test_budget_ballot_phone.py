# SPDX-License-Identifier: AGPL-3.0-or-later
"""A resident builds an approval ballot on a phone (390×844, touch) from the map: they
tap the projects' markers, see the envelope left go down (and the list's boxes ticked
with them), declare they live in the territory and are of age, vote, read the
confirmation, and the ballot is stored with the two projects. axe-core finds no serious
or critical violation, the console no error, and no request leaves the server."""

import pytest

from carto_concertation.budgets.models import Ballot, Edition, Participation
from tests.budgets.ballots_world import make_world, stored
from tests.factories.geometry import spot

from .sessions import signed_in
from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}


def spread(world) -> None:
    """The projects a few hundred metres apart: each marker a target of its own."""
    for number, project in world.projects.items():
        project.geom = spot(world.edition.territory.geom, number * 12, step=300)
        project.save()


def test_a_resident_builds_an_approval_ballot_from_the_map(live_server, browser, settings):
    settings.DEBUG = True
    world = make_world()
    spread(world)
    context = browser.new_context(locale="fr-FR", **PHONE)
    signed_in(context, live_server, world.resident)
    page = context.new_page()
    seen = watch(page, live_server)

    page.goto(f"{live_server.url}/budgets/{world.edition.slug}/vote/")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    left = page.locator("#ballot-left")
    assert left.get_attribute("data-left") == "100000"
    assert "Enveloppe restante" in left.inner_text()
    assert page.locator(".ballot-marker").count() == 5

    page.locator('.ballot-marker[data-number="1"]').tap()
    page.wait_for_selector('#ballot-left[data-left="60000"]')
    assert page.locator("#id_project-1").is_checked()
    assert page.locator('.ballot-marker[data-number="1"]').get_attribute("aria-pressed") == "true"
    page.locator('.ballot-marker[data-number="3"]').tap()
    page.wait_for_selector('#ballot-left[data-left="20000"]')
    # Tapped again, a project leaves the ballot; tapped once more, it is back.
    page.locator('.ballot-marker[data-number="3"]').tap()
    page.wait_for_selector('#ballot-left[data-left="60000"]')
    assert not page.locator("#id_project-3").is_checked()
    page.locator('.ballot-marker[data-number="3"]').tap()
    page.wait_for_selector('#ballot-left[data-left="20000"]')
    screenshot(page, "budget-ballot-phone")
    assert axe_violations(page) == []

    page.locator("#id_resident").check()
    page.locator("#id_of_age").check()
    page.locator("#ballot-submit").tap()
    page.wait_for_selector("#done-title", timeout=20_000)
    assert page.url.endswith(f"/budgets/{world.edition.slug}/vote/merci/")
    assert axe_violations(page) == []
    assert seen["errors"] == [], seen["errors"]
    assert seen["outside"] == [], seen["outside"]

    assert Participation.objects.get().user == world.resident
    assert stored(Ballot.objects.get()) == [(1, 1, None), (3, 1, None)]
    context.close()


def test_points_and_ranks_are_given_from_the_map(live_server, browser, settings):
    """Cumulative: each tap one more point, up to the project's limit, then none again;
    the points left go down. Ordinal: each tap the next rank; untapped, the ranks after
    it move up. The form's numbers follow, and what is sent is stored."""
    settings.DEBUG = True
    cumulative = make_world(
        ballot_type=Edition.BallotType.CUMULATIVE,
        max_points_per_project=2,
        max_points_total=3,
        max_choices=0,
        within_envelope=False,
        minimum_age=None,
    )
    ordinal = make_world(ballot_type=Edition.BallotType.ORDINAL, within_envelope=False)
    spread(cumulative)
    spread(ordinal)
    context = browser.new_context(locale="fr-FR", **PHONE)
    signed_in(context, live_server, cumulative.resident)
    page = context.new_page()
    seen = watch(page, live_server)

    page.goto(f"{live_server.url}/budgets/{cumulative.edition.slug}/vote/")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    assert page.locator("#ballot-left").get_attribute("data-left") == "3"
    one = page.locator('.ballot-marker[data-number="1"]')
    one.tap()
    one.tap()
    page.wait_for_selector('#ballot-left[data-left="1"]')
    assert page.locator("#id_points-1").input_value() == "2"
    one.tap()  # past the project's limit: no points again
    page.wait_for_selector('#ballot-left[data-left="3"]')
    assert page.locator("#id_points-1").input_value() == ""
    one.tap()
    page.locator('.ballot-marker[data-number="2"]').tap()
    page.wait_for_selector('#ballot-left[data-left="1"]')
    page.locator("#id_resident").check()
    page.locator("#ballot-submit").tap()
    page.wait_for_selector("#done-title", timeout=20_000)
    assert stored(Ballot.objects.get(edition=cumulative.edition)) == [(1, 1, None), (2, 1, None)]

    page.goto(f"{live_server.url}/budgets/{ordinal.edition.slug}/vote/")
    page.wait_for_selector("body[data-map-ready]", timeout=30_000)
    for number in (3, 1, 2):
        page.locator(f'.ballot-marker[data-number="{number}"]').tap()
    assert [page.locator(f"#id_rank-{n}").input_value() for n in (1, 2, 3)] == ["2", "3", "1"]
    page.locator('.ballot-marker[data-number="1"]').tap()  # unranked: n° 2 moves up
    assert [page.locator(f"#id_rank-{n}").input_value() for n in (1, 2, 3)] == ["", "2", "1"]
    assert page.locator('.ballot-marker[data-number="3"]').inner_text() == "3·1"
    assert axe_violations(page) == []
    page.locator("#id_resident").check()
    page.locator("#id_of_age").check()
    page.locator("#ballot-submit").tap()
    page.wait_for_selector("#done-title", timeout=20_000)
    assert stored(Ballot.objects.get(edition=ordinal.edition)) == [(2, 1, 2), (3, 1, 1)]
    assert seen["errors"] == [], seen["errors"]
    assert seen["outside"] == [], seen["outside"]
    context.close()
