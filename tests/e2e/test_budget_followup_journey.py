# SPDX-License-Identifier: AGPL-3.0-or-later
"""The follow-up of a participatory budget's winner, in the browser: a planner publishes
a dated news with a photo from the agents' page (works under way, 40 %), then a resident
finds the project on the achievements' map and list (/budgets/realisations/), filters by
realisation, opens its follow-up, sees the news and its photo, and follows it. On every
page axe-core finds no serious or critical violation, the console no error, and no
request leaves the server."""

import io

import pytest
from django.utils import timezone
from PIL import Image

from carto_concertation.accounts.models import Role
from carto_concertation.budgets.models import ProjectFollower, ProjectUpdate
from tests.factories import UserFactory
from tests.factories.accounts import user_with_role
from tests.factories.budgets import EditionFactory, ProjectFactory

from .sessions import signed_in
from .test_map_page import axe_violations, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
NEWS = "Les vingt arbres du verger sont plantés."


def clean(page, seen, where: str) -> None:
    assert axe_violations(page) == [], where
    assert seen["errors"] == [], (where, seen["errors"])
    assert seen["outside"] == [], (where, seen["outside"])


def a_photo(tmp_path) -> str:
    path = tmp_path / "verger.jpg"
    output = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 120, 40)).save(output, "JPEG", quality=80)
    path.write_bytes(output.getvalue())
    return str(path)


def test_an_agent_posts_a_news_that_a_resident_reads(live_server, browser, tmp_path):
    edition = EditionFactory(districts=2, year=2025, title="Budget participatif 2025")
    winner = ProjectFactory(edition=edition, title="Verger partagé", status="winner")
    ProjectFactory(edition=edition, title="Abri vélos", status="winner")
    planner = user_with_role(Role.PLANNER, territory=edition.territory)
    resident = UserFactory()

    agent_context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    signed_in(agent_context, live_server, planner)
    page = agent_context.new_page()
    seen = watch(page, live_server)
    page.goto(f"{live_server.url}/budgets/gestion/{edition.slug}/suivi/")
    clean(page, seen, "agents' follow-up")
    news = page.locator(f"#projet-{winner.number} form.news-form")
    news.get_by_label("Date").fill(timezone.localdate().isoformat())
    news.get_by_label("Actualité").fill(NEWS)
    news.get_by_label("Photo").set_input_files(a_photo(tmp_path))
    news.get_by_label("Réalisation").select_option("works")
    news.get_by_label("Avancement (%)").fill("40")
    news.get_by_role("button", name="Publier l'actualité").click()
    page.wait_for_url(f"**/budgets/gestion/{edition.slug}/suivi/")
    assert "L'actualité est publiée." in page.content()
    update = ProjectUpdate.objects.get()
    assert update.photo and update.progress == 40
    agent_context.close()

    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    signed_in(context, live_server, resident)
    page = context.new_page()
    seen = watch(page, live_server)
    page.goto(f"{live_server.url}/budgets/realisations/")
    clean(page, seen, "achievements")
    assert page.locator('svg circle[data-realisation="works"]').count() == 1
    assert page.locator('svg circle[data-realisation="study"]').count() == 1
    page.get_by_label("Réalisation", exact=True).select_option("works")
    page.get_by_role("button", name="Filtre").click()
    rows = page.locator("table.achievements-list tbody tr")
    assert rows.count() == 1
    assert "Travaux en cours" in rows.first.inner_text()
    assert "40 %" in rows.first.inner_text()
    rows.first.get_by_role("link", name="Verger partagé").click()
    page.wait_for_url(f"**/budgets/{edition.slug}/projets/{winner.number}/suivi/")
    clean(page, seen, "follow-up")
    assert NEWS in page.locator("ol.news").inner_text()
    photo = page.locator("ol.news img")
    photo.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
    )
    page.get_by_role("button", name="Suivre ce projet").click()
    page.wait_for_selector("text=Ne plus suivre ce projet")
    assert ProjectFollower.objects.filter(project=winner, user=resident).exists()
    context.close()
