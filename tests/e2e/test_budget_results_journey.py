# SPDX-License-Identifier: AGPL-3.0-or-later
"""A planner counts an edition's ballots in Chromium with a real worker: the page follows
the job (results-manage.js) and shows the count when it ends, the planner publishes it,
and the public page says why each project won or lost. axe-core finds no serious or
critical violation on either page, the console no error."""

import pytest

from tests.budgets.results_world import results_world

from .sessions import signed_in
from .test_map_page import axe_violations, watch

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.worker,
]


def test_a_planner_counts_and_publishes_in_the_browser(page, live_server, celery_worker):
    world = results_world()
    slug = world.edition.slug
    seen = watch(page, live_server)
    signed_in(page.context, live_server, world.planner)

    page.goto(f"{live_server.url}/budgets/gestion/{slug}/resultats/")
    page.select_option("#id_rule", "greedy")
    page.get_by_role("button", name="Calculer").click()
    # The module reloads the page once the worker has counted: no click on "Actualiser".
    page.get_by_role("button", name="Publier ces résultats").wait_for(timeout=60_000)
    assert page.locator("progress").count() == 0
    assert "10\xa0000\xa0€ restants" in page.locator(".results-table").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Publier ces résultats").click()
    page.wait_for_url(f"**/budgets/gestion/{slug}/resultats/")
    page.goto(f"{live_server.url}/budgets/{slug}/resultats/")
    text = page.locator("main").inner_text()
    assert "le plus voté d’abord" in text
    assert "N’entrait plus dans l’enveloppe restante" in text
    assert "Aucun bulletin ne l’a choisi." in text
    assert axe_violations(page) == []
    assert seen["errors"] == []
    assert seen["outside"] == []
