# SPDX-License-Identifier: AGPL-3.0-or-later
"""The published results per zone as the module's site-wide tileset
(``consultations-portail``, served for the ``consultations-zones`` collection by OGC API –
Tiles): the rows of the open dataset, each zone with its count of markers, and fresh
after every write that changes them — a response submitted, the results withdrawn, a new
zoning — whatever service made it."""

import gzip

import mapbox_vector_tile
import pytest
from django.utils import timezone

from carto_concertation.core.changes import (
    Area,
    TilesetChange,
    footprint_changed_announce,
    tileset_changed,
    tileset_changed_announce,
)
from carto_concertation.core.modules import SITE_WIDE
from carto_concertation.surveys.datasets import zone_results_open
from carto_concertation.surveys.models import Questionnaire, Response
from tests.factories import (
    AnswerFactory,
    AnswerFeatureFactory,
    ChoiceFactory,
    ConcertationFactory,
    DocumentVersionFactory,
    QuestionFactory,
    SpaceModuleFactory,
    ZoneResultFactory,
    spot,
)
from tests.tiles.site_wide import assert_a_space_saved_leaves_the_site_wide_tiles
from tests.tiles.test_vector_tiles import tile_of

pytestmark = pytest.mark.django_db
TILESET = f"consultations-{SITE_WIDE}"


def drawn(client, row) -> dict[int, dict]:
    """The features of the tile (z 12) over the row's zone, by id."""
    point = row.geom.point_on_surface.transform(3857, clone=True)
    x, y = tile_of(point.x, point.y, 12)
    response = client.get(f"/tiles/{TILESET}/12/{x}/{y}.mvt", headers={"accept-encoding": "gzip"})
    if response.status_code == 204:
        return {}
    assert response.status_code == 200, response.content
    decoded = mapbox_vector_tile.decode(gzip.decompress(response.content))
    assert set(decoded) == {"consultations-zones"}
    return {f["id"]: f["properties"] for f in decoded["consultations-zones"]["features"]}


def marker(row) -> None:
    """One more submitted response with a point in the row's zone."""
    questionnaire = row.questionnaire
    commune = questionnaire.territory.communes.order_by("pk").first()
    answer = AnswerFactory(
        question=row.question,
        response__questionnaire=questionnaire,
        response__status=Response.Status.SUBMITTED,
        response__submitted_at=timezone.now(),
    )
    AnswerFeatureFactory(answer=answer, geom=spot(commune.geom, n=3))


def test_the_tiles_draw_the_open_rows_and_follow_the_writes(
    client, django_capture_on_commit_callbacks
):
    row = ZoneResultFactory()
    assert list(zone_results_open()) == [row]
    features = drawn(client, row)
    assert features == {
        row.pk: {
            "questionnaire": row.questionnaire.slug,
            "questionnaire_title": row.questionnaire.title,
            "question": row.question.code,
            "question_label": row.question.label,
            "libelle": row.libelle,
            "document": row.questionnaire.zoning_document.idurba,
            "markers": 1,
        }
    }
    assert drawn(client, row) == features  # cached now

    with django_capture_on_commit_callbacks(execute=True):
        marker(row)  # the response's save announces it
    assert drawn(client, row)[row.pk]["markers"] == 2

    questionnaire = row.questionnaire
    questionnaire.results_published = False
    with django_capture_on_commit_callbacks(execute=True):
        questionnaire.save()
    assert drawn(client, row) == {}


def test_a_question_renamed_redraws_only_where_its_results_show(
    client, django_capture_on_commit_callbacks
):
    row = ZoneResultFactory()
    assert drawn(client, row)[row.pk]["question_label"] == row.question.label  # cached
    question = row.question
    question.label = "Où <b>traversez</b>-vous ? « à pied »"
    with django_capture_on_commit_callbacks(execute=True):
        question.save()
    assert drawn(client, row)[row.pk]["question_label"] == "Où <b>traversez</b>-vous ? « à pied »"

    heard = []

    def listener(sender, change, **kwargs) -> None:
        heard.append(change.tileset)

    tileset_changed.connect(listener, dispatch_uid="test-draft-question")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            draft = QuestionFactory(page__questionnaire__results_published=False)
            ChoiceFactory(question=draft)
            draft.label = "Autre libellé"
            draft.save()
            ChoiceFactory(question=question)  # where the results show: announced
    finally:
        tileset_changed.disconnect(dispatch_uid="test-draft-question")
    # The draft's questionnaire itself was created (announced once); its question and
    # choice, not; the published question's new choice, once.
    assert heard == [TILESET, TILESET]


def test_a_new_zoning_redraws_the_zones(client, django_capture_on_commit_callbacks):
    """An import of the PLU/PLUi announces ``zoning`` changed (plui_documents.services);
    the results follow its zones: none left here, the new version has no such LIBELLE."""
    row = ZoneResultFactory()
    assert row.pk in drawn(client, row)
    document = row.questionnaire.zoning_document
    with django_capture_on_commit_callbacks(execute=True):
        document.current_version = DocumentVersionFactory(document=document)
        document.save(update_fields=["current_version"])
        tileset_changed_announce("zoning")
    assert drawn(client, row) == {}


def test_a_plan_of_one_territory_redraws_the_results_there_only(
    django_capture_on_commit_callbacks,
):
    """A plan made current announces its footprint on the zoning (its territory's
    boxes): the results' tiles under it change, at the results' zooms, not all of them."""
    old, new = (0.0, 0.0, 10.0, 10.0), (5.0, 5.0, 20.0, 20.0)
    heard = []

    def listener(sender, change, **kwargs) -> None:
        heard.append(change)

    tileset_changed.connect(listener, dispatch_uid="test-zoning-footprint")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            footprint_changed_announce(
                "zoning",
                before=(Area(bboxes=(old,), zooms=range(8, 19)),),
                after=(Area(bboxes=(new,), zooms=range(8, 19)),),
            )
    finally:
        tileset_changed.disconnect(dispatch_uid="test-zoning-footprint")
    assert heard[-1] == TilesetChange(
        tileset=TILESET,
        before=(Area(bboxes=(old,), zooms=range(6, 17)),),
        after=(Area(bboxes=(new,), zooms=range(6, 17)),),
    )


def test_the_tileset_answers_for_its_site_wide_name_only(client):
    assert client.get("/tiles/consultations-une-concertation.json").status_code == 404
    tilejson = client.get(f"/tiles/{TILESET}.json").json()
    assert [layer["id"] for layer in tilejson["vector_layers"]] == ["consultations-zones"]


def test_a_space_saved_leaves_the_results_tiles_cached(
    client, settings, django_capture_on_commit_callbacks
):
    """The results show whether or not their questionnaire is on a concertation: opening
    the concertation it is on makes none of the tileset's tiles stale."""
    row = ZoneResultFactory()
    space = ConcertationFactory(territory=row.questionnaire.territory)
    SpaceModuleFactory(concertation=space, module="surveys")
    Questionnaire.objects.filter(pk=row.questionnaire_id).update(concertation=space)
    assert_a_space_saved_leaves_the_site_wide_tiles(
        client,
        settings,
        django_capture_on_commit_callbacks,
        tileset=TILESET,
        space=space,
        geom=row.geom,
    )
