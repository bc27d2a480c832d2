# SPDX-License-Identifier: AGPL-3.0-or-later
"""The portal's API: its figures per year and per commune against counts computed here
from the rows, and the public projects as GeoJSON with the portal's filters, the
dataset's fields and no personal data."""

import json
from collections import defaultdict

import pytest
import yaml
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from carto_concertation.crowdfunding.datasets import PROJECTS
from carto_concertation.crowdfunding.models import Project
from tests.factories import CrowdfundingPhotoFactory, CrowdfundingProjectFactory

from .portal_world import portal_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
PROPOSED = {"accepted", "campaign", "funded", "not_funded", "inaugurated"}
FUNDED = {"funded", "inaugurated"}


def expected_figures() -> tuple[dict, dict]:
    """The figures from the rows, one by one, in Python."""
    per_year: dict = defaultdict(lambda: [0, 0, 0, 0])
    per_commune: dict = defaultdict(lambda: [0, 0, 0, 0])
    for project in Project.objects.select_related("commune"):
        if project.status not in PROPOSED:
            continue
        for key, table in (
            (project.campaign_ends_on.year, per_year),
            (project.commune.insee, per_commune),
        ):
            row = table[key]
            row[0] += 1
            if project.status in FUNDED:
                row[1] += 1
                row[2] += project.raised
                row[3] += project.contributors
    return dict(per_year), dict(per_commune)


def test_the_figures_per_year_and_per_commune_match_the_rows(client, portal):
    # Another territory's funded project counts too: the portal is the site's.
    CrowdfundingProjectFactory(status=Project.Status.FUNDED, raised=7_777, contributors=33)
    body = client.get("/api/v1/crowdfunding/figures").json()
    per_year, per_commune = expected_figures()
    got_years = {
        row["year"]: [row["proposed"], row["funded"], row["raised"], row["contributors"]]
        for row in body["per_year"]
    }
    got_communes = {
        row["insee"]: [row["proposed"], row["funded"], row["raised"], row["contributors"]]
        for row in body["per_commune"]
    }
    assert got_years == per_year and got_communes == per_commune
    assert [row["year"] for row in body["per_year"]] == sorted(per_year, reverse=True)
    assert body["total"] == {
        "proposed": sum(row[0] for row in per_year.values()),
        "funded": sum(row[1] for row in per_year.values()),
        "raised": sum(row[2] for row in per_year.values()),
        "contributors": sum(row[3] for row in per_year.values()),
    }
    # The loan of 2024 and the bread oven ending in January 2025 are both funded.
    assert got_years[2024][1:] == [1, 20_000, 27]


def test_the_geojson_gives_the_public_projects_with_the_dataset_s_fields(client, portal):
    CrowdfundingPhotoFactory(project=portal["loan"])
    response = client.get(
        "/api/v1/crowdfunding/projects.geojson", headers={"accept": "application/geo+json"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    features = {feature["id"]: feature for feature in response.json()["features"]}
    on_map = {
        portal[key].slug for key in ("campaign", "loan", "inaugurated", "not_funded", "accepted")
    }
    assert set(features) == on_map
    loan = features[portal["loan"].slug]
    properties = loan["properties"]
    assert set(properties) == set(PROJECTS.field_names()) - {"slug"}
    assert properties["interest_rate"] == 1.8 and properties["loan_months"] == 60
    assert (properties["goal_share"], properties["progress"]) == (25, 100)
    assert properties["commune_insee"] == portal["communes"][1].insee
    assert properties["platform"] == "Collecticity" and properties["status_label"]
    assert properties["photos"][0].startswith("http://testserver/media/crowdfunding/")
    assert loan["geometry"]["type"] == "Point"
    text = response.content.decode()
    assert "porteur-prive@example.org" not in text and "PorteurCache" not in text
    assert "submitter" not in text


def test_the_geojson_filters_and_refuses_an_unknown_value_by_name(client, portal):
    def slugs(query: str) -> set[str]:
        response = client.get(f"/api/v1/crowdfunding/projects.geojson?{query}")
        assert response.status_code == 200, response.content
        return {feature["id"] for feature in response.json()["features"]}

    assert slugs("status=refused") == {portal["refused"].slug}
    assert slugs("status=funded,inaugurated") == {portal["loan"].slug, portal["inaugurated"].slug}
    assert slugs("modality=loan,loan_interest") == {portal["loan"].slug, portal["accepted"].slug}
    assert slugs(f"commune={portal['communes'][1].insee}") == {
        portal["loan"].slug,
        portal["not_funded"].slug,
    }
    assert slugs("theme=heritage,solidarity&status=inaugurated") == {portal["inaugurated"].slug}
    for query, field in (
        ("status=submitted", "status"),
        ("modality=gift", "modality"),
        ("theme=x", "theme"),
        ("commune=1", "commune"),
    ):
        response = client.get(f"/api/v1/crowdfunding/projects.geojson?{query}")
        assert response.status_code == 400 and field in response.json(), query


def test_the_list_s_queries_do_not_grow_with_the_projects(client, portal):
    """Pinned: the GeoJSON, the portal's page and the figures cost the same whatever the
    number of projects and photos."""
    paths = ("/api/v1/crowdfunding/projects.geojson", "/financement/", "/financement/chiffres/")

    def counts() -> list[int]:
        found = []
        for path in paths:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for _ in range(4):
        project = CrowdfundingProjectFactory(territory=portal["territory"])
        CrowdfundingPhotoFactory(project=project)
    assert counts() == before
    assert before[0] <= 3


def test_the_schema_describes_a_project_on_two_plots_as_answered(client):
    """openapi-core checks the real answers against the published schema: a place drawn
    as a MultiPolygon (two plots) is a geometry the schema names, in the public GeoJSON
    and in the porteur's own list."""
    project = CrowdfundingProjectFactory()
    xmin, ymin, _xmax, _ymax = project.commune.geom.extent
    plots = MultiPolygon(
        *(
            Polygon.from_bbox((xmin + dx, ymin + 100, xmin + dx + 50, ymin + 150))
            for dx in (100, 300)
        ),
        srid=project.geom.srid,
    )
    Project.objects.filter(pk=project.pk).update(geom=plots)
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    openapi = OpenAPI.from_dict(
        schema, config=Config(extra_media_type_deserializers={"application/geo+json": json.loads})
    )
    client.force_login(project.submitter)
    for path in ("/api/v1/crowdfunding/projects.geojson", "/api/v1/crowdfunding/projects/mine"):
        response = client.get(path, headers={"accept": "application/json"})
        assert response.status_code == 200, path
        assert "MultiPolygon" in response.content.decode(), path
        openapi.validate_response(
            DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
        )
