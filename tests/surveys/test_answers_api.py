# SPDX-License-Identifier: AGPL-3.0-or-later
"""The answering API (/api/v1/surveys/questionnaires/<slug>/…): the questionnaire read,
a draft saved and resumed, every kind submitted, each refusal a 400 naming the field or a
409 (closed, already answered) writing nothing; the map widget's GeoJSON."""

from datetime import timedelta

import pytest
from django.utils import timezone

from carto_concertation.surveys.models import AnswerFeature, Response
from carto_concertation.surveys.selectors.questionnaires import questionnaire_zones
from tests.factories import UserFactory
from tests.factories.plui_documents import zoned_plui

from .answers_world import choice_ids, collection, full_payload, make_questionnaire, point

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_questionnaire()


def api(questionnaire, tail: str = "") -> str:
    return f"/api/v1/surveys/questionnaires/{questionnaire.slug}{tail}"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_the_questionnaire_as_one_answers_it(client, world):
    questionnaire, questions = world
    body = client.get(api(questionnaire)).json()
    assert body["open"] is True and body["respondents"] == "account"
    [page] = body["pages"]
    kinds = {q["code"]: q for q in page["questions"]}
    assert kinds["scale"]["min_value"] == 1 and kinds["scale"]["max_value"] == 5
    assert len(kinds["points"]["marker_choices"]) == 2
    assert [c["id"] for c in kinds["single"]["choices"]] == choice_ids(questions["single"])


def test_every_kind_submitted_through_the_api(client, world):
    questionnaire, questions = world
    client.force_login(UserFactory())
    draft = post(client, api(questionnaire, "/draft"), {"answers": {"scale": 3}, "current_page": 0})
    assert draft.status_code == 200, draft.content
    assert draft.json() == {"status": "draft", "current_page": 0}
    done = post(
        client, api(questionnaire, "/submit"), {"answers": full_payload(questionnaire, questions)}
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "submitted"
    assert Response.objects.get().answers.count() == len(full_payload(questionnaire, questions))
    again = post(
        client, api(questionnaire, "/submit"), {"answers": full_payload(questionnaire, questions)}
    )
    assert again.status_code == 409 and "respondent" in again.json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"single": 0}, "single"),
        ({"scale": 9}, "scale"),
        ({"points": collection({"type": "Point", "coordinates": [2.35, 48.85]})}, "points.0"),
        (
            {
                "line": {
                    "type": "FeatureCollection",
                    "features": [
                        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}}
                    ],
                }
            },
            "line.0",
        ),
        ({"long_text": "x" * 5001}, "long_text"),
    ],
)
def test_refusals_name_the_field_and_write_nothing(client, world, change, field):
    questionnaire, questions = world
    client.force_login(UserFactory())
    payload = full_payload(questionnaire, questions) | change
    refused = post(client, api(questionnaire, "/submit"), {"answers": payload})
    assert refused.status_code == 400
    assert field in refused.json()
    assert not Response.objects.exists()


def test_required_answer_missing(client):
    questionnaire, questions = make_questionnaire()
    questions["date"].required = True
    questions["date"].save()
    client.force_login(UserFactory())
    payload = full_payload(questionnaire, questions)
    del payload["date"]
    refused = post(client, api(questionnaire, "/submit"), {"answers": payload})
    assert refused.status_code == 400 and "date" in refused.json()


def test_anonymous_on_an_account_questionnaire_is_refused(client, world):
    questionnaire, _questions = world
    refused = post(client, api(questionnaire, "/submit"), {"answers": {}})
    assert refused.status_code in (401, 403)
    assert not Response.objects.exists()


def test_closed_and_not_yet_open_are_409(client, world):
    questionnaire, questions = world
    client.force_login(UserFactory())
    for opens, closes in ((-3, -1), (1, 3)):
        questionnaire.opens_at = timezone.now() + timedelta(days=opens)
        questionnaire.closes_at = timezone.now() + timedelta(days=closes)
        questionnaire.save()
        refused = post(
            client,
            api(questionnaire, "/submit"),
            {"answers": full_payload(questionnaire, questions)},
        )
        assert refused.status_code == 409 and "questionnaire" in refused.json()
    assert not Response.objects.exists()


def test_zones_picked_with_their_follow_up(client, world):
    questionnaire, questions = world
    questionnaire.zoning_document = zoned_plui(questionnaire.territory)
    questionnaire.save()
    zones_question = questions["communes"]
    zones_question.kind = "zones"
    zones_question.save()
    zone = questionnaire_zones(questionnaire).first()
    client.force_login(UserFactory())
    payload = full_payload(questionnaire, questions)
    payload["communes"] = [{"id": zone.pk, "comment": "Trop dense"}]
    done = post(client, api(questionnaire, "/submit"), {"answers": payload})
    assert done.status_code == 200, done.content
    feature = AnswerFeature.objects.get(zone__isnull=False)
    assert feature.zone == zone and feature.comment == "Trop dense"
    zones = client.get(api(questionnaire, "/zones.geojson"))
    assert zones["Cache-Control"] == "public, max-age=3600"
    assert {f["properties"]["id"] for f in zones.json()["features"]} >= {zone.pk}
    assert set(zones.json()["features"][0]["properties"]) == {"id", "libelle", "libelong"}


def test_the_map_widget_geojson(client, world):
    questionnaire, _questions = world
    perimeter = client.get(api(questionnaire, "/perimeter.geojson")).json()
    [feature] = perimeter["features"]
    assert feature["geometry"]["type"] == "MultiPolygon"
    lon, lat = point(questionnaire)["coordinates"]
    # In WGS84, within the territory (wherever the factories placed it).
    west, south, east, north = questionnaire.territory.geom.transform(4326, clone=True).extent
    assert west <= lon <= east and south <= lat <= north
    communes = client.get(api(questionnaire, "/communes.geojson")).json()
    assert len(communes["features"]) == 2
    assert set(communes["features"][0]["properties"]) == {"id", "name"}
    assert client.get(api(questionnaire, "/zones.geojson")).json()["features"] == []


def test_unpublished_questionnaire_is_not_found(client, world):
    questionnaire, _questions = world
    questionnaire.is_published = False
    questionnaire.save()
    assert client.get(api(questionnaire)).status_code == 404
    client.force_login(UserFactory())
    assert post(client, api(questionnaire, "/submit"), {"answers": {}}).status_code == 404


def test_conditions_are_public_and_applied(client, world):
    questionnaire, questions = world
    trigger, follow = questions["single"], questions["short_text"]
    shown_by = trigger.choices.filter(for_marker=False).order_by("position").first()
    follow.shown_if_question = trigger
    follow.save()
    follow.shown_if_choices.add(shown_by)
    body = client.get(api(questionnaire)).json()
    [described] = [q for q in body["pages"][0]["questions"] if q["code"] == "short_text"]
    assert described["shown_if"] == {"question": "single", "choices": [shown_by.pk]}
    client.force_login(UserFactory())
    payload = full_payload(questionnaire, questions) | {"single": choice_ids(trigger)[1]}
    done = post(client, api(questionnaire, "/submit"), {"answers": payload})
    assert done.status_code == 200, done.content
    codes = set(Response.objects.get().answers.values_list("question__code", flat=True))
    assert "short_text" not in codes and "single" in codes


def test_reading_the_questionnaire_costs_the_same_whatever_its_size(
    client, world, django_assert_max_num_queries
):
    questionnaire, _questions = world
    # Pages, questions, their choices and conditions, prefetched: a fixed number of reads.
    with django_assert_max_num_queries(12):
        assert client.get(api(questionnaire)).status_code == 200
