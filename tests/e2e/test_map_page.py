# SPDX-License-Identifier: AGPL-3.0-or-later
"""The map page of a concertation in headless Chromium: the map and its tiles, a
resident who signs up, pins an idea through the page, sees it on the map and in the
list, votes and comments; accessibility checked by axe-core; screenshots kept."""

import gzip
import re
import uuid
from datetime import timedelta
from pathlib import Path

import mapbox_vector_tile
import pytest
from django.utils import timezone

from carto_concertation.accounts.models import User
from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.concertations.services import concertation_create
from carto_concertation.contributions.models import Contribution
from carto_concertation.engagement.models import Comment
from tests.demo_snapshot import demo_load

from .sessions import signed_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "frontend/node_modules/axe-core/axe.min.js"
ARTEFACTS = ROOT / "test-artifacts"
PASSWORD = "un chemin creux sous les tilleuls"
# Chromium's software WebGL reports its own slowness; nothing to do with the page.
GL_NOISE = re.compile(r"GL Driver Message|GPU stall|WebGL")


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    demo_load()
    return Concertation.objects.get(status=Concertation.Status.OPEN)


def watch(page, live_server):
    """Console errors, failed requests and requests leaving the server, as they come."""
    seen = {"errors": [], "failed": [], "outside": [], "tiles": [], "tiles_failed": []}
    page.on(
        "console",
        lambda m: (
            m.type == "error" and not GL_NOISE.search(m.text) and seen["errors"].append(m.text)
        ),
    )
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on(
        "request",
        lambda r: (
            not r.url.startswith((live_server.url, "data:", "blob:"))
            and seen["outside"].append(r.url)
        ),
    )

    def response(r):
        if r.status >= 400:
            seen["failed"].append((r.status, r.url))
        if "/tiles/" in r.url and r.url.split("?")[0].endswith(".mvt"):
            seen["tiles"].append(r)

    page.on("response", response)
    # A tile request that got no answer (aborted by the map, or the connection lost):
    # apart from "failed", which the tests want empty, since the map aborts the tiles it
    # no longer needs while it moves.
    page.on(
        "requestfailed",
        lambda r: "/tiles/" in r.url and seen["tiles_failed"].append((r.failure, r.url)),
    )
    return seen


def axe_violations(page) -> list[str]:
    # Evaluated through the DevTools protocol: an injected <script> is what the
    # Content-Security-Policy refuses.
    page.evaluate(AXE.read_text())
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    return found


def screenshot(page, name: str) -> None:
    ARTEFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTEFACTS / f"{name}.png"), full_page=False)


def ids_in_tiles(responses, concertation) -> set[int]:
    ids = set()
    for response in responses:
        if f"contributions-{concertation.slug}" not in response.url or response.status != 200:
            continue
        body = response.body()
        data = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
        layer = mapbox_vector_tile.decode(data).get("contributions")
        ids |= {feature["id"] for feature in (layer or {}).get("features", [])}
    return ids


def tiles_report(seen, concertation, since: int) -> str:
    """The concertation's tiles the page asked for since ``since``: what each held, and the
    requests that failed (the message of a failing wait, so that a failure says which
    tile, at which zoom, came back how)."""
    lines = []
    for response in seen["tiles"][since:]:
        if f"contributions-{concertation.slug}" not in response.url:
            continue
        tile = response.url.split("/tiles/", 1)[1].split("/", 1)[1]
        found = sorted(ids_in_tiles([response], concertation))
        lines.append(f"{tile} {response.status} ids={found}")
    lines += [f"failed: {failure} {url}" for failure, url in seen["tiles_failed"]]
    return "\n".join(lines) or "no tile of the concertation asked for"


def wait_for_idea_in_tiles(page, seen, concertation, pk: int, seconds: int = 20) -> bool:
    """The page eases to a new idea after sending it: wait for the tiles it then asks for."""
    for _ in range(seconds * 4):
        if pk in ids_in_tiles(seen["tiles"], concertation):
            return True
        page.wait_for_timeout(250)
    return False


@pytest.mark.parametrize(
    ("size", "viewport"),
    [("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 390, "height": 844})],
)
def test_the_map_draws_our_tiles_and_nothing_else(live_server, browser, demo, size, viewport):
    context = browser.new_context(locale="fr-FR", viewport=viewport)
    page = context.new_page()
    seen = watch(page, live_server)

    page.goto(f"{live_server.url}/")
    assert axe_violations(page) == []
    page.get_by_role("link", name=demo.title, exact=True).click()
    page.wait_for_selector("body[data-contributions-drawn]", timeout=30_000)
    page.wait_for_load_state("networkidle")
    screenshot(page, f"map-{size}")

    assert page.locator("html").get_attribute("lang") == "fr"
    assert seen["tiles"], "the map asked for no tile"
    assert all(r.status in (200, 204) for r in seen["tiles"]), [
        (r.status, r.url) for r in seen["tiles"] if r.status not in (200, 204)
    ]
    assert any(r.status == 200 and "contributions-" in r.url for r in seen["tiles"])
    assert seen["outside"] == []
    assert seen["failed"] == []
    assert seen["errors"] == []
    # The list follows the view: the ideas of the demo, each one a button.
    page.wait_for_selector("#contribution-list li button")
    assert page.locator("#contribution-list li").count() >= 10
    assert axe_violations(page) == []

    # Closer in, a click where there is no idea tells the zone, its type, its règlement.
    for _ in range(4):
        page.get_by_role("button", name="Zoom avant").click()
        page.wait_for_timeout(300)
    page.wait_for_load_state("networkidle")
    # The map in view (on a phone the page's head, with its steps, comes first).
    page.evaluate("document.getElementById('map').scrollIntoView({block: 'end'})")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.75)
    page.wait_for_selector("#panel-title:text-matches('^Zone ')", timeout=10_000)
    assert "Type" in page.locator("#panel").inner_text()
    context.close()


def test_the_list_works_without_javascript(live_server, browser, demo):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    theme = demo.themes.order_by("name").first()
    page.goto(f"{live_server.url}/concertations/{demo.slug}/?theme={theme.pk}&ordering=supported")
    titles = page.locator("#contribution-list summary").all_inner_texts()
    expected = list(
        Contribution.objects.filter(
            concertation=demo,
            themes=theme,
            status__in=["published", "under_study", "retained", "partly_retained", "not_retained"],
        ).values_list("title", flat=True)
    )
    assert sorted(titles) == sorted(expected) and titles
    context.close()


def test_a_resident_signs_up_pins_an_idea_votes_and_comments(
    live_server, browser, demo, mailoutbox
):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    seen = watch(page, live_server)
    address = f"lou-{uuid.uuid4().hex[:8]}@example.org"

    # Sign up, confirm the address, sign in: the real pages.
    page.goto(f"{live_server.url}/accounts/signup/")
    page.fill("#id_email", address)
    page.fill("#id_pseudonym", f"Lou {uuid.uuid4().hex[:4]}")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.check("#id_consent")
    assert axe_violations(page) == []
    page.locator("form[action='/accounts/signup/'] button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/confirm-email/")
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", mailoutbox[-1].body)
    page.goto(f"{live_server.url}{link[1]}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/accounts/login/"))
    page.fill("#id_login", address)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/accounts/")
    assert axe_violations(page) == []

    # Propose an idea: place it, see the zone under it, fill the form, send.
    page.goto(f"{live_server.url}/concertations/{demo.slug}/")
    page.wait_for_selector("body[data-contributions-drawn]", timeout=30_000)
    # Place first, at the crosshair, then write.
    page.click("#propose")
    page.wait_for_function(
        "() => document.querySelector('#placing .zone-under').textContent.includes('Zone')"
    )
    page.get_by_role("button", name="Valider l'emplacement").click()
    page.wait_for_selector("#idea-form")
    assert "Zone" in page.locator("#idea-form .zone-under").inner_text()
    page.locator("#idea-form button[type=submit]").click()  # nothing filled in yet
    page.wait_for_function("() => document.querySelector('#idea-title-error').textContent")
    assert page.locator("#idea-title-error").inner_text()
    # The API's 400 is the only error Chromium logs for it; the page shows it by the field.
    assert [e for e in seen["errors"] if "400" in e] == [seen["errors"][-1]]
    seen["errors"].clear()
    seen["failed"].clear()
    assert axe_violations(page) == []
    page.fill("#idea-title", "Un abri pour les vélos")
    page.fill("#idea-text", "Devant la médiathèque, à l'abri de la pluie.")
    page.locator("#idea-themes input").first.check()
    sent = len(seen["tiles"])
    seen["tiles_failed"].clear()
    page.locator("#idea-form button[type=submit]").click()
    page.wait_for_selector("#panel-title:text('Un abri pour les vélos')")
    idea = Contribution.objects.get(title="Un abri pour les vélos")
    assert idea.author.email == address

    # On the map (in the tiles the page drew after sending) and in the list.
    page.wait_for_function(
        "() => [...document.querySelectorAll('#contribution-list button')]"
        ".some(b => b.textContent === 'Un abri pour les vélos')"
    )
    assert wait_for_idea_in_tiles(page, seen, demo, idea.pk), (
        f"idea {idea.pk} in no tile; the tiles asked for since sending it:\n"
        + tiles_report(seen, demo, sent)
    )

    # Vote and comment from the panel.
    page.get_by_role("button", name="Je soutiens cette idée").click()
    page.wait_for_function("() => document.querySelector('.votes p').textContent.startsWith('1 ')")
    idea.refresh_from_db()
    assert idea.votes_for == 1
    page.fill(f"#comment-{idea.pk}-new", "Et des arceaux pour les vélos cargo.")
    page.locator(".comments form.comment-form button[type=submit]").last.click()
    page.wait_for_selector("text=Et des arceaux pour les vélos cargo.")
    assert Comment.objects.filter(contribution=idea).count() == 1
    screenshot(page, "idea-panel-desktop")

    # The account lists my ideas (and, later, the collectivité's answers).
    page.goto(f"{live_server.url}/accounts/")
    assert "Un abri pour les vélos" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    for path in ("/accounts/data/", "/accounts/delete/", "/accounts/preferences/"):
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path

    assert seen["outside"] == []
    assert seen["errors"] == []
    context.close()


def propose_a_line(page, title: str, clicks: list[tuple[float, float]]) -> None:
    """Place first: choose a line, click its vertices on the full-screen map, finish;
    then write and send."""
    page.click("#propose")
    page.wait_for_selector("#placing")
    page.check("#placing input[name=kind][value=line]")
    box = page.locator("#map").bounding_box()
    for dx, dy in clicks:  # pixels from the crosshair, in the perimeter
        page.mouse.click(box["x"] + box["width"] / 2 + dx, box["y"] + box["height"] / 2 + dy)
    page.get_by_role("button", name="Terminer").click()
    page.wait_for_selector("#idea-form")
    page.fill("#idea-title", title)
    page.fill("#idea-text", "Un chemin pour aller à l'école à pied.")
    page.locator("#idea-themes input").first.check()
    page.locator("#idea-form button[type=submit]").click()
    page.wait_for_selector(f"#panel-title:text('{title}')", timeout=20_000)


def test_a_second_proposal_stores_each_vertex_once(page, live_server, demo):
    resident = User.objects.get(email="habitant@demo.invalid")
    signed_in(page.context, live_server, resident)
    page.goto(f"{live_server.url}/concertations/{demo.slug}/")
    page.wait_for_selector("body[data-contributions-drawn]", timeout=30_000)

    propose_a_line(page, "Un chemin piéton", [(-80, -40), (0, 0), (80, 40)])
    propose_a_line(page, "Un second chemin", [(-80, -60), (-20, -20), (40, 0), (90, 70)])

    first = Contribution.objects.get(title="Un chemin piéton")
    second = Contribution.objects.get(title="Un second chemin")
    assert first.geom.geom_type == second.geom.geom_type == "LineString"
    assert first.geom.num_points == 3
    assert second.geom.num_points == 4
    # Four distinct places, each clicked once.
    assert len(set(second.geom.coords)) == 4


def test_a_concertation_without_plui_draws_without_errors(live_server, page, demo):
    now = timezone.now()
    without = concertation_create(
        territory=demo.territory,
        title="Concertation avant le PLUi",
        phases={Phase.Kind.CONTRIBUTIONS: (now - timedelta(days=1), now + timedelta(days=30))},
        themes=[("Mobilité", "#1f77b4")],
        status=Concertation.Status.OPEN,
    )
    seen = watch(page, live_server)
    page.goto(f"{live_server.url}/concertations/{without.slug}/")
    page.wait_for_selector("body[data-contributions-drawn]", timeout=30_000)
    page.wait_for_load_state("networkidle")
    assert seen["errors"] == []
    assert seen["failed"] == []
