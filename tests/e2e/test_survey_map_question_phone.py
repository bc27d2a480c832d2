# SPDX-License-Identifier: AGPL-3.0-or-later
"""A resident answers a questionnaire's map questions on a phone (360×740, touch): they tap
the map to place a point, place another with the keyboard alone (the map focused, the
arrows, Enter), give each its follow-up, pick a PLUi zone by tapping it (its box in the
list ticked with it), draw a route with two taps and "Terminer", and submit. The stored features lie where they were tapped, within
a few metres, and carry their follow-ups. axe-core finds no serious or critical violation
on the page with its two maps, the console no error, and no request leaves the server.

Where a tap lands is computed here independently of the page: MapLibre fits the
perimeter's bounds into the map with 16 pixels of padding (map-question.js), so a pixel's
place follows from Web Mercator and the map's size alone."""

import math

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from carto_concertation.surveys.models import AnswerFeature, Question, Response
from carto_concertation.surveys.selectors.questionnaires import questionnaire_zones
from tests.factories.accounts import UserFactory
from tests.factories.geometry import wgs84
from tests.factories.plui_documents import zoned_plui
from tests.factories.surveys import QuestionFactory, QuestionnaireFactory, SurveyPageFactory

from .sessions import signed_in
from .test_map_page import axe_violations, screenshot, watch

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}
PADDING = 16  # map-question.js's fitBoundsOptions
STEP = 80  # pixels an arrow moves the crosshair (map-question.js)
WAIT = 15_000  # milliseconds: the two cores are shared with other test runs
Kind = Question.Kind


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator in [0, 1], as MapLibre's world coordinates."""
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360, (1 - y / math.pi) / 2


def lonlat(x: float, y: float) -> tuple[float, float]:
    return x * 360 - 180, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


class Fitted:
    """A map that fit ``extent`` (WGS84) into ``box`` (its canvas, CSS pixels)."""

    def __init__(self, extent: tuple[float, ...], box: dict):
        west, south, east, north = extent
        (x0, y0), (x1, y1) = mercator(west, north), mercator(east, south)
        self.width, self.height = box["width"], box["height"]
        self.scale = min(
            (self.width - 2 * PADDING) / (x1 - x0), (self.height - 2 * PADDING) / (y1 - y0)
        )
        self.centre = ((x0 + x1) / 2, (y0 + y1) / 2)

    def place(self, dx: float, dy: float) -> Point:
        """The place ``dx``, ``dy`` pixels from the centre."""
        x, y = self.centre[0] + dx / self.scale, self.centre[1] + dy / self.scale
        return Point(*lonlat(x, y), srid=4326)

    def pixel(self, point: Point) -> dict:
        """Where a WGS84 point lies, from the canvas's top left corner."""
        x, y = mercator(point.x, point.y)
        return {
            "x": self.width / 2 + (x - self.centre[0]) * self.scale,
            "y": self.height / 2 + (y - self.centre[1]) * self.scale,
        }


def extent_of(geometries) -> tuple[float, ...]:
    """The WGS84 extent of geometries together (a pick question's map fits its places)."""
    extents = [wgs84(geometry).extent for geometry in geometries]
    return (
        min(e[0] for e in extents),
        min(e[1] for e in extents),
        max(e[2] for e in extents),
        max(e[3] for e in extents),
    )


def metres(stored, expected: Point) -> float:
    return stored.distance(expected.transform(stored.srid, clone=True))


@pytest.fixture
def questionnaire():
    questionnaire = QuestionnaireFactory(title="Plan vélo : vos trajets")
    questionnaire.zoning_document = zoned_plui(questionnaire.territory)
    questionnaire.save()
    page = SurveyPageFactory(questionnaire=questionnaire, title="Sur la carte")
    QuestionFactory(
        page=page,
        kind=Kind.POINTS,
        code="danger",
        label="Où vous sentez-vous en danger à vélo ?",
        max_count=3,
        marker_choices=2,
        marker_comment=True,
        marker_choice_label="Pourquoi ?",
    )
    QuestionFactory(page=page, kind=Kind.ZONES, code="proteger", label="Quelles zones protéger ?")
    QuestionFactory(
        page=page, kind=Kind.LINE, code="trajet", label="Votre trajet vers l’école ?", max_count=1
    )
    return questionnaire


def test_a_resident_answers_map_questions_by_touch_and_by_keyboard(
    live_server, browser, settings, questionnaire
):
    settings.DEBUG = True
    resident = UserFactory()
    danger = Question.objects.get(code="danger")
    follow_ups = list(danger.choices.filter(for_marker=True).order_by("position"))
    zone = questionnaire_zones(questionnaire)[5]
    extent = wgs84(questionnaire.territory.geom).extent
    context = browser.new_context(locale="fr-FR", **PHONE)
    signed_in(context, live_server, resident)
    page = context.new_page()
    seen = watch(page, live_server)

    page.goto(f"{live_server.url}/consultations/{questionnaire.slug}/repondre/")
    page.wait_for_selector("fieldset[data-code=danger][data-map-ready]", timeout=30_000)
    page.wait_for_selector("fieldset[data-code=proteger][data-map-ready]", timeout=30_000)
    page.wait_for_selector("fieldset[data-code=trajet][data-map-ready]", timeout=30_000)
    points = page.locator("fieldset[data-code=danger]")
    canvas = points.locator("canvas.maplibregl-canvas")
    canvas.scroll_into_view_if_needed()
    fitted = Fitted(extent, canvas.bounding_box())

    # A finger places the first point, north-west of the centre.
    canvas.tap(position={"x": fitted.width / 2 - 60, "y": fitted.height / 2 - 40})
    page.wait_for_selector("fieldset[data-code=danger] .smq-item >> nth=0")
    tapped = fitted.place(-60, -40)
    expect(points.locator(".smq-status")).to_contain_text("Point 1 placé", timeout=WAIT)

    # The keyboard places the second: the map focused, a step right and a step down, Enter.
    canvas.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_selector("fieldset[data-code=danger] .smq-item >> nth=1")
    keyed = fitted.place(STEP, STEP)
    expect(points.locator(".smq-status")).to_contain_text("Point 2 placé", timeout=WAIT)
    # The list of places is off while the map holds the answer.
    assert points.locator(".survey-map-list select").first.is_disabled()

    # Each point's follow-up, in the small form under the map.
    first, second = points.locator(".smq-item").nth(0), points.locator(".smq-item").nth(1)
    first.locator("select").select_option(str(follow_ups[0].pk))
    first.locator("textarea").fill("Carrefour sans piste <b>dangereux</b>")
    second.locator("select").focus()
    second.locator("select").select_option(str(follow_ups[1].pk))

    # A tap on a zone picks it; its box in the list is ticked with it.
    zones = page.locator("fieldset[data-code=proteger]")
    zones_canvas = zones.locator("canvas.maplibregl-canvas")
    zones_canvas.scroll_into_view_if_needed()
    zones_fitted = Fitted(
        extent_of(z.geom for z in questionnaire_zones(questionnaire)), zones_canvas.bounding_box()
    )
    inside_zone = wgs84(zone.geom.point_on_surface)
    zones_canvas.tap(position=zones_fitted.pixel(inside_zone))
    page.wait_for_selector(f"#proteger-{zone.pk}:checked")
    assert zones.locator(".smq-item").count() == 1
    assert zone.libelle in zones.locator(".smq-item-title").inner_text()

    # A route: a tap at each end, then "Terminer".
    route = page.locator("fieldset[data-code=trajet]")
    route_canvas = route.locator("canvas.maplibregl-canvas")
    route_canvas.scroll_into_view_if_needed()
    route_fitted = Fitted(extent, route_canvas.bounding_box())
    ends = [(-100, 50), (70, -90)]
    for dx, dy in ends:
        route_canvas.tap(
            position={"x": route_fitted.width / 2 + dx, "y": route_fitted.height / 2 + dy}
        )
    expect(route.locator(".smq-status")).to_contain_text("Point 2 du tracé ajouté", timeout=WAIT)
    route.get_by_role("button", name="Terminer").tap()
    expect(route.locator(".smq-item-title")).to_have_text(["Tracé 1"], timeout=WAIT)

    screenshot(page, "survey-map-question-phone")
    assert axe_violations(page) == []
    page.locator("#survey-submit").tap()
    page.wait_for_selector("#answered-status", timeout=20_000)
    assert axe_violations(page) == []
    assert seen["errors"] == [], seen["errors"]
    assert seen["outside"] == [], seen["outside"]

    response = Response.objects.get(questionnaire=questionnaire)
    assert response.status == Response.Status.SUBMITTED
    placed = list(AnswerFeature.objects.filter(answer__question=danger).order_by("position"))
    assert len(placed) == 2
    assert metres(placed[0].geom, tapped) < 150
    assert metres(placed[1].geom, keyed) < 150
    assert [feature.marker_choice for feature in placed] == follow_ups
    assert placed[0].comment == "Carrefour sans piste <b>dangereux</b>"
    assert placed[1].comment == ""
    picked = AnswerFeature.objects.get(answer__question__code="proteger")
    assert (picked.zone, picked.geom) == (zone, None)
    line = AnswerFeature.objects.get(answer__question__code="trajet").geom
    assert line.geom_type == "LineString"
    for (x, y), (dx, dy) in zip(line.coords, ends, strict=True):
        assert metres(Point(x, y, srid=line.srid), route_fitted.place(dx, dy)) < 150
    context.close()


def test_an_area_drawn_by_keyboard_comes_back_and_the_list_takes_over(
    live_server, browser, settings
):
    """On a desktop, by keyboard alone: an area of three vertices (a fourth added, then
    undone), finished and commented; the points question handed to the list ("Je préfère
    choisir dans une liste") and answered there; communes picked from the list and with
    the keyboard, each following the other. Saved for later and opened again, the area is
    back on its map and the list's place on the other; submitted, all are stored."""
    settings.DEBUG = True
    resident = UserFactory()
    questionnaire = QuestionnaireFactory(title="Plan vélo : les rues calmes")
    page_of_questions = SurveyPageFactory(questionnaire=questionnaire, title="Sur la carte")
    QuestionFactory(
        page=page_of_questions,
        kind=Kind.AREA,
        code="calme",
        label="Quel quartier apaiser ?",
        max_count=1,
        marker_comment=True,
    )
    QuestionFactory(
        page=page_of_questions, kind=Kind.POINTS, code="arceaux", label="Où des arceaux ?"
    )
    QuestionFactory(
        page=page_of_questions, kind=Kind.COMMUNES, code="quartiers", label="Quelles communes ?"
    )
    commune = questionnaire.territory.communes.order_by("name").first()
    # The territory's two communes side by side, the first built to the west.
    west, east = questionnaire.territory.communes.order_by("pk")
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    signed_in(context, live_server, resident)
    page = context.new_page()
    seen = watch(page, live_server)
    answer_url = f"{live_server.url}/consultations/{questionnaire.slug}/repondre/"

    page.goto(answer_url)
    page.wait_for_selector("fieldset[data-code=calme][data-map-ready]", timeout=30_000)
    page.wait_for_selector("fieldset[data-code=arceaux][data-map-ready]", timeout=30_000)
    area = page.locator("fieldset[data-code=calme]")
    canvas = area.locator("canvas.maplibregl-canvas")
    fitted = Fitted(wgs84(questionnaire.territory.geom).extent, canvas.bounding_box())
    canvas.focus()
    for key in ("Enter", "ArrowRight", "Enter", "ArrowDown", "Enter", "ArrowLeft", "Enter"):
        page.keyboard.press(key)
    expect(area.locator(".smq-status")).to_contain_text("Point 4 du tracé ajouté", timeout=WAIT)
    page.locator("#smq-calme-undo").focus()
    page.keyboard.press("Enter")
    expect(area.locator(".smq-status")).to_contain_text("3 restant", timeout=WAIT)
    page.locator("#smq-calme-finish").focus()
    page.keyboard.press("Enter")
    expect(area.locator(".smq-status")).to_contain_text("Contour 1 terminé", timeout=WAIT)
    area.locator(".smq-item textarea").focus()
    page.keyboard.type("Les rues autour de l’école")
    corners = [fitted.place(0, 0), fitted.place(STEP, 0), fitted.place(STEP, STEP)]

    points = page.locator("fieldset[data-code=arceaux]")
    page.locator("#smq-arceaux-toggle").focus()
    page.keyboard.press("Enter")
    expect(points.locator(".smq")).to_be_hidden(timeout=WAIT)
    expect(points.locator(".survey-map-list select").first).to_be_focused(timeout=WAIT)
    points.locator(".survey-map-list select").first.select_option(label=commune.name)
    assert points.locator("input[name=arceaux-geojson]").input_value() == ""

    # Communes: a box ticked in the list is picked on the map; one picked with the keyboard
    # (a step west of the border between the two, Enter) is ticked in the list; removed
    # under the map, its box is unticked.
    picks = page.locator("fieldset[data-code=quartiers]")
    page.locator(f"#quartiers-{east.pk}").check()
    expect(picks.locator(".smq-item-title")).to_have_text([east.name], timeout=WAIT)
    picks.locator("canvas.maplibregl-canvas").focus()
    page.keyboard.press("ArrowLeft")
    expect(picks.locator(".smq-status")).to_contain_text(
        f"Sous la croix : {west.name}", timeout=WAIT
    )
    page.keyboard.press("Enter")
    expect(page.locator(f"#quartiers-{west.pk}")).to_be_checked(timeout=WAIT)
    picks.locator(".smq-item").first.get_by_role("button", name="Supprimer").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#quartiers-{east.pk}")).not_to_be_checked(timeout=WAIT)
    expect(picks.locator(".smq-item-title")).to_have_text([west.name], timeout=WAIT)
    assert axe_violations(page) == []

    page.locator("#survey-save").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/consultations/{questionnaire.slug}/")
    page.goto(answer_url)
    page.wait_for_selector("fieldset[data-code=calme][data-map-ready]", timeout=30_000)
    page.wait_for_selector("fieldset[data-code=arceaux][data-map-ready]", timeout=30_000)
    expect(area.locator(".smq-item-title")).to_have_text(["Contour 1"], timeout=WAIT)
    expect(area.locator(".smq-item textarea")).to_have_value(
        "Les rues autour de l’école", timeout=WAIT
    )
    expect(points.locator(".smq-item-title")).to_have_text(["Point 1"], timeout=WAIT)

    page.locator("#survey-submit").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#answered-status", timeout=20_000)
    assert seen["errors"] == [], seen["errors"]
    assert seen["outside"] == [], seen["outside"]

    drawn = AnswerFeature.objects.get(answer__question__code="calme")
    assert drawn.geom.geom_type == "Polygon" and drawn.geom.num_points == 4
    ring = [Point(x, y, srid=drawn.geom.srid) for x, y in drawn.geom.coords[0][:3]]
    for corner in corners:
        assert min(metres(vertex, corner) for vertex in ring) < 150
    assert drawn.comment == "Les rues autour de l’école"
    placed = AnswerFeature.objects.get(answer__question__code="arceaux")
    assert commune.geom.contains(placed.geom)
    picked = AnswerFeature.objects.get(answer__question__code="quartiers")
    assert (picked.commune, picked.geom) == (west, None)
    context.close()
