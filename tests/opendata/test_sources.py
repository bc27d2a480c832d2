# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every open dataset of the demo is a collection with its features (opendata.features):
exactly the rows each module shows in public — counted with the module's own selectors —
with only declared properties, and no e-mail address or pseudonym of any account."""

import json
from datetime import UTC, date, datetime

import pytest
from django.contrib.gis.geos import LineString, MultiLineString, MultiPoint, MultiPolygon, Point

from carto_concertation.budgets.models import Project as BudgetProject
from carto_concertation.budgets.selectors.projects import editions_public, projects_public
from carto_concertation.budgets.selectors.results import published_runs
from carto_concertation.contributions.api import concertations_with_ideas
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.selectors import PUBLIC_STATUSES
from carto_concertation.crowdfunding.selectors.portal import projects_filtered
from carto_concertation.opendata.collections import collection_get, collections
from carto_concertation.opendata.features import (
    FeatureQuery,
    collection_extent,
    features_all,
    features_page,
)
from carto_concertation.signalements.selectors import reports_public
from carto_concertation.surveys.models import Question
from carto_concertation.surveys.selectors.questionnaires import questionnaires_public
from carto_concertation.surveys.selectors.results import question_result
from carto_concertation.territories.models import Commune
from carto_concertation.territories.selectors import module_on
from plui_documents.models import FeatureKind, Information, Prescription, Zone
from plui_documents.selectors import current_versions
from tests.exports.conftest import personal_strings
from tests.factories import InformationFactory

pytestmark = pytest.mark.django_db
BASE = "https://carto.example.org"

# Every open dataset issue 22 names, in the catalogue's order: the backbone's, then the
# modules' in their registration order.
COLLECTIONS = [
    "communes",
    "zone_urba",
    "prescription_surf",
    "prescription_lin",
    "prescription_pct",
    "info_surf",
    "info_lin",
    "info_pct",
    "contributions",
    "signalements",
    "budgets",
    "consultations-zones",
    "crowdfunding",
]


@pytest.fixture
def demo(demo_concertation):
    """The demo, and the informations its PLUi lacks (one of each kind, on its current
    version), so that every collection has features."""
    version = current_versions().get()
    inside = Zone.objects.filter(version=version).order_by("pk").first().geom.point_on_surface
    for kind, geom in (
        # As an import stores them: multi-geometries (ST_Multi).
        (FeatureKind.SURFACE, MultiPolygon(inside.buffer(50))),
        (
            FeatureKind.LINE,
            MultiLineString(LineString(inside, Point(inside.x + 80, inside.y + 30))),
        ),
        (FeatureKind.POINT, MultiPoint(inside)),
    ):
        geom.srid = inside.srid
        InformationFactory(
            version=version, kind=kind, geom=geom, typeinf="03", datvalid=date(2020, 1, 28)
        )
    return demo_concertation


def _public_ids() -> dict[str, set]:
    """The public rows of each collection, read with each module's own public selectors
    (the pages', the APIs', Open311's), independently of the open data's."""
    current = current_versions()
    ids = {
        "communes": set(Commune.objects.values_list("pk", flat=True)),
        "zone_urba": set(Zone.objects.filter(version__in=current).values_list("pk", flat=True)),
    }
    for model, family in ((Prescription, "prescription"), (Information, "info")):
        for kind, suffix in (
            (FeatureKind.SURFACE, "surf"),
            (FeatureKind.LINE, "lin"),
            (FeatureKind.POINT, "pct"),
        ):
            rows = model.objects.filter(version__in=current, kind=kind)
            ids[f"{family}_{suffix}"] = set(rows.values_list("pk", flat=True))
    ids["contributions"] = set(
        Contribution.objects.filter(
            concertation__in=concertations_with_ideas(), status__in=PUBLIC_STATUSES
        ).values_list("pk", flat=True)
    )
    ids["signalements"] = set(
        reports_public().filter(module_on("signalements")).values_list("pk", flat=True)
    )
    ids["budgets"] = {
        pk
        for edition in editions_public()
        for pk in projects_public(edition).values_list("pk", flat=True)
    }
    ids["crowdfunding"] = set(projects_filtered().values_list("pk", flat=True))
    return ids


def test_every_dataset_is_a_collection_listing_exactly_its_public_rows(demo):
    assert [collection.id for collection in collections()] == COLLECTIONS
    public = _public_ids()
    for collection in collections():
        first = features_page(collection, FeatureQuery(limit=5), BASE)
        assert first.features, f"{collection.id} lists no feature"
        every = list(features_all(collection, BASE, batch=50))
        assert len(every) == first.matched, collection.id
        if collection.id in public:
            assert {feature["id"] for feature in every} == public[collection.id], collection.id
            assert len(public[collection.id]) > 0
        declared = set(collection.dataset.field_names())
        for feature in every:
            assert set(feature["properties"]) <= declared, collection.id
        with_geometry = [feature for feature in every if feature["geometry"] is not None]
        assert with_geometry, collection.id
        if collection.dataset.geometry_type != "Geometry":
            types = {feature["geometry"]["type"] for feature in with_geometry}
            assert types == {collection.dataset.geometry_type}, collection.id


def test_no_email_address_nor_pseudonym_in_any_feature(demo):
    personal = personal_strings()
    # The scan can fail: public ideas of the demo are signed with their author's pseudonym
    # on the site and in the API.
    signed = Contribution.objects.filter(status__in=PUBLIC_STATUSES, author__isnull=False)
    assert signed.exclude(author__pseudonym="").exists()
    assert any("@" in value for value in personal)
    for collection in collections():
        text = json.dumps(list(features_all(collection, BASE)), ensure_ascii=False)
        found = [value for value in personal if value in text]
        assert found == [], f"{collection.id} publishes {found}"


def test_the_zoning_is_the_current_plui_with_its_cnig_fields(demo):
    zones = collection_get("zone_urba")
    feature = features_page(zones, FeatureQuery(limit=1), BASE).features[0]
    zone = Zone.objects.select_related("version__document").get(pk=feature["id"])
    assert feature["properties"]["libelle"] == zone.libelle
    assert feature["properties"]["typezone"] == zone.typezone
    assert feature["properties"]["document"] == zone.version.document.idurba
    assert feature["properties"]["datvalid"] == (
        zone.datvalid.isoformat() if zone.datvalid else None
    )
    prescription = features_page(collection_get("prescription_lin"), FeatureQuery(limit=1), BASE)
    properties = prescription.features[0]["properties"]
    assert properties["typepsc"] and properties["type_label"]


def test_budget_results_are_those_published_and_only_there(demo):
    budgets = collection_get("budgets")
    by_id = {feature["id"]: feature["properties"] for feature in features_all(budgets, BASE)}
    published = {}
    for edition in editions_public():
        for run in published_runs(edition):
            published.update(run.explanations)
    assert published, "the demo publishes the 2025 edition's results"
    for pk, properties in by_id.items():
        explanation = published.get(str(pk))
        if explanation is None:
            assert properties["votes"] is None and properties["selected"] is None
        else:
            assert properties["votes"] == explanation["votes"]
            assert properties["selected"] == explanation["selected"]
    winners = BudgetProject.objects.filter(pk__in=by_id, status=BudgetProject.Status.WINNER)
    assert all(by_id[pk]["selected"] for pk in winners.values_list("pk", flat=True))


def test_survey_results_per_zone_are_the_results_page_figures(demo):
    expected = {}
    # Those without a PLU/PLUi have no figures per zone (and their results page answers 500
    # today: maps._joined on no zone raises EmptyResultSet, reported with issue 22).
    published = questionnaires_public().filter(results_published=True)
    for questionnaire in published.exclude(zoning_document=None):
        for question in Question.objects.filter(
            page__questionnaire=questionnaire, kind__in=Question.MAP_KINDS
        ):
            result = question_result(question)
            for row in result.get("by_zone", []):
                expected[(questionnaire.slug, question.code, row["libelle"])] = (
                    row["count"],
                    [(choice["label"], choice["count"]) for choice in row["follow_up"]],
                )
    assert expected, "the demo's Plan vélo publishes its results on a zoned PLUi"
    found = {
        (p["questionnaire"], p["question"], p["libelle"]): (
            p["markers"],
            [(choice["label"], choice["count"]) for choice in p["follow_up"]],
        )
        for p in (
            f["properties"] for f in features_all(collection_get("consultations-zones"), BASE)
        )
    }
    assert found == expected


def test_each_collection_is_read_by_territory_bbox_and_moment(demo):
    """The lookups each source declares (its territory, its moment, its geometry) work:
    the demo territory's box and a wide interval select every feature of the demo."""
    siren = demo.territory.siren
    everything = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
    nothing = (datetime(1990, 1, 1, tzinfo=UTC), datetime(1990, 1, 2, tzinfo=UTC))
    for collection in collections():
        matched = features_page(collection, FeatureQuery(limit=1), BASE).matched
        extent = collection_extent(collection, territory=siren)
        assert extent.bbox is not None, collection.id
        # The extent itself, as a client reads it: rounded outwards, and its sides follow
        # the parallels once in Lambert-93 (a prescription lies on the edge in the demo).
        query = FeatureQuery(territory=siren, bbox=extent.bbox, moments=everything, limit=1)
        assert features_page(collection, query, BASE).matched == matched, collection.id
        assert features_page(collection, FeatureQuery(territory="000000000"), BASE).matched == 0
        if collection.source.moment:
            first, last = extent.interval
            assert first is not None and first <= last, collection.id
            dated = features_page(collection, FeatureQuery(moments=nothing), BASE).matched
            assert dated < matched, collection.id
        else:
            assert extent.interval is None
