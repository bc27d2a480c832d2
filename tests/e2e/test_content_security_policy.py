# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every page carries the site's Content-Security-Policy (no 'unsafe-inline', no
'unsafe-eval') and satisfies it: headless Chromium walks the pages as each role —
anonymous, resident, moderator, planner, relay, administrator — and no
`securitypolicyviolation` event fires and no CSP error reaches the console. The bilan, a
self-contained report full of inline scripts, is served with a sandboxing policy of its
own, under which its maps still draw."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from carto_concertation.accounts.models import User
from carto_concertation.concertations.models import Concertation
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.planning import bilan
from carto_concertation.core.models import Job
from carto_concertation.crowdfunding.models import Project
from carto_concertation.opendata.catalogue.files import open_files_refresh
from carto_concertation.territories.models import Commune
from carto_concertation.workshops.services import workshop_create
from tests.demo_snapshot import demo_load

from .sessions import signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
CSP_MESSAGE = re.compile(r"Content.Security.Policy", re.I)
# Recorded in every document before any of its own scripts runs.
LISTEN_FOR_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
      `at ${event.sourceFile}:${event.lineNumber} (${event.sample})`,
  );
});
"""


@pytest.fixture
def site(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    demo_load()
    concertation = Concertation.objects.get(status=Concertation.Status.OPEN)
    relay = User.objects.get(email="relais@demo.invalid")
    workshop = workshop_create(
        user=relay,
        concertation=concertation,
        commune=Commune.objects.get(insee="18242"),
        starts_at=timezone.now() + timedelta(hours=1),
        place="Salle des fêtes",
        facilitator="Relais démo",
    )
    # A change of address waiting for its confirmation (allauth's page then holds a form
    # hidden from view).
    EmailAddress.objects.create(
        user=User.objects.get(email="habitant@demo.invalid"),
        email="habitant-nouveau@example.org",
        primary=False,
        verified=False,
    )
    # A bilan as the worker leaves it (its HTML; the PDF is not needed here).
    job = Job.objects.create(
        kind=bilan.JOB_KIND,
        title="Bilan",
        status=Job.Status.SUCCEEDED,
        params={"concertation_id": concertation.pk},
    )
    html, _maps, _listed = bilan.bilan_html(concertation=concertation, progress=lambda *a: None)
    path = bilan.bilan_path(job_id=str(job.pk), fmt="html")
    path.parent.mkdir(parents=True)
    path.write_text(html, encoding="utf-8")
    # The open files of the demo, for the open-data page to list them.
    open_files_refresh()
    return {"concertation": concertation, "workshop": workshop, "job": job}


def pages_by_role(site) -> dict[str | None, list[tuple[str, str | None]]]:
    """(path, a selector showing the page did its work) for each role, by e-mail."""
    slug = site["concertation"].slug
    map_page = (f"/concertations/{slug}/", "body[data-contributions-drawn]")
    commune = Commune.objects.order_by("pk").first()
    idea = Contribution.objects.filter(concertation=site["concertation"], status="published")
    idea = idea.order_by("pk").first()
    workshop = f"/workshops/{site['workshop'].pk}/"
    # The consultation: the demo's open questionnaire, its results drawn on their maps.
    survey = "plan-velo-des-trois-provinces"
    survey_results = (f"/consultations/{survey}/resultats/", ".survey-map[data-ready]")
    # The crowdfunding portal: the demo resident carries the market garden (in campaign),
    # the café (inaugurated) and the bike workshop (waiting for the agents' decision).
    garden, cafe = "maraichage-bio-mornay-sur-allier", "cafe-epicerie-cooperatif-sagonne"
    waiting = "atelier-velo-neuvy-le-barrois"
    portal_map = ("/financement/", "body[data-map-ready]")
    return {
        None: [
            ("/", None),
            map_page,
            ("/accounts/login/", None),
            ("/accounts/signup/", None),
            ("/accounts/password/reset/", None),
            ("/accounts/password/reset/done/", None),
            ("/accounts/confirm-email/", None),
            ("/accounts/privacy/", None),
            # The search box's page without JavaScript, the embeddable map page, an
            # idea's own page and the public moderation log.
            (f"/concertations/{slug}/recherche/?q=UB", None),
            (f"/concertations/{slug}/idees/{idea.pk}/", None),
            (f"/concertations/{slug}/moderation/", None),
            (f"/concertations/{slug}/carte/", "body[data-map-ready]"),
            ("/api/v1/", None),
            # The browsable API with its filter form.
            (f"/api/v1/concertations/{slug}/contributions/", None),
            ("/api/v1/docs/", ".swagger-ui .info"),
            ("/admin/login/", None),
            ("/consultations/", None),
            (f"/consultations/{survey}/", None),
            survey_results,
            portal_map,
            (f"/financement/{garden}/", "body[data-map-ready]"),
            ("/financement/chiffres/", None),
            (f"/financement/{garden}/suivre/", None),
            # The open-data page, its files listed.
            ("/donnees/", "a[href$='/communes.gpkg']"),
            # OGC API – Features and Tiles, as a browser gets them (HTML).
            ("/ogc/", None),
            ("/ogc/api", None),
            ("/ogc/collections", None),
            ("/ogc/collections/communes", None),
            ("/ogc/collections/communes/items?limit=5", None),
            (f"/ogc/collections/communes/items/{commune.pk}", None),
            ("/ogc/collections/communes/tiles/WebMercatorQuad", None),
        ],
        "habitant@demo.invalid": [
            ("/accounts/", None),
            ("/accounts/preferences/", None),
            ("/accounts/data/", None),
            ("/accounts/delete/", None),
            ("/accounts/email/", "form#pending-email[hidden]"),
            ("/accounts/password/change/", None),
            ("/accounts/logout/", None),
            map_page,
            ("/api/v1/me/", None),
            # Signed in, the browsable API adds its forms to send an idea.
            (f"/api/v1/concertations/{slug}/contributions/", None),
            ("/financement/proposer/", "body[data-map-ready]"),
            ("/financement/mes-projets/", None),
            (f"/financement/gestion/{waiting}/", None),
            (f"/financement/gestion/{garden}/campagne/", None),
            (f"/financement/gestion/{cafe}/nouvelles/", None),
        ],
        "moderation@demo.invalid": [
            map_page,
            ("/moderation/", None),
            ("/moderation/comptes/bannis/", None),
            (f"/moderation/{slug}/", None),
            (f"/signaler/contributions.contribution/{idea.pk}/", None),
            (f"/api/v1/concertations/{slug}/moderation/queue", None),
        ],
        "urbanisme@demo.invalid": [
            (f"/concertations/{slug}/tableau-de-bord/", "body[data-map-ready]"),
            (f"/concertations/{slug}/idees/{idea.pk}/traitement/", None),
            (f"/api/v1/concertations/{slug}/stats", None),
            ("/consultations/gestion/", None),
            (f"/consultations/gestion/{survey}/", None),
            (f"/consultations/gestion/{survey}/resultats/", ".survey-map[data-ready]"),
            (f"/consultations/gestion/{survey}/textes/", None),
            (f"/consultations/gestion/{survey}/exports/", None),
            (f"/consultations/{survey}/repondre/", None),
            ("/financement/gestion/", None),
            (f"/financement/gestion/{waiting}/", None),
        ],
        "relais@demo.invalid": [
            ("/workshops/", None),
            (workshop, None),
            (f"{workshop}paper-import/", None),
            (f"{workshop}summary/", None),
            (f"/workshops/{site['workshop'].pk}/capture/", "body[data-map-drawn]"),
            ("/consultations/saisie/", None),
            (f"/consultations/saisie/{survey}/", None),
        ],
        "admin@demo.invalid": [
            ("/admin/", None),
            ("/admin/territories/commune/", None),
            # GeoDjango's map widget, over the communes.
            (f"/admin/territories/commune/{commune.pk}/change/", ".dj_map canvas"),
            (
                f"/admin/concertations/concertation/{site['concertation'].pk}/change/",
                ".dj_map canvas",
            ),
            ("/admin/plui_documents/urbandocument/", None),
            ("/admin/plui_documents/urbandocument/upload/", None),
            (f"/admin/core/job/{site['job'].pk}/change/", None),
            ("/admin/accounts/user/", None),
            # The staff audit journal (its date inputs, its CSV button).
            ("/admin/journal/", None),
            (
                f"/admin/crowdfunding/project/{Project.objects.get(slug=garden).pk}/change/",
                ".dj_map canvas",
            ),
        ],
    }


def browse(browser, live_server, email: str | None):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.add_init_script(LISTEN_FOR_VIOLATIONS)
    if email:
        signed_in(context, live_server, User.objects.get(email=email))
    page = context.new_page()
    console = []
    page.on("console", lambda m: CSP_MESSAGE.search(m.text) and console.append(m.text))
    return context, page, console


def visit(page, live_server, path: str, ready: str | None) -> str:
    """The page's policy, once the page is loaded and has done its work."""
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, (path, response.status)
    try:
        if ready:
            page.wait_for_selector(ready, state="attached", timeout=30_000)
        page.wait_for_load_state("networkidle")
    except PlaywrightTimeoutError as error:
        raise AssertionError(f"{path} did not settle: {error}") from error
    return response.headers.get("content-security-policy", "")


def test_every_page_satisfies_the_content_security_policy(browser, live_server, site):
    broken = {}
    for email, pages in pages_by_role(site).items():
        context, page, console = browse(browser, live_server, email)
        for path, ready in pages:
            policy = visit(page, live_server, path, ready)
            assert "script-src 'self'" in policy, (email, path, policy)
            assert "style-src 'self'" in policy, (email, path, policy)
            assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, policy
            if path == f"/concertations/{site['concertation'].slug}/" and email:
                # The form to propose an idea, built by the page (its theme swatches),
                # once the place is chosen on the full-screen map.
                page.click("#propose")
                page.get_by_role("button", name="Valider l'emplacement").click()
                page.wait_for_selector("#idea-form .swatch")
            found = page.evaluate("window.__cspViolations") + console
            console.clear()
            if found:
                broken[(email, path)] = found
        context.close()

    # A form sent without its CSRF cookie: Django's refusal, in the site's page.
    context, page, console = browse(browser, live_server, None)
    visit(page, live_server, "/accounts/login/", None)
    context.clear_cookies()
    with page.expect_navigation() as refused:
        page.click("header form[action='/i18n/setlang/'] button[type=submit]")
    assert refused.value.status == 403
    assert "script-src 'self'" in refused.value.headers.get("content-security-policy", "")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Formulaire expiré"
    found = page.evaluate("window.__cspViolations") + console
    if found:
        broken[(None, "CSRF refusal")] = found
    context.close()
    assert broken == {}, "\n".join(f"{where}: {found}" for where, found in broken.items())


def test_an_injected_inline_script_or_style_is_refused_and_reported(browser, live_server, site):
    """The watch above sees what it must: the policy holds and a violation is caught."""
    context, page, console = browse(browser, live_server, None)
    visit(page, live_server, "/", None)
    ran = page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__injected = true";
          document.head.append(script);
          const style = document.createElement("div");
          style.setAttribute("style", "color: red");
          document.body.append(style);
          return window.__injected === true;
        }"""
    )
    assert ran is False
    page.wait_for_function("window.__cspViolations.length >= 2")
    directives = {v.split()[0] for v in page.evaluate("window.__cspViolations")}
    assert directives == {"script-src-elem", "style-src-attr"}
    assert console, "Chromium reports a refusal in the console too"
    context.close()


def test_the_bilan_runs_its_inline_maps_in_a_sandbox(browser, live_server, site):
    context, page, console = browse(browser, live_server, "urbanisme@demo.invalid")
    slug = site["concertation"].slug
    path = f"/api/v1/concertations/{slug}/bilans/{site['job'].pk}/html"
    policy = visit(page, live_server, path, ".folium-map.leaflet-container")
    assert "sandbox allow-scripts" in policy and "allow-same-origin" not in policy
    assert "default-src 'none'" in policy and "form-action 'none'" in policy
    # Its maps drew (Leaflet and folium's inline scripts ran), in an opaque origin that
    # cannot read the planner's session or call the API as the planner.
    maps = page.locator(".bilan-map").count()
    assert maps > 0 and page.locator(".folium-map.leaflet-container").count() == maps
    assert page.locator(".leaflet-interactive").count() > 0
    assert page.evaluate("self.origin") == "null"
    assert page.evaluate("window.__cspViolations") + console == []
    # The rest of the site's policy is untouched by the report's.
    assert "sandbox" not in visit(page, live_server, f"/concertations/{slug}/", None)
    context.close()
