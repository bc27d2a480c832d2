# SPDX-License-Identifier: AGPL-3.0-or-later
"""The GeoPackage of a questionnaire's answers (GET …/export.gpkg) opened with GDAL: a
layer per map question, one feature per marker with the response's number (as in the
CSV), the follow-up and the comment, in the storage CRS, no identity."""

import subprocess

import pytest
from django.contrib.gis.gdal import DataSource

from carto_concertation.surveys.models import AnswerFeature
from tests.factories import user_with_role
from tests.factories.surveys import QuestionFactory, QuestionnaireFactory, SurveyPageFactory

from .exports_world import (
    MARKER_COMMENT,
    RELAY_KEY,
    RESPONDENT_KEY,
    ZONE_COMMENT,
    committed_world,
)

pytestmark = pytest.mark.django_db
GPKG = "/api/v1/surveys/questionnaires/{slug}/export.gpkg"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root):
    with committed_world(django_db_blocker, media_root) as world:
        yield world


@pytest.fixture
def planner(client, world):
    client.force_login(user_with_role("planner", territory=world.questionnaire.territory))
    return client


@pytest.fixture
def exported(planner, world, tmp_path):
    response = planner.get(GPKG.format(slug=world.questionnaire.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geopackage+sqlite3"
    assert 'filename="plan-velo-export-reponses.gpkg"' in response["Content-Disposition"]
    path = tmp_path / "reponses.gpkg"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def features(layer) -> list[dict]:
    return [{name: feature.get(name) for name in layer.fields} for feature in layer]


def test_a_layer_per_map_question_a_feature_per_marker_in_the_storage_crs(exported):
    layers = {layer.name: layer for layer in DataSource(str(exported))}
    assert {name: (len(layer), layer.geom_type.name) for name, layer in layers.items()} == {
        "points": (3, "Point"),
        "line": (1, "LineString"),
        "area": (1, "Polygon"),
        "zones": (3, "MultiPolygon"),
        "communes": (1, "MultiPolygon"),
    }
    for layer in layers.values():
        assert layer.srs.srid == 2154
    assert layers["points"].fields == ["response", "marker", "followup", "comment"]
    assert layers["zones"].fields == [
        "response",
        "marker",
        "zone_libelle",
        "zone_libelong",
        "zone_typezone",
        "followup",
        "comment",
    ]
    assert layers["communes"].fields[2:4] == ["commune_insee", "commune_name"]


def test_markers_carry_the_number_rank_follow_up_and_comment(exported, world):
    layers = {layer.name: layer for layer in DataSource(str(exported))}
    # Number 1 is the workshop's response (submitted first), 2 the online one.
    assert features(layers["points"]) == [
        {"response": 1, "marker": 1, "followup": None, "comment": None},
        {"response": 2, "marker": 1, "followup": "Suite 2", "comment": MARKER_COMMENT},
        {"response": 2, "marker": 2, "followup": None, "comment": None},
    ]
    first, second = world.zones[0], world.zones[1]
    zones = features(layers["zones"])
    assert [(z["response"], z["marker"], z["zone_libelle"], z["comment"]) for z in zones] == [
        (1, 1, world.zones[-1].libelle, None),
        (2, 1, first.libelle, ZONE_COMMENT),
        (2, 2, second.libelle, ZONE_COMMENT),
    ]
    assert (zones[0]["followup"], zones[1]["zone_typezone"]) == ("Suite 1", first.typezone)
    commune = world.questionnaire.territory.communes.order_by("insee").last()
    (picked,) = features(layers["communes"])
    assert (picked["commune_insee"], picked["commune_name"]) == (commune.insee, commune.name)
    # The geometries as stored: the drawn markers, the zone's and the commune's outlines.
    stored = AnswerFeature.objects.filter(answer__response=world.online)
    for name in ("line", "area"):
        (feature,) = list(layers[name])
        (marker,) = stored.filter(answer__question__code=name)
        assert feature.geom.geos.equals_exact(marker.geom, 0.01)
    _workshop, zone, _second = list(layers["zones"])
    assert zone.geom.geos.equals_exact(first.geom, 0.01)
    (outline,) = list(layers["communes"])
    assert outline.geom.geos.equals_exact(commune.geom, 0.01)


def test_ogrinfo_describes_each_layer_with_its_question(exported, world):
    done = subprocess.run(
        ["ogrinfo", "-ro", "-so", str(exported), "points"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"DESCRIPTION={world.questions['points'].label}" in done.stdout
    assert "Feature Count: 3" in done.stdout and 'ID["EPSG",2154]' in done.stdout


def test_no_identity_in_the_geopackage(exported, world):
    data = exported.read_bytes()
    for person in world.people:
        assert person.email.encode() not in data
        assert person.pseudonym.encode() not in data
    for secret in (RESPONDENT_KEY, str(RELAY_KEY), "a" * 64, "2026-03-"):
        assert secret.encode() not in data
    for layer in DataSource(str(exported)):
        assert not {"user", "user_id", "respondent_key", "key", "entered_by", "id"} & set(
            layer.fields
        )


def test_a_questionnaire_without_a_map_question_has_no_geopackage(planner, world):
    questionnaire = QuestionnaireFactory(territory=world.questionnaire.territory)
    QuestionFactory(page=SurveyPageFactory(questionnaire=questionnaire), choices=2)
    response = planner.get(GPKG.format(slug=questionnaire.slug))
    assert response.status_code == 404
    assert "aucune question sur la carte" in response.json()["detail"]  # French by default
    english = planner.get(GPKG.format(slug=questionnaire.slug), headers={"accept-language": "en"})
    assert english.json()["detail"] == "This questionnaire has no map question: no GeoPackage."
