# SPDX-License-Identifier: AGPL-3.0-or-later
"""Building a questionnaire through the API only: one question of every kind, choices,
a map question with its markers' follow-up, a condition, publication; then the refusals
(400 naming the field, 403/404 for others, nothing written) and the JSON file out and in."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from carto_concertation.surveys.models import Question, Questionnaire
from tests.factories import UserFactory
from tests.factories.accounts import user_with_role
from tests.factories.plui_documents import zoned_plui
from tests.factories.surveys import AnswerFactory, ResponseFactory
from tests.factories.territories import TerritoryFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/surveys/questionnaires"


@pytest.fixture
def planner_client():
    territory = TerritoryFactory(communes=2)
    plui = zoned_plui(territory)
    planner = user_with_role("planner", territory)
    client = APIClient()
    # The reasons in English, as the tests read them (the site is French first).
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_authenticate(planner)
    client.territory, client.plui, client.planner = territory, plui, planner
    return client


def _create(client, **extra) -> dict:
    now = timezone.now()
    body = {
        "territory": client.territory.pk,
        "title": "Plan vélo",
        "opens_at": (now - timedelta(days=1)).isoformat(),
        "closes_at": (now + timedelta(days=30)).isoformat(),
        "respondents": "device",
        "zoning_document": client.plui.pk,
        **extra,
    }
    response = client.post(API, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _question(data: dict, code: str) -> dict:
    return next(q for p in data["pages"] for q in p["questions"] if q["code"] == code)


def test_building_a_questionnaire_through_the_api(planner_client):
    client = planner_client
    data = _create(client)
    slug = data["slug"]
    build = f"{API}/{slug}/build"
    assert data["is_published"] is False and data["pages"] == []
    data = client.post(build + "/pages", {"title": "Vous"}, format="json").json()
    first = data["pages"][0]["id"]
    data = client.post(build + "/pages", {"title": "Sur la carte"}, format="json").json()
    second = data["pages"][1]["id"]
    settings_by_kind = {
        "single": {"choices": ["Vélo", "Voiture", "À pied"], "with_other": True},
        "multiple": {"choices": ["Travail", "École", "Loisirs"], "max_count": 2},
        "short_text": {},
        "long_text": {"help_text": "Tout ce qui compte."},
        "scale": {"min_value": "0", "max_value": "10", "min_label": "Pas du tout"},
        "ranking": {"choices": ["Pistes", "Parkings", "Éclairage"]},
        "number": {"min_value": "0", "max_value": "200"},
        "date": {},
        "points": {
            "max_count": 5,
            "marker_comment": True,
            "marker_choice_label": "Pourquoi ici ?",
            "marker_choices": ["Trafic", "Vitesse"],
        },
        "line": {"max_count": 1},
        "area": {"marker_comment": True},
        "zones": {"max_count": 3},
        "communes": {},
    }
    assert set(settings_by_kind) == set(Question.Kind.values)
    for kind, extra in settings_by_kind.items():
        page = first if kind in ("single", "multiple", "short_text", "long_text") else second
        body = {"page": page, "kind": kind, "code": kind, "label": f"{kind} ?", **extra}
        response = client.post(build + "/questions", body, format="json")
        assert response.status_code == 201, (kind, response.json())
    data = response.json()
    single = _question(data, "single")
    velo = next(c["id"] for c in single["choices"] if c["label"] == "Vélo")
    # The map question is asked only of cyclists; so is the second page.
    response = client.patch(
        build + "/questions/points",
        {"shown_if": {"question": "single", "choices": [velo]}, "required": True},
        format="json",
    )
    assert response.status_code == 200, response.json()
    response = client.patch(
        f"{build}/pages/{second}",
        {"shown_if": {"question": "single", "choices": [velo]}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    response = client.post(
        build + "/questions/single/choices", {"label": "Bus", "position": 0}, format="json"
    )
    assert [c["label"] for c in _question(response.json(), "single")["choices"]] == [
        "Bus",
        "Vélo",
        "Voiture",
        "À pied",
    ]
    response = client.post(f"{build}/publication", {"is_published": True}, format="json")
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["is_published"] is True
    points = _question(data, "points")
    assert points["shown_if"] == {"question": "single", "choices": [velo]}
    assert [c["label"] for c in points["marker_choices"]] == ["Trafic", "Vitesse"]
    assert (points["required"], points["max_count"], points["marker_comment"]) == (True, 5, True)
    assert _question(data, "scale")["max_value"] == "10.0000"
    assert data["pages"][1]["shown_if"] == {"question": "single", "choices": [velo]}
    questionnaire = Questionnaire.objects.get(slug=slug)
    assert questionnaire.respondents == "device" and questionnaire.created_by == client.planner
    assert Question.objects.filter(page__questionnaire=questionnaire).count() == 13
    listed = client.get(API).json()
    assert [row["slug"] for row in listed] == [slug]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/questions", {"page": None, "kind": "scale", "label": "?", "max_value": 7}, "max_value"),
        ("/questions", {"page": None, "kind": "dessin", "label": "?"}, "kind"),
        ("/questions", {"page": None, "label": "?"}, "kind"),
        ("/questions", {"page": None, "kind": "short_text", "label": "?", "code": "q 1"}, "code"),
        ("/questions", {"page": None, "kind": "date", "label": "?", "choices": ["a"]}, "choices"),
        (
            "/questions",
            {
                "page": None,
                "kind": "date",
                "label": "?",
                "shown_if": {"question": "x", "choices": [1]},
            },
            "shown_if",
        ),
        ("", {"slug": "gestion"}, "slug"),
        ("", {"closes_at": "2000-01-01T00:00:00Z"}, "closes_at"),
        ("/publication", {"is_published": True}, "is_published"),  # no question yet
    ],
)
def test_bad_input_gets_400_naming_the_field(planner_client, path, body, field):
    data = _create(planner_client)
    build = f"{API}/{data['slug']}/build"
    page = planner_client.post(build + "/pages", {}, format="json").json()["pages"][0]["id"]
    if body.get("page", 0) is None:
        body = {**body, "page": page}
    call = planner_client.patch if path == "" else planner_client.post
    response = call(build + path, body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Question.objects.count() == 0


def test_a_lock_refusal_says_why(planner_client):
    data = _create(planner_client)
    build = f"{API}/{data['slug']}/build"
    page = planner_client.post(build + "/pages", {}, format="json").json()["pages"][0]["id"]
    planner_client.post(
        build + "/questions",
        {"page": page, "kind": "number", "code": "km", "label": "?"},
        format="json",
    )
    questionnaire = Questionnaire.objects.get(slug=data["slug"])
    AnswerFactory(
        response=ResponseFactory(questionnaire=questionnaire), question=Question.objects.get()
    )
    response = planner_client.patch(build + "/questions/km", {"kind": "date"}, format="json")
    assert response.status_code == 400
    assert "has answers" in response.json()["kind"][0]
    response = planner_client.delete(build + "/questions/km")
    assert response.status_code == 400 and "question" in response.json()


def test_others_get_403_or_404(planner_client):
    data = _create(planner_client)
    build = f"{API}/{data['slug']}/build"
    other = APIClient()
    other.force_authenticate(user_with_role("planner", TerritoryFactory()))
    assert other.get(build).status_code == 404  # a draft does not exist for them
    assert other.post(build + "/pages", {}, format="json").status_code == 404
    Questionnaire.objects.filter(slug=data["slug"]).update(is_published=True)
    assert other.post(build + "/pages", {}, format="json").status_code == 403
    assert other.get(API).json() == []
    assert APIClient().get(build).status_code in (401, 403)
    resident = APIClient()
    resident.force_authenticate(UserFactory())
    body = {**_create_body(planner_client)}
    assert resident.post(API, body, format="json").status_code == 403
    assert planner_client.get(f"{API}/inconnu/build").status_code == 404


def _create_body(client) -> dict:
    now = timezone.now()
    return {
        "territory": client.territory.pk,
        "title": "Intrus",
        "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=1)).isoformat(),
    }


def test_the_json_file_out_and_in(planner_client):
    data = _create(planner_client)
    build = f"{API}/{data['slug']}/build"
    page = planner_client.post(build + "/pages", {}, format="json").json()["pages"][0]["id"]
    planner_client.post(
        build + "/questions",
        {"page": page, "kind": "zones", "code": "zones", "label": "Quelles zones ?"},
        format="json",
    )
    response = planner_client.get(f"{API}/{data['slug']}/questionnaire.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="plan-velo.json"'
    document = json.loads(response.content)
    file = SimpleUploadedFile("plan.json", response.content, content_type="application/json")
    response = planner_client.post(
        "/api/v1/surveys/questionnaire-import",
        {"file": file, "territory": planner_client.territory.pk},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "plan-velo-2"
    assert response.json()["zoning_document"] == planner_client.plui.pk
    bad = SimpleUploadedFile("bad.json", json.dumps({**document, "version": 9}).encode())
    response = planner_client.post(
        "/api/v1/surveys/questionnaire-import",
        {"file": bad, "territory": planner_client.territory.pk},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["file"][0].startswith("$.version:")
    assert Questionnaire.objects.count() == 2
