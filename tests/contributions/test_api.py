# SPDX-License-Identifier: AGPL-3.0-or-later
"""The contribution list (filters, pagination, ordering), editing and withdrawing one's
own idea, the concertations, and the OpenAPI schema."""

import json
from datetime import timedelta

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from carto_concertation.concertations.models import Phase
from carto_concertation.contributions.comments import comment_create
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.services import vote_cast
from tests.factories import UserFactory

from .conftest import make_idea, point_in, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas(open_concertation):
    """Four ideas in different zones, themes and communes."""
    theme = {t.name: t.pk for t in open_concertation.themes.all()}
    people = [UserFactory() for _ in range(3)]
    cycle = make_idea(
        open_concertation,
        people[0],
        libelle="UE",
        title="Piste cyclable",
        text="Des vélos en sécurité jusqu'au collège",
        theme_ids=[theme["Mobilité"]],
    )
    housing = make_idea(
        open_concertation,
        people[1],
        libelle="UB",
        title="Logements pour les jeunes",
        text="Petites maisons près du bourg",
        theme_ids=[theme["Habitat"]],
    )
    hedge = make_idea(
        open_concertation,
        people[2],
        libelle="A",
        title="Protéger les haies",
        text="Les haies bocagères abritent les oiseaux",
        theme_ids=[theme["Environnement"]],
    )
    forest = make_idea(
        open_concertation,
        people[2],
        libelle="N",
        title="Sentier en forêt",
        text="Un sentier de randonnée balisé",
        theme_ids=[theme["Environnement"], theme["Mobilité"]],
    )
    for voter in people:
        vote_cast(contribution=housing, voter=voter, value=1)
    vote_cast(contribution=hedge, voter=people[0], value=1)
    for text in ("Oui", "Non", "Peut-être"):
        comment_create(contribution=forest, author=people[0], text=text)
    comment_create(contribution=cycle, author=people[1], text="Bien")
    return {"cycle": cycle, "housing": housing, "hedge": hedge, "forest": forest}


def ids(client, concertation, **params) -> list[int]:
    response = client.get(url(concertation), params)
    assert response.status_code == 200, response.json()
    return [f["id"] for f in response.json()["features"]]


def test_filters(client, open_concertation, ideas):
    theme = {t.name: t.pk for t in open_concertation.themes.all()}
    c, h, e, f = (ideas[k].pk for k in ("cycle", "housing", "hedge", "forest"))
    assert sorted(ids(client, open_concertation, theme=theme["Mobilité"])) == sorted([c, f])
    assert sorted(
        ids(client, open_concertation, theme=f"{theme['Habitat']},{theme['Environnement']}")
    ) == sorted([h, e, f])
    assert sorted(ids(client, open_concertation, typezone="U")) == sorted([c, h])
    assert sorted(ids(client, open_concertation, typezone=["A", "N"])) == sorted([e, f])
    assert ids(client, open_concertation, search="collèges") == [c]  # French stems: collège
    assert ids(client, open_concertation, search="haie oiseau") == [e]
    Contribution.objects.filter(pk=c).update(status="under_study")
    assert ids(client, open_concertation, status="under_study") == [c]
    assert sorted(ids(client, open_concertation, status=["under_study", "published"])) == sorted(
        [c, h, e, f]
    )
    commune = ideas["cycle"].commune.insee
    expected = [i.pk for i in ideas.values() if i.commune.insee == commune]
    assert sorted(ids(client, open_concertation, commune=commune)) == sorted(expected)
    here = point_in("UE")
    bbox = f"{here.x - 0.001},{here.y - 0.001},{here.x + 0.001},{here.y + 0.001}"
    assert ids(client, open_concertation, bbox=bbox) == [c]
    today = timezone.localdate()
    assert len(ids(client, open_concertation, created_after=today.isoformat())) == 4
    assert (
        ids(client, open_concertation, created_before=(today - timedelta(days=1)).isoformat()) == []
    )


def test_orderings(client, open_concertation, ideas):
    c, h, e, f = (ideas[k].pk for k in ("cycle", "housing", "hedge", "forest"))
    assert ids(client, open_concertation) == [f, e, h, c]
    assert ids(client, open_concertation, ordering="recent") == [f, e, h, c]
    assert ids(client, open_concertation, ordering="supported")[:2] == [h, e]
    assert ids(client, open_concertation, ordering="debated")[:2] == [f, c]


def test_pagination(client, open_concertation, ideas):
    page = client.get(url(open_concertation), {"page_size": 3}).json()
    assert page["type"] == "FeatureCollection"
    assert page["count"] == 4 and len(page["features"]) == 3 and page["next"]
    second = client.get(page["next"]).json()
    assert len(second["features"]) == 1


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "1,2,3"},
        {"bbox": "3,2,1,4"},
        {"bbox": "a,b,c,d"},
        {"bbox": "0,0,200,10"},
        {"status": "deleted"},
        {"typezone": "X"},
        {"theme": "abc"},
        {"created_after": "yesterday"},
        {"ordering": "random"},
    ],
)
def test_bad_filters_are_400_naming_the_parameter(client, open_concertation, params):
    response = client.get(url(open_concertation), params)
    assert response.status_code == 400
    name = next(iter(params))
    assert name.split("_")[0] in " ".join(response.json())


def test_the_author_edits_during_the_open_phase(client, open_concertation, author):
    idea = make_idea(open_concertation, author, libelle="UE")
    habitat = open_concertation.themes.get(name="Habitat").pk
    new_place = list(point_in("A").coords)
    response = client.patch(
        url(open_concertation, pk=idea.pk),
        {
            "title": "Titre <em>corrigé</em>",
            "themes": [habitat],
            "geometry": {"type": "Point", "coordinates": new_place},
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    properties = response.json()["properties"]
    assert properties["title"] == "Titre <em>corrigé</em>"
    assert properties["text"] == "Un texte."
    assert properties["themes"] == ["Habitat"]
    assert [z["typezone"] for z in properties["zones"]] == ["A"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"themes": [999_999]}, "themes"),
        ({"geometry": {"type": "Point", "coordinates": [2.35, 48.85]}}, "geometry"),
        ({"geometry": {"type": "Point", "coordinates": [2.92, 95]}}, "geometry"),
    ],
)
def test_a_bad_edit_changes_nothing(client, open_concertation, author, payload, field):
    idea = make_idea(open_concertation, author)
    response = client.patch(
        url(open_concertation, pk=idea.pk), payload, content_type="application/json"
    )
    assert response.status_code == 400 and field in response.json()
    fresh = Contribution.objects.get(pk=idea.pk)
    assert (fresh.title, fresh.geom.coords) == (idea.title, idea.geom.coords)


def test_no_write_on_someone_else_s_contribution(client, open_concertation, author):
    idea = make_idea(open_concertation, UserFactory())
    edit = client.patch(
        url(open_concertation, pk=idea.pk), {"title": "À moi"}, content_type="application/json"
    )
    withdraw = client.post(url(open_concertation, "withdraw", idea.pk))
    assert (edit.status_code, withdraw.status_code) == (403, 403)
    idea.refresh_from_db()
    assert (idea.title, idea.status) == ("Une idée", "published")
    client.logout()
    assert (
        client.patch(
            url(open_concertation, pk=idea.pk), {"title": "x"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_the_author_withdraws_and_the_idea_leaves_the_public_list(
    client, open_concertation, author
):
    idea = make_idea(open_concertation, author)
    response = client.post(url(open_concertation, "withdraw", idea.pk))
    assert response.status_code == 200
    assert response.json()["properties"]["status"] == "withdrawn"
    client.logout()
    assert ids(client, open_concertation) == []
    assert client.get(url(open_concertation, pk=idea.pk)).status_code == 404


def test_no_edit_or_withdrawal_after_the_phase(client, open_concertation, author):
    idea = make_idea(open_concertation, author)
    Phase.objects.filter(concertation=open_concertation).update(
        starts_at=timezone.now() - timedelta(days=9), ends_at=timezone.now() - timedelta(days=1)
    )
    edit = client.patch(
        url(open_concertation, pk=idea.pk), {"title": "Tard"}, content_type="application/json"
    )
    withdraw = client.post(url(open_concertation, "withdraw", idea.pk))
    assert (edit.status_code, withdraw.status_code) == (400, 400)
    assert "concertation" in edit.json() and "concertation" in withdraw.json()


def test_an_answered_idea_is_frozen(client, open_concertation, author):
    idea = make_idea(open_concertation, author)
    Contribution.objects.filter(pk=idea.pk).update(
        status="retained", answer="Oui", answer_service="Urbanisme", answered_at=timezone.now()
    )
    edit = client.patch(
        url(open_concertation, pk=idea.pk), {"title": "Autre"}, content_type="application/json"
    )
    withdraw = client.post(url(open_concertation, "withdraw", idea.pk))
    assert (edit.status_code, withdraw.status_code) == (400, 400)
    assert "status" in edit.json()


def test_concertations_are_listed_with_themes_phases_and_perimeter(client, open_concertation):
    listed = client.get("/api/v1/concertations/").json()
    assert listed["type"] == "FeatureCollection"
    feature = next(f for f in listed["features"] if f["id"] == open_concertation.slug)
    assert feature["geometry"]["type"] == "MultiPolygon"
    lon, lat = feature["geometry"]["coordinates"][0][0][0]
    assert 2.5 < lon < 3.3 and 46.5 < lat < 47.2  # WGS84, in the Cher
    properties = feature["properties"]
    assert sorted(t["name"] for t in properties["themes"]) == [
        "Environnement",
        "Habitat",
        "Mobilité",
    ]
    assert properties["phases"][0]["kind"] == "contributions" and properties["phases"][0]["current"]
    assert properties["contributions_open"] is True
    assert properties["territory"] == "241800432"
    detail = client.get(f"/api/v1/concertations/{open_concertation.slug}/")
    assert detail.status_code == 200 and detail.json()["id"] == open_concertation.slug


def test_drafts_are_not_public(client, open_concertation):
    type(open_concertation).objects.filter(pk=open_concertation.pk).update(status="draft")
    assert client.get(f"/api/v1/concertations/{open_concertation.slug}/").status_code == 404
    assert client.get(url(open_concertation)).status_code == 404


def test_the_openapi_schema_describes_everything_without_warnings(tmp_path, client):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    for path in (
        "/api/v1/concertations/{slug}/",
        "/api/v1/concertations/{concertation_slug}/contributions/similar",
        "/api/v1/concertations/{concertation_slug}/contributions/{id}/withdraw",
        "/api/v1/concertations/{concertation_slug}/contributions/{id}/photos/",
        "/api/v1/concertations/{concertation_slug}/contributions/{id}/comments/",
        "/api/v1/concertations/{concertation_slug}/contributions/{id}/report",
        "/api/v1/concertations/{concertation_slug}/contributions/{id}/answer",
        "/api/v1/concertations/{concertation_slug}/contributions/{id}/merge",
        "/api/v1/concertations/{concertation_slug}/comments/{id}/report",
        "/api/v1/concertations/{concertation_slug}/moderation/queue",
        "/api/v1/concertations/{concertation_slug}/moderation/log",
    ):
        assert f"  {path}:" in schema, path
    for parameter in ("bbox", "typezone", "search", "ordering", "created_after"):
        assert f"name: {parameter}" in schema
    assert client.get("/api/v1/schema/").status_code == 200


def geojson_reads(concertation, varied) -> list[str]:
    """Every GeoJSON read: paginated lists on several pages, unpaginated collections,
    single features, hidden and merged ideas among them."""
    contributions = url(concertation)
    planning = f"/api/v1/concertations/{concertation.slug}/"
    return [
        contributions,
        contributions + "?page_size=2&page=2",
        contributions + "?page_size=2&page=last",
        contributions + "?status=hidden",
        url(concertation, pk=varied["hidden"].pk),
        url(concertation, pk=varied["first"].pk),
        url(concertation, "similar") + "?lon=2.9&lat=46.85&title=Vélo",
        "/api/v1/concertations/",
        planning,
        "/api/v1/territories/",
        "/api/v1/territories/241800432/",
        "/api/v1/communes/?page_size=3&page=2",
        f"/api/v1/communes/{varied['first'].commune.insee}/",
        planning + "heatmap",
        planning + "stats/zones",
        planning + "stats/communes",
    ]


def test_geojson_is_served_as_application_geo_json(client, open_concertation, varied, planner):
    """A client that asks for application/geo+json gets it (it was refused with 406); one
    that asks for JSON or anything gets JSON as before, and an error is JSON."""
    client.force_login(planner)
    for path in geojson_reads(open_concertation, varied):
        geojson = client.get(path, headers={"accept": "application/geo+json"})
        assert geojson.status_code == 200, (path, geojson.status_code)
        assert geojson["Content-Type"] == "application/geo+json", path
        plain = client.get(path, headers={"accept": "application/json"})
        anything = client.get(path)
        assert plain["Content-Type"] == anything["Content-Type"] == "application/json", path
        assert json.loads(geojson.content) == plain.json() == anything.json(), path
        assert plain.json()["type"] in ("Feature", "FeatureCollection"), path
    missing = client.get(
        url(open_concertation) + "999999/", headers={"accept": "application/geo+json"}
    )
    assert missing.status_code == 404 and missing["Content-Type"] == "application/json"


def test_the_schema_describes_geojson_as_answered(client, open_concertation, varied, planner):
    """openapi-core checks each real answer against the published schema: the status,
    the content type and the body (a page is a FeatureCollection whose ``features`` is
    the array of features, with ``count``, ``next`` and ``previous``; a hidden idea's
    geometry is null)."""
    schema = yaml.safe_load(client.get("/api/v1/schema/").content)
    # openapi-core reads only application/json as JSON unless told.
    config = Config(extra_media_type_deserializers={"application/geo+json": json.loads})
    openapi = OpenAPI.from_dict(schema, config=config)
    client.force_login(planner)
    for path in geojson_reads(open_concertation, varied):
        for accept in ("application/json", "application/geo+json"):
            response = client.get(path, headers={"accept": accept})
            assert response.status_code == 200, (path, response.status_code)
            openapi.validate_response(
                DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
            )
