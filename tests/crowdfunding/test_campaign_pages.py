# SPDX-License-Identifier: AGPL-3.0-or-later
"""The campaign's page, in French and without JavaScript: the figures form, the upload
of the platform's export with its report line by line when a line is refused, the
history; and the figures' section of the public project page."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone, translation

from carto_concertation.crowdfunding.models import FundingImport, FundingUpdate, Project
from carto_concertation.crowdfunding.services.campaign import figures_update

from .campaign_world import upload, world_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db]


def _client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    if user is not None:
        client.force_login(user)
    return client


def _url(project) -> str:
    return f"/financement/gestion/{project.slug}/campagne/"


@pytest.mark.parametrize("who", ["porteur", "agent"])
def test_the_porteur_and_the_agents_reach_the_page(world, who):
    answer = _client(getattr(world, who)).get(_url(world.project))
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Mettre à jour les chiffres" in page
    assert "Importer l’export de la plateforme" in page
    assert 'enctype="multipart/form-data"' in page
    assert f'href="/financement/{world.project.slug}/"' in page, "its public page"


def test_no_one_else_reaches_it(world):
    assert _client(world.resident).get(_url(world.project)).status_code == 404
    assert _client(world.stranger_agent).get(_url(world.project)).status_code == 404
    answer = _client().get(_url(world.project))
    assert answer.status_code == 302 and "/accounts/" in answer["Location"]


def test_the_figures_form_saves_then_refuses_a_drop_without_reason(world):
    client = _client(world.porteur)
    answer = client.post(
        _url(world.project),
        {"action": "figures", "figures-raised": "6200", "figures-contributors": "81"},
    )
    assert answer.status_code == 302
    world.project.refresh_from_db()
    assert (world.project.raised, world.project.contributors) == (6_200, 81)

    answer = client.post(
        _url(world.project),
        {"action": "figures", "figures-raised": "6000", "figures-contributors": "81"},
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Les chiffres baissent" in page
    assert 'id="id_figures-correction_reason_error"' in page
    assert FundingUpdate.objects.count() == 1

    answer = client.post(
        _url(world.project),
        {"action": "figures", "figures-raised": "-1", "figures-contributors": "81"},
    )
    assert answer.status_code == 400
    assert 'id="id_figures-raised_error"' in answer.content.decode()
    assert FundingUpdate.objects.count() == 1


def test_a_refused_line_is_shown_in_the_report_and_nothing_is_written(world):
    text = "date;montant;statut\n01/03/2026;25,50;Payé\n02/03/2026;vingt;Payé\n\n"
    answer = _client(world.agent).post(
        _url(world.project), {"action": "import", "import-file": upload(text)}
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Rien n’a été importé" in page
    assert "« vingt » n’est pas un montant." in page
    assert "<td>3</td>" in page and "<td>2</td>" in page
    assert not FundingImport.objects.exists()


def test_an_export_is_imported_and_told_in_the_history(world):
    text = "date;montant;statut\n01/03/2026;25,50;Payé\n02/03/2026;10;Remboursé\n"
    client = _client(world.agent)
    answer = client.post(_url(world.project), {"action": "import", "import-file": upload(text)})
    assert answer.status_code == 302
    page = client.get(_url(world.project)).content.decode()
    assert "Export importé : 2 lignes lues, 1 comptées, 1 écartées" in page
    assert "Lu dans l’export de la plateforme (1 comptées, 1 écartées)" in page


def test_the_forms_are_gone_once_the_final_figures_are_past(world):
    today = timezone.localdate()
    Project.objects.filter(pk=world.project.pk).update(
        status=Project.Status.FUNDED,
        campaign_starts_on=today - timedelta(days=90),
        campaign_ends_on=today - timedelta(days=31),
    )
    page = _client(world.porteur).get(_url(world.project)).content.decode()
    assert "Enregistrer les chiffres" not in page
    assert "jusqu’à 30 jours après sa fin" in page


def test_the_public_section_shows_the_history_with_its_reasons_and_no_one(world):
    figures_update(user=world.porteur, project=world.project, raised=1_000, contributors=12)
    figures_update(
        user=world.agent,
        project=world.project,
        raised=940,
        contributors=11,
        correction_reason="Un contributeur remboursé <à sa demande>",
    )
    with translation.override("fr"):
        html = render_to_string(
            "crowdfunding/campaign/_project_section.html", {"project": world.project}
        )
    assert "Les chiffres de la campagne" in html
    assert "940 €" in html and "1000 €" in html
    assert "Un contributeur remboursé &lt;à sa demande&gt;" in html
    assert "Saisi par le porteur" in html and "Saisi par un agent" in html
    for person in (world.porteur, world.agent):
        assert person.email not in html
        assert str(person) not in html


def test_the_public_section_is_empty_without_figures(world):
    html = render_to_string(
        "crowdfunding/campaign/_project_section.html", {"project": world.project}
    )
    assert html.strip() == ""
