# SPDX-License-Identifier: AGPL-3.0-or-later
"""The answering pages without JavaScript (Django's test client): the presentation, page
by page with the list alternative of map questions, errors by the question, drafts."""

import json

import pytest

from carto_concertation.surveys.models import Answer, AnswerFeature, Response
from carto_concertation.surveys.selectors.answers import response_payload
from carto_concertation.surveys.selectors.questionnaires import (
    questionnaire_communes,
    questionnaire_zones,
)
from tests.factories import UserFactory
from tests.factories.plui_documents import zoned_plui
from tests.factories.surveys import (
    QuestionFactory,
    QuestionnaireFactory,
    SurveyPageFactory,
    every_kind,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_pages():
    questionnaire = QuestionnaireFactory()
    first = SurveyPageFactory(questionnaire=questionnaire, title="Vos trajets")
    text = QuestionFactory(page=first, kind="long_text", code="why", required=True)
    second = SurveyPageFactory(questionnaire=questionnaire, title="Sur la carte")
    points = QuestionFactory(
        page=second,
        kind="points",
        code="danger",
        max_count=2,
        marker_comment=True,
        marker_choices=2,
    )
    communes = QuestionFactory(page=second, kind="communes", code="where")
    return questionnaire, text, points, communes


def url(questionnaire, tail="") -> str:
    return f"/consultations/{questionnaire.slug}/{tail}"


def test_presentation_says_how_one_answer_per_person_holds(client, two_pages):
    questionnaire, *_ = two_pages
    page = client.get(url(questionnaire))
    assert page.status_code == 200
    assert "une réponse par compte" in page.content.decode()


def test_answered_page_by_page_without_javascript(client, two_pages):
    questionnaire, text, points, communes = two_pages
    client.force_login(UserFactory())
    page = client.get(url(questionnaire, "repondre/"))
    assert page.status_code == 200
    # A required answer missing: the page again, the reason next to the question.
    again = client.post(url(questionnaire, "repondre/"), {"page": 0, "action": "next", "why": ""})
    assert again.status_code == 400
    assert "Cette question demande une réponse" in again.content.decode()
    typed = "Trop de <script>alert('x')</script> voitures, à l’évidence\r\nsurtout là"
    moved = client.post(
        url(questionnaire, "repondre/"), {"page": 0, "action": "next", "why": typed}
    )
    assert moved.status_code == 302
    map_page = client.get(moved["Location"])
    html = map_page.content.decode()
    assert 'class="survey-map-question" data-kind="points" data-code="danger" data-max="2"' in html
    assert "&lt;script&gt;" not in html and "<script>alert" not in html
    commune = questionnaire_communes(questionnaire).first()
    choice = points.choices.filter(for_marker=True).first()
    done = client.post(
        url(questionnaire, "repondre/"),
        {
            "page": 1,
            "action": "submit",
            "danger-geojson": "",
            "danger-list": "1",
            "danger-place-0": f"c{commune.pk}",
            "danger-choice-0": choice.pk,
            "danger-comment-0": "Carrefour",
            "where-geojson": "",
            "where-list": "1",
            "where": [commune.pk],
        },
    )
    assert done.status_code == 302, done.content.decode()
    response = Response.objects.get()
    assert response.status == Response.Status.SUBMITTED
    assert Answer.objects.get(question=text).text == typed
    marker = AnswerFeature.objects.get(answer__question=points)
    assert commune.geom.contains(marker.geom) and marker.comment == "Carrefour"
    assert AnswerFeature.objects.get(answer__question=communes).commune == commune
    assert client.get(done["Location"]).status_code == 200
    # A second go: the answering page sends to the confirmation, nothing more is written.
    assert client.get(url(questionnaire, "repondre/"))["Location"].endswith("merci/")


def test_save_and_resume_on_the_page_left(client, two_pages):
    questionnaire, *_ = two_pages
    client.force_login(UserFactory())
    client.post(url(questionnaire, "repondre/"), {"page": 0, "action": "next", "why": "Bus"})
    saved = client.post(
        url(questionnaire, "repondre/"),
        {"page": 1, "action": "save", "where": [], "where-list": "1"},
    )
    assert saved.status_code == 302
    assert Response.objects.get().current_page == 1
    resumed = client.get(url(questionnaire, "repondre/"))
    assert "Sur la carte" in resumed.content.decode()


def test_the_map_widget_geojson_wins_over_the_list(client, two_pages):
    questionnaire, *_ = two_pages
    client.force_login(UserFactory())
    client.post(url(questionnaire, "repondre/"), {"page": 0, "action": "next", "why": "Bus"})
    outside = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [-1.5, 47.2]},
                "properties": {},
            }
        ],
    }
    page = client.post(
        url(questionnaire, "repondre/"),
        {"page": 1, "action": "submit", "danger-geojson": json.dumps(outside)},
    )
    assert page.status_code == 400
    assert "en dehors" in page.content.decode() or "outside" in page.content.decode()
    assert Response.objects.get().status == Response.Status.DRAFT


def test_device_questionnaire_sets_a_cookie_and_answers_once(client, two_pages):
    questionnaire, *_ = two_pages
    questionnaire.respondents = "device"
    questionnaire.save()
    first = client.get(url(questionnaire, "repondre/"))
    assert "surveys_device" in first.cookies
    client.post(url(questionnaire, "repondre/"), {"page": 0, "action": "next", "why": "Bus"})
    done = client.post(
        url(questionnaire, "repondre/"), {"page": 1, "action": "submit", "where-list": "1"}
    )
    assert done.status_code == 302
    assert Response.objects.get().status == Response.Status.SUBMITTED


def test_organisers_preview_a_draft_and_nothing_is_saved(client, two_pages):
    questionnaire, *_ = two_pages
    questionnaire.is_published = False
    questionnaire.save()
    assert client.get(url(questionnaire)).status_code == 404
    client.force_login(UserFactory(is_superuser=True))
    page = client.get(url(questionnaire))
    assert page.status_code == 200 and 'id="survey-preview"' in page.content.decode()
    moved = client.post(url(questionnaire, "repondre/"), {"page": 0, "action": "next", "why": "x"})
    assert moved.status_code == 302
    assert not Response.objects.exists()


def test_a_hidden_page_is_skipped_and_its_answers_dropped(client):
    questionnaire = QuestionnaireFactory()
    first = SurveyPageFactory(questionnaire=questionnaire)
    mode = QuestionFactory(page=first, code="mode", choices=2, required=True)
    bike, car = mode.choices.order_by("position")
    cycling = SurveyPageFactory(questionnaire=questionnaire, title="À vélo")
    cycling.shown_if_question = mode
    cycling.save()
    cycling.shown_if_choices.add(bike)
    QuestionFactory(page=cycling, kind="short_text", code="bike", required=True)
    last = SurveyPageFactory(questionnaire=questionnaire, title="Pour finir")
    QuestionFactory(page=last, kind="short_text", code="end")
    client.force_login(UserFactory())
    answer = url(questionnaire, "repondre/")
    # By bike: the cycling page comes next, its answer required.
    moved = client.post(answer, {"page": first.position, "action": "next", "mode": bike.pk})
    assert moved["Location"].endswith(f"?page={cycling.position}")
    client.post(answer, {"page": cycling.position, "action": "next", "bike": "Piste"})
    # Back to the first page: by car now, the cycling page is skipped.
    back = client.post(answer, {"page": first.position, "action": "next", "mode": car.pk})
    assert back["Location"].endswith(f"?page={last.position}")
    page = client.get(back["Location"])
    assert "Page 2 sur 2" in page.content.decode()
    done = client.post(answer, {"page": last.position, "action": "submit", "end": ""})
    assert done.status_code == 302
    response = Response.objects.get()
    assert set(response.answers.values_list("question__code", flat=True)) == {"mode"}


def test_text_comes_back_escaped_once_on_previous(client, two_pages):
    questionnaire, *_ = two_pages
    client.force_login(UserFactory())
    typed = "<script>alert('x')</script> Élan & « vélo »"
    client.post(url(questionnaire, "repondre/"), {"page": 0, "action": "next", "why": typed})
    back = client.post(
        url(questionnaire, "repondre/"), {"page": 1, "action": "previous", "where-list": "1"}
    )
    page = client.get(back["Location"]).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Élan &amp; « vélo »" in page
    assert "&amp;lt;" not in page and "<script>alert" not in page


def test_a_page_sent_after_closing_shows_the_reason(client, two_pages):
    questionnaire, *_ = two_pages
    client.force_login(UserFactory())
    page = client.get(url(questionnaire, "repondre/"))
    assert page.status_code == 200
    questionnaire.closes_at = (
        questionnaire.opens_at + (questionnaire.closes_at - questionnaire.opens_at) / 1000
    )
    questionnaire.save()
    refused = client.post(
        url(questionnaire, "repondre/"), {"page": 0, "action": "next", "why": "x"}
    )
    assert refused.status_code == 409
    assert "Ce questionnaire est clos" in refused.content.decode()
    assert not Response.objects.exists()


def test_every_kind_answered_on_one_page_without_javascript(client):
    questionnaire = QuestionnaireFactory()
    questionnaire.zoning_document = zoned_plui(questionnaire.territory)
    questionnaire.save()
    q = every_kind(questionnaire)
    communes = list(questionnaire_communes(questionnaire))
    zones = list(questionnaire_zones(questionnaire))
    # Two quadrants of a commune side by side: their union is one area.
    west, east = (
        questionnaire_zones(questionnaire).get(insee=communes[0].insee, libelle=label)
        for label in ("UA", "UE")
    )

    def ids(code, for_marker=False):
        return [c.pk for c in q[code].choices.all() if c.for_marker == for_marker]

    client.force_login(UserFactory())
    page = client.get(url(questionnaire, "repondre/")).content.decode()
    for kind in ("points", "line", "area", "zones", "communes"):
        assert f'data-kind="{kind}" data-code="{kind}"' in page
    assert f'value="z{zones[0].pk}"' in page and f'value="c{communes[0].pk}"' in page
    ranking = ids("ranking")
    data = {
        "page": 0,
        "action": "submit",
        "single": "other",
        "single-other": "Trottinette",
        "multiple": [ids("multiple")[0], "other"],
        "multiple-other": "Covoiturage",
        "short_text": "Court",
        "long_text": "Long\r\ntexte",
        "scale": "5",
        **{f"ranking-rank-{pk}": str(rank) for rank, pk in enumerate(reversed(ranking), 1)},
        "number": "7,5",
        "date": "2026-06-01",
        "points-list": "1",
        "points-place-0": f"z{zones[0].pk}",
        "points-place-2": f"c{communes[1].pk}",
        "points-comment-2": "Ici",
        "line-list": "1",
        "line-place-0": f"c{communes[0].pk}",
        "line-place-1": f"c{communes[1].pk}",
        "line-choice-0": ids("line", True)[0],
        "area-list": "1",
        "area": [f"z{west.pk}", f"z{east.pk}"],
        "zones-list": "1",
        "zones": [zones[2].pk],
        f"zones-comment-{zones[2].pk}": "Agricole",
        "communes-list": "1",
        "communes": [communes[0].pk, communes[1].pk],
        f"communes-choice-{communes[1].pk}": ids("communes", True)[1],
    }
    done = client.post(url(questionnaire, "repondre/"), data)
    assert done.status_code == 302, done.content.decode()
    stored = response_payload(Response.objects.get())
    assert stored["single"] == {"other": "Trottinette"}
    assert stored["multiple"] == [ids("multiple")[0], {"other": "Covoiturage"}]
    assert stored["ranking"] == list(reversed(ranking))
    assert stored["scale"] == 5 and stored["number"] == 7.5 and stored["date"] == "2026-06-01"
    assert stored["long_text"] == "Long\r\ntexte"
    markers = AnswerFeature.objects.filter(answer__question=q["points"]).order_by("position")
    assert [m.comment for m in markers] == ["", "Ici"]
    assert zones[0].geom.contains(markers[0].geom) and communes[1].geom.contains(markers[1].geom)
    [line] = AnswerFeature.objects.filter(answer__question=q["line"])
    assert line.geom.geom_type == "LineString" and line.marker_choice_id == ids("line", True)[0]
    [area] = AnswerFeature.objects.filter(answer__question=q["area"])
    assert area.geom.geom_type == "Polygon"
    assert abs(area.geom.area - west.geom.union(east.geom).area) < 1
    assert stored["zones"] == [{"id": zones[2].pk, "choice": None, "comment": "Agricole"}]
    assert [p["id"] for p in stored["communes"]] == [communes[0].pk, communes[1].pk]
    assert stored["communes"][1]["choice"] == ids("communes", True)[1]


def test_list_errors_are_shown_by_the_question(client):
    questionnaire = QuestionnaireFactory()
    q = every_kind(questionnaire)
    client.force_login(UserFactory())
    commune = questionnaire_communes(questionnaire).first()
    ranking = [c.pk for c in q["ranking"].choices.all() if not c.for_marker]
    refused = client.post(
        url(questionnaire, "repondre/"),
        {
            "page": 0,
            "action": "submit",
            "line-list": "1",
            "line-place-0": f"c{commune.pk}",
            "scale": "9",
            **{f"ranking-rank-{pk}": "1" for pk in ranking},
        },
    )
    assert refused.status_code == 400
    html = refused.content.decode()
    assert "Une ligne passe par deux lieux au moins." in html
    assert "Deux choix ont le même rang." in html
    # The place chosen is kept in the form shown again.
    assert f'<option value="c{commune.pk}" selected>' in html
    assert not Response.objects.exists()
