# SPDX-License-Identifier: AGPL-3.0-or-later
"""The CSV of a questionnaire's answers (GET …/export.csv): one row per submitted response
in the order of submission, a column per question, every kind's value, texts as typed,
formulas neutralised, map answers as WKT in WGS84 that GDAL reads, no identity."""

import codecs
import csv
import io
import subprocess

import pytest
from django.contrib.gis.geos import GEOSGeometry

from carto_concertation.surveys.models import AnswerFeature, Question
from carto_concertation.surveys.selectors.exports import (
    export_columns,
    export_layer_names,
    export_map_questions,
)
from carto_concertation.surveys.selectors.questionnaires import questionnaire_questions
from tests.factories import user_with_role
from tests.factories.surveys import QuestionFactory, QuestionnaireFactory, SurveyPageFactory

from .exports_world import (
    AT_TEXT,
    DRAFT_TEXT,
    FORMULA_OTHER,
    FORMULA_TEXT,
    LONG_TEXT,
    MARKER_COMMENT,
    OTHER_TEXT,
    RELAY_KEY,
    RESPONDENT_KEY,
    ZONE_COMMENT,
    committed_world,
)

pytestmark = pytest.mark.django_db
CSV = "/api/v1/surveys/questionnaires/{slug}/export.csv"
COLUMNS = [
    "response",
    "channel",
    "submitted_on",
    "single",
    "single_other",
    "multiple",
    "multiple_other",
    "short_text",
    "long_text",
    "scale",
    "ranking",
    "number",
    "date",
    *(
        f"{kind}{part}"
        for kind in ("points", "line", "area", "zones", "communes")
        for part in ("", "_followup", "_comment")
    ),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, media_root):
    with committed_world(django_db_blocker, media_root) as world:
        yield world


@pytest.fixture
def exported(client, world) -> bytes:
    client.force_login(user_with_role("planner", territory=world.questionnaire.territory))
    response = client.get(CSV.format(slug=world.questionnaire.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="plan-velo-export-reponses.csv"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert response.streaming
    return b"".join(response.streaming_content)


def rows_of(data: bytes) -> list[dict]:
    assert data.startswith(codecs.BOM_UTF8)
    reader = csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
    assert reader.fieldnames == COLUMNS
    return list(reader)


def test_one_row_per_submitted_response_numbered_in_the_order_of_submission(exported, world):
    rows = rows_of(exported)
    # The workshop's answer came first (23:30 UTC on 9 March, 00:30 on 10 March in
    # Paris); the draft is not there.
    assert [(r["response"], r["channel"], r["submitted_on"]) for r in rows] == [
        ("1", "workshop", "2026-03-10"),
        ("2", "online", "2026-03-10"),
        ("3", "paper", "2026-03-11"),
    ]
    assert {world.online.pk, world.workshop.pk} != {1, 2}, "numbers that are not the ids"
    assert DRAFT_TEXT.encode() not in exported and OTHER_TEXT.encode() not in exported


def test_every_kind_of_answer_has_its_value(exported, world):
    online = rows_of(exported)[1]
    zones, commune = world.zones, world.questionnaire.territory.communes.order_by("insee").last()
    expected = {
        "single": "Choix 2",
        "single_other": "",
        "multiple": "Choix 1 | Choix 3",
        "scale": "4",
        "ranking": "Choix 3 | Choix 1 | Choix 2",
        "number": "12.5",
        "date": "2026-06-01",
        # The n-th follow-up and comment are the n-th marker's (the second has none).
        "points_followup": "Suite 2 | ",
        "points_comment": f"{MARKER_COMMENT} | ",
        "line_followup": "",
        "line_comment": "",
        "area_followup": "Suite 1",
        "zones": f"{zones[0].libelle} | {zones[1].libelle}",
        "zones_comment": f"'{ZONE_COMMENT} | {ZONE_COMMENT}",
        "communes": f"{commune.name} ({commune.insee})",
        "communes_followup": "",
    }
    assert {column: online[column] for column in expected} == expected
    workshop, paper = rows_of(exported)[0], rows_of(exported)[2]
    assert (workshop["single"], workshop["zones"], workshop["zones_followup"]) == (
        "Choix 1",
        zones[-1].libelle,
        "Suite 1",
    )
    # Questions left unanswered are empty cells.
    assert paper["single"] == "Choix 3"
    assert {value for column, value in paper.items() if column not in COLUMNS[:4]} == {""}


def test_texts_as_typed_and_formulas_neutralised(exported):
    online, workshop = rows_of(exported)[1], rows_of(exported)[0]
    assert online["long_text"] == LONG_TEXT
    assert online["multiple_other"] == "'" + FORMULA_OTHER
    assert online["short_text"] == "'" + FORMULA_TEXT
    assert workshop["short_text"] == "'" + AT_TEXT


def test_map_answers_are_wkt_in_wgs84_one_geometry_per_answer(exported, world):
    online, workshop = rows_of(exported)[1], rows_of(exported)[0]
    for row, response, column, kind, count in [
        (online, world.online, "points", "MultiPoint", 2),
        (workshop, world.workshop, "points", "MultiPoint", 1),
        (online, world.online, "line", "MultiLineString", 1),
        (online, world.online, "area", "MultiPolygon", 1),
    ]:
        geometry = GEOSGeometry(row[column], srid=4326)
        assert (geometry.geom_type, len(geometry)) == (kind, count)
        stored = AnswerFeature.objects.filter(
            answer__response=response, answer__question__code=column
        ).order_by("position")
        for part, feature in zip(geometry, stored, strict=True):
            assert part.distance(feature.geom.transform(4326, clone=True)) < 1e-6
            # In WGS84, within the territory (wherever the factories placed it).
            territory = response.questionnaire.territory.geom.transform(4326, clone=True)
            west, south, east, north = territory.extent
            assert west <= part.centroid.x <= east and south <= part.centroid.y <= north


def test_gdal_reads_a_wkt_column_as_the_geometry(exported, tmp_path):
    path = tmp_path / "reponses.csv"
    path.write_bytes(exported)
    done = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-oo", "GEOM_POSSIBLE_NAMES=points", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "Feature Count: 3" in done.stdout
    # Each feature's geometry, after its fields (the column itself stays a field too).
    lines = [line.strip() for line in done.stdout.splitlines()]
    geometries = [line for line in lines if line.startswith("MULTIPOINT")]
    assert len(geometries) == 2
    assert all(GEOSGeometry(wkt).geom_type == "MultiPoint" for wkt in geometries)
    # Every column came through, the long text too (its line break inside quotes).
    assert "long_text (String) = Ligne 1" in done.stdout


def test_no_identity_in_the_csv(exported, world):
    """Neither the respondent's nor the relay's e-mail or pseudonym, nor the respondent
    key, the relay's idempotency key or payload hash, nor a time of day; no column of a
    person or of an id (the number is the rank of submission, checked above)."""
    for person in world.people:
        assert person.email.encode() not in exported
        assert person.pseudonym.encode() not in exported
    for secret in (RESPONDENT_KEY, str(RELAY_KEY), "a" * 64, "09:15", "23:30", "T09", "00:30"):
        assert secret.encode() not in exported
    assert not {"user", "respondent_key", "key", "entered_by", "id"} & set(COLUMNS)


def test_column_and_layer_names_are_unique_and_never_the_standard_s():
    questionnaire = QuestionnaireFactory()
    page = SurveyPageFactory(questionnaire=questionnaire)
    QuestionFactory(page=page, code="a", choices=2, with_other=True)
    QuestionFactory(page=page, code="a_other", kind=Question.Kind.SHORT_TEXT)
    QuestionFactory(page=page, code="gpkg_contents", kind=Question.Kind.POINTS)
    QuestionFactory(page=page, code="response", kind=Question.Kind.LINE, marker_comment=True)
    questions = questionnaire_questions(questionnaire)
    names = [column.name for column in export_columns(questions)]
    assert names[3:] == [
        "a",
        "a_other",
        "a_other_2",
        "gpkg_contents",
        "response_2",
        "response_comment",
    ]
    maps = export_map_questions(questionnaire)
    assert export_layer_names(maps) == ["q_gpkg_contents", "response"]
