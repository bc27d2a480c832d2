# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results' pages without JavaScript, in French: hidden until published (the
organisers preview them), published from the organisers' page with the collective
answer, each question's chart and its table, only published texts, the map's tables per
zone and per commune; the SVG download; the cross-tabulation form; the moderators'
page. Refusals show the form again and write nothing."""

import re
from xml.etree import ElementTree

import pytest

from carto_concertation.surveys.models import Answer
from carto_concertation.surveys.models.responses import TextModeration
from carto_concertation.surveys.selectors.results import question_result

from .results_world import results_world

pytestmark = pytest.mark.django_db


def public(slug: str, rest: str = "") -> str:
    return f"/consultations/{slug}/resultats/{rest}"


def manage(slug: str, rest: str = "resultats/") -> str:
    return f"/consultations/gestion/{slug}/{rest}"


@pytest.fixture
def world():
    return results_world(responses=48, seed=7)


def test_results_are_published_from_the_organisers_page_then_public(client, world):
    slug = world.questionnaire.slug
    assert client.get(public(slug)).status_code == 404
    assert client.get(public(slug, "single.svg")).status_code == 404
    client.force_login(world.resident)
    assert client.get(public(slug)).status_code == 404
    assert client.get(manage(slug)).status_code == 404

    client.force_login(world.planner)
    preview = client.get(public(slug)).content.decode()
    assert "Aperçu : ces résultats ne sont pas encore publics." in preview
    page = client.get(manage(slug))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Les résultats ne sont pas encore publics." in html
    assert 'name="summary"' in html
    refused = client.post(manage(slug, "resultats/publier/"), {"summary": "  "})
    assert refused.status_code == 400
    assert (
        "Écrivez la réponse collective affichée au-dessus des résultats."
        in refused.content.decode()
    )
    world.questionnaire.refresh_from_db()
    assert not world.questionnaire.results_published

    summary = "Nous créerons <la piste> & le parking vélo."
    done = client.post(manage(slug, "resultats/publier/"), {"summary": summary})
    assert done.status_code == 302
    assert done["Location"] == manage(slug)
    client.logout()
    html = client.get(public(slug)).content.decode()
    assert "Résultats de Plan vélo &lt;2026&gt;" in html
    assert "Nous créerons &lt;la piste&gt; &amp; le parking vélo." in html
    assert "Aperçu" not in html
    # Each chosen question: its chart inline and its table; the map questions' tables.
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 11
    assert "Points Borda" in html
    assert "Médiane" in html
    assert "Repères par zone du PLU/PLUi" in html
    assert "Repères par commune" in html
    assert f'href="{public(slug, "single.svg")}"' in html
    assert "Télécharger le graphique (SVG)" in html
    # The public map: the heat map, never the markers.
    assert f"/api/v1/surveys/questionnaires/{slug}/results/points/heatmap" in html
    assert "/markers" not in html

    client.force_login(world.planner)
    client.post(manage(slug, "resultats/publier/"), {"summary": summary, "unpublish": "1"})
    client.logout()
    assert client.get(public(slug)).status_code == 404


def test_only_published_texts_show_and_they_are_escaped(client, world):
    world.questionnaire.results_published = True
    world.questionnaire.save()
    question = world.questions["short_text"]
    texts = Answer.objects.filter(question=question, response__status="submitted").exclude(text="")
    shown, hidden, waiting = list(texts.order_by("pk"))[:3]
    texts.update(text_moderation=TextModeration.HIDDEN)
    Answer.objects.filter(pk=shown.pk).update(
        text="Publié <em>ici</em>", text_moderation="published"
    )
    Answer.objects.filter(pk=hidden.pk).update(text="Caché 111")
    Answer.objects.filter(pk=waiting.pk).update(text="Attente 222", text_moderation="pending")
    html = client.get(public(world.questionnaire.slug)).content.decode()
    assert "Publié &lt;em&gt;ici&lt;/em&gt;" in html
    assert "Caché 111" not in html
    assert "Attente 222" not in html


def test_the_svg_download_is_the_question_chart(client, world):
    world.questionnaire.results_published = True
    world.questionnaire.save()
    response = client.get(public(world.questionnaire.slug, "multiple.svg"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own SVG)
    svg = "{http://www.w3.org/2000/svg}"
    result = question_result(world.questions["multiple"])
    expected = [row["count"] for row in result["choices"]] + [result["other"]["count"]]
    groups = list(root.iter(f"{svg}g"))
    assert [float(g.get("data-value")) for g in groups] == expected
    widths = [float(g.find(f"{svg}rect").get("width")) for g in groups]
    for width, count in zip(widths, expected, strict=True):
        assert abs(width - max(widths) * count / max(expected)) < 0.01
    assert root.find(f"{svg}desc").text.startswith("Nombre de répondants pour chaque réponse")
    assert client.get(public(world.questionnaire.slug, "nope.svg")).status_code == 404


def test_the_organisers_cross_two_questions(client, world):
    slug = world.questionnaire.slug
    client.force_login(world.planner)
    html = client.get(manage(slug), {"rows": "single", "columns": "multiple"}).content.decode()
    assert 'id="crosstab"' in html
    table = re.search(r'<table class="results-table" id="crosstab">.*?</table>', html, re.S)[0]
    assert table.count("<tr>") == 5  # the header, three choices, the totals
    html = client.get(manage(slug), {"rows": "single", "columns": "single"}).content.decode()
    assert "Choisissez deux questions différentes." in html
    assert 'id="crosstab"' not in html
    # The organisers' map shows every marker.
    assert f"/api/v1/surveys/questionnaires/{slug}/results/points/markers" in html


def test_the_moderators_publish_and_hide_texts_from_their_page(client, world):
    slug = world.questionnaire.slug
    client.force_login(world.resident)
    assert client.get(manage(slug, "textes/")).status_code == 404
    client.force_login(world.moderator)
    page = client.get(manage(slug, "textes/"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Publier les textes cochés" in html
    question = world.questions["long_text"]
    texts = Answer.objects.filter(question=question, response__status="submitted").exclude(text="")
    texts.update(text_moderation=TextModeration.PENDING)
    one, two = list(texts.order_by("pk"))[:2]
    done = client.post(
        manage(slug, "textes/moderer/"), {"decision": "hidden", "answers": [one.pk, two.pk]}
    )
    assert done.status_code == 302
    assert set(texts.filter(pk__in=[one.pk, two.pk]).values_list("text_moderation", flat=True)) == {
        "hidden"
    }
    client.post(manage(slug, "textes/moderer/"), {"decision": "published", "question": "long_text"})
    assert texts.filter(text_moderation="pending").count() == 0
    assert texts.get(pk=one.pk).text_moderation == "hidden"
    refused = client.post(
        manage(slug, "textes/moderer/"), {"decision": "published", "answers": [0]}
    )
    assert refused.status_code == 400
    waiting = client.get(manage(slug, "textes/"), {"statut": "pending"}).content.decode()
    assert f'value="{one.pk}"' not in waiting
