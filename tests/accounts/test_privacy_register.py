# SPDX-License-Identifier: AGPL-3.0-or-later
"""The privacy notice and the record of processing (registre des traitements), both built
from the settings and the declarations (core.modules.ProcessingDeclaration); where IP
addresses are kept and for how long."""

import csv
import io

import pytest
import redis
from django.test import Client

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.processing import BACKBONE
from carto_concertation.core.modules import modules, processing_declarations
from tests.factories import RoleAssignmentFactory, UserFactory

from .conftest import fresh_ip

pytestmark = pytest.mark.django_db


def declared_keys() -> list[str]:
    return [d.key for d in BACKBONE] + [d.key for _m, d in processing_declarations()]


def test_every_registered_module_declares_its_processing():
    assert [m.name for m in modules() if not m.processing] == []
    keys = declared_keys()
    assert len(keys) == len(set(keys))
    for _manifest, declaration in processing_declarations():
        assert declaration.purpose and declaration.legal_basis and declaration.recipients
        assert str(declaration.retention())


def test_the_privacy_notice_follows_the_settings(client, settings):
    settings.RETENTION_INACTIVE_YEARS = 5
    settings.RETENTION_UNVERIFIED_DAYS = 9
    settings.PRIVACY_DPO_EMAIL = "dpo@departement.example.fr"
    settings.PRIVACY_CONTROLLER = "Département de l'Exemple"

    html = client.get("/accounts/privacy/").content.decode()

    assert "for 5 years" in html and "deleted after 9 days" in html
    assert 'href="mailto:dpo@departement.example.fr"' in html
    assert "Département de l&#x27;Exemple" in html
    for key in declared_keys():
        assert f'id="processing-{key}"' in html
    for page in ("/accounts/data/", "/accounts/delete/", "/accounts/preferences/"):
        assert f'href="{page}"' in html
    settings.RETENTION_INACTIVE_YEARS = 2
    assert "for 2 years" in client.get("/accounts/privacy/").content.decode()


@pytest.mark.french
def test_the_privacy_notice_is_in_french_and_linked_from_every_page():
    client = Client(HTTP_ACCEPT_LANGUAGE="fr", REMOTE_ADDR=fresh_ip())
    home = client.get("/").content.decode()
    assert 'href="/accounts/privacy/">Confidentialité et données personnelles</a>' in home
    html = client.get("/accounts/privacy/").content.decode()
    assert "Vos droits et comment les exercer" in html
    assert "Durée de conservation" not in html  # the notice's words, not the registre's
    assert "Combien de temps" in html and "sans aucune connexion pendant 3 ans" in html


def test_the_register_is_for_administrators_only(client):
    assert client.get("/admin/registre/").url.startswith("/admin/login/")
    planner = UserFactory()
    RoleAssignmentFactory(user=planner, role=Role.PLANNER)
    client.force_login(planner)
    assert client.get("/admin/registre/").status_code == 403
    assert client.get("/admin/registre/csv/").status_code == 403
    assert 'href="/admin/registre/"' not in client.get("/admin/").content.decode()


def test_an_administrator_reaches_the_register_from_the_admin(client, settings):
    settings.PRIVACY_DPO_EMAIL = "dpo@departement.example.fr"
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    index = client.get("/admin/").content.decode()
    page = client.get("/admin/registre/")

    assert 'href="/admin/registre/"' in index and 'href="/admin/registre/csv/"' in index
    assert page.status_code == 200
    html = page.content.decode()
    for key in declared_keys():
        assert f'id="processing-{key}"' in html
    assert "dpo@departement.example.fr" in html


@pytest.mark.french
def test_the_register_csv_opens_in_a_spreadsheet_and_follows_the_settings(settings):
    settings.RETENTION_IP_DAYS = 90
    client = Client(HTTP_ACCEPT_LANGUAGE="fr", REMOTE_ADDR=fresh_ip())
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get("/admin/registre/csv/")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="registre-')
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, lines = rows[0], rows[1:]
    assert header == [
        "Module",
        "Traitement",
        "Données personnelles",
        "Finalité",
        "Base légale",
        "Personnes concernées",
        "Destinataires",
        "Durée de conservation",
    ]
    assert len(lines) == len(declared_keys())
    by_name = {line[1]: line for line in lines}
    assert "jamais plus de 90 jours" in by_name["Sécurité du service"][7]
    assert by_name["Comptes des participants"][0] == "Plateforme"
    assert all(len(line) == 8 and all(line) for line in lines)


def test_rate_limit_keys_holding_an_address_expire_within_the_ip_retention(client, settings):
    """IP addresses are kept only in the rate-limit counters (no model field holds one):
    each of their three kinds of keys (allauth's, django-ratelimit's, the API's throttles)
    expires with its window, well within RETENTION_IP_DAYS."""
    client.post("/accounts/login/", {"login": "nobody@example.org", "password": "wrong"})
    client.post("/accounts/unsubscribe/not-a-token/")
    client.get("/api/v1/territories/")
    cache = settings.CACHES["default"]
    server = redis.Redis.from_url(cache["LOCATION"])

    keys = list(server.scan_iter(match=f"{cache['KEY_PREFIX']}:*", count=1000))
    lifetimes = {key: server.ttl(key) for key in keys}

    kinds = {b"allauth:rl:", b":1:rl:", b":1:throttle_"}
    assert {kind for kind in kinds for key in keys if kind in key} == kinds
    assert all(0 < ttl <= settings.RETENTION_IP_DAYS * 86400 for ttl in lifetimes.values()), (
        lifetimes
    )
