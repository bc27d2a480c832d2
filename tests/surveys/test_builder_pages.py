# SPDX-License-Identifier: AGPL-3.0-or-later
"""The organisers' pages as plain HTML forms without JavaScript (Django's test client):
creating a questionnaire, pages, questions, choices, a condition, publication, the JSON
file out and in; who may reach them; a refused form comes back with the service's
reason and writes nothing."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from carto_concertation.surveys.models import Choice, Question, Questionnaire
from tests.factories import UserFactory
from tests.factories.accounts import user_with_role
from tests.factories.surveys import AnswerFactory, ResponseFactory
from tests.factories.territories import TerritoryFactory

from .builder_world import builder_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    """The pages in English, as the messages the tests read (the site is French first)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def world(client):
    world = builder_world()
    client.force_login(world.planner)
    return world


def _manage(questionnaire) -> str:
    return reverse("surveys:manage-questionnaire", args=[questionnaire.slug])


def _question(questionnaire, code) -> str:
    return reverse("surveys:manage-question", args=[questionnaire.slug, code])


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M:%S")


def test_who_reaches_the_pages(client):
    world = builder_world()
    urls = [
        reverse("surveys:manage"),
        reverse("surveys:manage-import"),
        _manage(world.questionnaire),
        _question(world.questionnaire, "mode"),
        reverse("surveys:manage-export", args=[world.questionnaire.slug]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302  # to sign in
    client.force_login(user_with_role("planner", TerritoryFactory()))
    for url in urls[2:]:
        assert client.get(url).status_code == 403
    assert client.post(urls[2], {"action": "publish"}).status_code == 403
    client.force_login(UserFactory())
    assert client.get(urls[0]).status_code == 403
    client.force_login(world.planner)
    for url in urls:
        assert client.get(url).status_code == 200
    assert client.get(reverse("surveys:manage-questionnaire", args=["inconnu"])).status_code == 404
    assert client.get(_question(world.questionnaire, "inconnue")).status_code == 404
    world.questionnaire.refresh_from_db()
    assert not world.questionnaire.is_published


def test_a_planner_builds_a_questionnaire_through_the_forms(client, world):
    now = timezone.now()
    response = client.post(
        reverse("surveys:manage"),
        {
            "territory": world.territory.pk,
            "title": "Écoles à vélo",
            "opens_at": _local(now),
            "closes_at": _local(now + timedelta(days=20)),
            "respondents": "account",
        },
    )
    questionnaire = Questionnaire.objects.get(title="Écoles à vélo")
    assert response.status_code == 302 and response["Location"] == _manage(questionnaire)
    manage = _manage(questionnaire)
    assert client.post(manage, {"action": "page-add", "new-page-title": "Vous"}).status_code == 302
    page = questionnaire.pages.get()
    response = client.post(
        manage,
        {
            "action": "question-add",
            "page": page.pk,
            f"new-{page.pk}-kind": "single",
            f"new-{page.pk}-label": "Votre enfant va-t-il à l'école à vélo ?",
            f"new-{page.pk}-code": "velo",
        },
    )
    assert response["Location"] == _question(questionnaire, "velo")
    for label in ("Oui", "Non"):
        client.post(
            _question(questionnaire, "velo"), {"action": "choice-add", "choice-label": label}
        )
    client.post(
        manage,
        {
            "action": "question-add",
            "page": page.pk,
            f"new-{page.pk}-kind": "line",
            f"new-{page.pk}-label": "Son trajet ?",
            f"new-{page.pk}-code": "trajet",
        },
    )
    url = _question(questionnaire, "trajet")
    response = client.post(
        url,
        {
            "action": "settings",
            "code": "trajet",
            "label": "Dessinez son trajet",
            "max_count": "1",
            "marker_comment": "on",
            "marker_choice_label": "Comment trouvez-vous ce trajet ?",
        },
    )
    assert response.status_code == 302
    client.post(url, {"action": "marker-add", "marker-label": "Sûr"})
    oui = Choice.objects.get(question__code="velo", label="Oui")
    assert client.post(url, {"action": "condition", "choices": [oui.pk]}).status_code == 302
    assert client.post(manage, {"action": "publish"}).status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.is_published
    trajet = Question.objects.get(code="trajet")
    assert (trajet.max_count, trajet.marker_comment, trajet.shown_if_question.code) == (
        1,
        True,
        "velo",
    )
    assert list(trajet.choices.values_list("label", "for_marker")) == [("Sûr", True)]
    page_html = client.get(manage).content.decode()
    assert "Dessinez son trajet" in page_html and "conditional" in page_html


def test_a_refusal_comes_back_with_its_reason_and_writes_nothing(client, world):
    ResponseFactory(questionnaire=world.questionnaire)
    AnswerFactory(response=world.questionnaire.responses.get(), question=world.places)
    url = _question(world.questionnaire, "danger")
    response = client.post(
        url,
        {
            "action": "settings",
            "code": "danger",
            "label": "Où ?",
            "max_count": "1",
            "marker_choice_label": "Pourquoi ?",
        },
    )
    assert response.status_code == 400
    assert "would break them" in response.content.decode()
    assert Question.objects.get(code="danger").max_count == 3
    response = client.post(url, {"action": "delete"})
    assert response.status_code == 400
    assert "has answers" in response.content.decode()
    second = world.places.page
    response = client.post(_manage(world.questionnaire), {"action": "page-up", "page": second.pk})
    assert response.status_code == 400
    response = client.post(
        _manage(world.questionnaire),
        {
            "action": "settings",
            "title": "Plan vélo",
            "slug": "gestion",
            "opens_at": _local(world.questionnaire.opens_at),
            "closes_at": _local(world.questionnaire.closes_at),
            "respondents": "account",
            "zoning_document": world.questionnaire.zoning_document_id,
        },
    )
    assert response.status_code == 400
    assert "choose another" in response.content.decode()
    assert Questionnaire.objects.get().slug == "plan-velo"


def test_the_json_file_out_and_in(client, world):
    response = client.get(reverse("surveys:manage-export", args=[world.questionnaire.slug]))
    document = json.loads(response.content)
    assert document["format"] == "carto-concertation/questionnaire"
    upload = SimpleUploadedFile("plan.json", response.content, content_type="application/json")
    response = client.post(
        reverse("surveys:manage-import"), {"territory": world.territory.pk, "file": upload}
    )
    imported = Questionnaire.objects.get(slug="plan-velo-2")
    assert response["Location"] == _manage(imported)
    bad = SimpleUploadedFile("bad.json", b'{"format": "carto-concertation/questionnaire"}')
    response = client.post(
        reverse("surveys:manage-import"), {"territory": world.territory.pk, "file": bad}
    )
    assert response.status_code == 400
    assert "$.version" in response.content.decode()
    assert Questionnaire.objects.count() == 2
