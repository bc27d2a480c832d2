# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results' API: hidden from the public until published (the organisers always see
them), the publication with its collective answer, the heat map's threshold, the
organisers' markers and cross-tabulation, the moderation of free texts. Refusals are a
403, a 404 or a 400 naming the field, and write nothing."""

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from carto_concertation.accounts.models import Role
from carto_concertation.surveys.models import Answer, AnswerFeature, Question, Response
from carto_concertation.surveys.models.responses import TextModeration
from tests.factories.accounts import user_with_role
from tests.factories.surveys import (
    AnswerFactory,
    AnswerFeatureFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
)

from .results_world import results_world

pytestmark = pytest.mark.django_db


def api(slug: str, rest: str = "results") -> str:
    return f"/api/v1/surveys/questionnaires/{slug}/{rest}"


@pytest.fixture
def world():
    return results_world(responses=40, seed=3)


def test_results_are_hidden_until_published_then_public(client, world):
    slug = world.questionnaire.slug
    assert client.get(api(slug)).status_code == 404
    client.force_login(world.resident)
    assert client.get(api(slug)).status_code == 404
    assert client.get(api(slug, "results/single")).status_code == 404
    assert (
        client.post(
            api(slug, "results-publication"), {"published": True, "summary": "x"}
        ).status_code
        == 403
    )

    client.force_login(world.planner)
    preview = client.get(api(slug))
    assert preview.status_code == 200
    assert preview.json()["results_published"] is False
    refused = client.post(
        api(slug, "results-publication"),
        {"published": True, "summary": "  "},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "summary" in refused.json()
    world.questionnaire.refresh_from_db()
    assert world.questionnaire.results_published is False

    summary = "Merci : <b>nous</b> créerons la piste."
    published = client.post(
        api(slug, "results-publication"),
        {"published": True, "summary": summary},
        content_type="application/json",
    )
    assert published.status_code == 200
    client.logout()
    public = client.get(api(slug)).json()
    assert public["summary"] == summary
    assert [q["code"] for q in public["questions"]][:2] == ["single", "multiple"]
    assert client.get(api(slug, "results/points")).json()["markers"] > 0
    assert client.get(api(slug, "results/nothing")).status_code == 404

    client.force_login(world.planner)
    client.post(
        api(slug, "results-publication"), {"published": False}, content_type="application/json"
    )
    client.logout()
    assert client.get(api(slug)).status_code == 404


def test_a_draft_questionnaire_never_shows_results_to_the_public(client):
    questionnaire = QuestionnaireFactory(is_published=False, results_published=True)
    assert client.get(api(questionnaire.slug)).status_code == 404


def _point_answer(question, point: Point, *, status=Response.Status.SUBMITTED) -> None:
    extra = {"submitted_at": None} if status == Response.Status.DRAFT else {}
    answer = AnswerFactory(
        question=question,
        response=ResponseFactory(questionnaire=question.page.questionnaire, status=status, **extra),
    )
    AnswerFeatureFactory(answer=answer, geom=point)


def _sql_cells(question, cell: int) -> dict:
    """Each cell's markers, counted here in SQL from the stored geometries."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT floor(ST_X(ST_Transform(f.geom, 3857)) / %s),
                      floor(ST_Y(ST_Transform(f.geom, 3857)) / %s), count(*)
               FROM surveys_answerfeature f JOIN surveys_answer a ON a.id = f.answer_id
               JOIN surveys_response r ON r.id = a.response_id
               WHERE r.status = 'submitted' AND a.question_id = %s GROUP BY 1, 2""",
            [cell, cell, question.pk],
        )
        return {(i, j): n for i, j, n in cursor.fetchall()}


def test_the_public_heat_map_never_shows_a_cell_below_the_threshold(client, settings):
    settings.HEATMAP_MIN_COUNT = 4
    questionnaire = QuestionnaireFactory(results_published=True)
    question = QuestionFactory(
        page__questionnaire=questionnaire, kind=Question.Kind.POINTS, code="danger"
    )
    xmin, ymin, _xmax, _ymax = questionnaire.territory.geom.extent
    # Well inside one 500 m cell, then a lone pair 3 km away, and drafts that never count.
    crowded = Point(xmin + 1000, ymin + 1000, srid=2154).transform(3857, clone=True)
    crowded = Point(crowded.x // 500 * 500 + 250, crowded.y // 500 * 500 + 250, srid=3857)
    for index in range(5):
        _point_answer(
            question,
            Point(crowded.x + index * 10, crowded.y, srid=3857).transform(2154, clone=True),
        )
    lonely = Point(xmin + 4000, ymin + 4000, srid=2154)
    for _index in range(2):
        _point_answer(question, lonely)
    for _index in range(3):
        _point_answer(question, lonely, status=Response.Status.DRAFT)

    cells = _sql_cells(question, 500)
    assert sorted(cells.values()) == [2, 5]
    public = client.get(api(questionnaire.slug, "results/danger/heatmap?cell=500")).json()
    assert [f["properties"]["count"] for f in public["features"]] == [5]
    assert (
        client.get(api(questionnaire.slug, "results/danger/heatmap?full=true")).status_code == 403
    )
    assert client.get(api(questionnaire.slug, "results/danger/heatmap?cell=5")).status_code == 400

    planner = user_with_role(Role.PLANNER, questionnaire.territory)
    client.force_login(planner)
    full = client.get(api(questionnaire.slug, "results/danger/heatmap?cell=500&full=true")).json()
    assert sorted(f["properties"]["count"] for f in full["features"]) == [2, 5]
    markers = client.get(api(questionnaire.slug, "results/danger/markers")).json()
    assert len(markers["features"]) == 7
    assert set(markers["features"][0]["properties"]) == {"choice", "comment", "comment_moderation"}


def test_markers_and_crosstab_are_for_the_organisers(client, world):
    slug = world.questionnaire.slug
    world.questionnaire.results_published = True
    world.questionnaire.save()
    client.force_login(world.resident)
    assert client.get(api(slug, "results/points/markers")).status_code == 403
    assert client.get(api(slug, "crosstab?rows=single&columns=multiple")).status_code == 403
    client.logout()
    assert client.get(api(slug, "crosstab?rows=single&columns=multiple")).status_code in (401, 403)

    client.force_login(world.planner)
    table = client.get(api(slug, "crosstab?rows=single&columns=multiple"))
    assert table.status_code == 200
    assert len(table.json()["table"]) == 3
    for query, field in (
        ("rows=nope&columns=multiple", "rows"),
        ("rows=single&columns=short_text", "columns"),
        ("rows=single&columns=single", "columns"),
        ("rows=single", "columns"),
    ):
        refused = client.get(api(slug, f"crosstab?{query}"))
        assert refused.status_code == 400, query
        assert field in refused.json(), query
    assert client.get(api(slug, "results/zones/markers")).status_code == 400


def test_moderation_publishes_and_hides_and_only_published_texts_are_public(client, world):
    slug = world.questionnaire.slug
    world.questionnaire.results_published = True
    world.questionnaire.save()
    question = world.questions["long_text"]
    texts = Answer.objects.filter(question=question, response__status="submitted").exclude(text="")
    texts.update(text_moderation=TextModeration.PENDING)
    first, second, *rest = list(texts.order_by("pk"))
    client.force_login(world.resident)
    assert client.get(api(slug, "texts")).status_code == 403
    assert (
        client.post(
            api(slug, "texts"), {"decision": "published", "answers": [first.pk]}
        ).status_code
        == 403
    )

    client.force_login(world.moderator)
    listed = client.get(api(slug, "texts?status=pending")).json()["texts"]
    assert {t["id"] for t in listed if t["question"] == "long_text"} == {t.pk for t in texts}
    assert all("user" not in t and "respondent_key" not in t for t in listed)
    other = AnswerFactory(text="Ailleurs", question__kind=Question.Kind.LONG_TEXT)
    refused = client.post(
        api(slug, "texts"),
        {"decision": "published", "answers": [first.pk, other.pk]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "answers" in refused.json()
    first.refresh_from_db()
    assert first.text_moderation == TextModeration.PENDING
    assert (
        client.post(
            api(slug, "texts"),
            {"decision": "nope", "answers": [first.pk]},
            content_type="application/json",
        ).status_code
        == 400
    )

    done = client.post(
        api(slug, "texts"),
        {"decision": "published", "answers": [first.pk]},
        content_type="application/json",
    )
    assert done.json() == {"moderated": 1}
    client.post(
        api(slug, "texts"),
        {"decision": "hidden", "answers": [second.pk]},
        content_type="application/json",
    )
    client.logout()
    public = client.get(api(slug, "results/long_text")).json()
    assert public["texts"] == [first.text]

    client.force_login(world.moderator)
    bulk = client.post(
        api(slug, "texts/long_text"), {"decision": "published"}, content_type="application/json"
    )
    assert bulk.json() == {"moderated": len(rest)}
    second.refresh_from_db()
    assert second.text_moderation == TextModeration.HIDDEN
    client.logout()
    public = client.get(api(slug, "results/long_text")).json()
    assert second.text not in public["texts"]
    assert len(public["texts"]) == 1 + len(rest)
    # Markers' comments: hidden and waiting ones never public.
    points = client.get(api(slug, "results/points")).json()
    published = AnswerFeature.objects.filter(
        answer__question=world.questions["points"],
        answer__response__status="submitted",
        comment_moderation=TextModeration.PUBLISHED,
    ).exclude(comment="")
    assert sorted(points["texts"]) == sorted(published.values_list("comment", flat=True))
    # A published comment hidden by its id leaves the public results.
    before = len(points["texts"])
    comment = published.first()
    client.force_login(world.moderator)
    hidden = client.post(
        api(slug, "texts"),
        {"decision": "hidden", "features": [comment.pk]},
        content_type="application/json",
    )
    assert hidden.json() == {"moderated": 1}
    client.logout()
    points = client.get(api(slug, "results/points")).json()
    assert len(points["texts"]) == before - 1
    assert sorted(points["texts"]) == sorted(published.values_list("comment", flat=True))


def test_no_person_in_the_public_results(client, world):
    world.questionnaire.results_published = True
    world.questionnaire.save()
    response = Response.objects.filter(questionnaire=world.questionnaire).first()
    Response.objects.filter(pk=response.pk).update(user=world.resident, respondent_key="f" * 64)
    body = client.get(api(world.questionnaire.slug)).content.decode()
    assert "f" * 64 not in body
    assert world.resident.email not in body
    for key in ('"user"', '"respondent_key"', '"response"', '"entered_by"'):
        assert key not in body
