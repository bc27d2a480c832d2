# SPDX-License-Identifier: AGPL-3.0-or-later
"""The error pages a person meets (400, 403, 404, 500) are the site's, in French first:
Django's own are bare English pages."""

import sys

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from carto_concertation.core.views import server_error
from tests.factories import ConcertationFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.french]


def test_a_page_that_does_not_exist_answers_the_site_s_page_in_french(client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page introuvable</h1>" in page
    assert '<html lang="fr">' in page
    assert "Not Found" not in page


def test_a_page_refused_to_an_account_answers_the_site_s_page_in_french(client):
    concertation = ConcertationFactory()
    client.force_login(UserFactory())
    response = client.get(f"/concertations/{concertation.slug}/tableau-de-bord/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Accès refusé</h1>" in page
    assert "Forbidden" not in page


def test_a_request_refused_before_any_view_answers_the_site_s_page_in_french():
    response = Client(headers={"host": "ailleurs.invalid"}).get("/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<h1>Requête refusée</h1>" in page
    assert "Bad Request" not in page


def test_a_server_error_answers_a_french_page_that_reads_nothing(django_assert_num_queries):
    request = RequestFactory().get("/une-page/")
    with translation.override("fr"), django_assert_num_queries(0):
        try:
            raise RuntimeError("a view's failure")
        except RuntimeError:
            assert sys.exc_info()[0] is RuntimeError
            response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Erreur du serveur</h1>" in page
    assert "a view's failure" not in page
