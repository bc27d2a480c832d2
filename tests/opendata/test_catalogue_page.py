# SPDX-License-Identifier: AGPL-3.0-or-later
"""The open-data page (/donnees/), in French, reached from every page's footer: per
territory, each dataset with its description, fields and files (format, size, date), its
OGC API collection and the catalogue's links; nothing there needs JavaScript."""

import re

import pytest
from django.utils import timezone

from carto_concertation.opendata.catalogue.files import open_files_refresh
from carto_concertation.opendata.models import OpenFile
from tests.factories import TerritoryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.french]


@pytest.fixture(autouse=True)
def open_data_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_every_page_links_the_open_data_page(client):
    home = client.get("/")
    assert home.status_code == 200
    assert re.search(r'<footer>\s*<a href="/donnees/">Données ouvertes</a>', home.text)


def test_the_page_lists_each_territorys_datasets_fields_and_files(client):
    territory = TerritoryFactory(communes=2, name="Communauté de communes des Trois Ponts")
    open_files_refresh()
    response = client.get("/donnees/")
    assert response.status_code == 200
    page = response.text
    assert "<h1>Données ouvertes</h1>" in page
    assert "Licence Ouverte" in page
    assert 'href="https://www.etalab.gouv.fr/licence-ouverte-open-licence"' in page
    for path in ("/catalogue.jsonld", "/catalogue.ttl", "/catalogue.rdf", "/ogc/"):
        assert f'href="{path}"' in page
    assert f'<section id="territoire-{territory.siren}">' in page
    assert "Communauté de communes des Trois Ponts" in page
    assert f'<article id="{territory.siren}-communes">' in page
    assert "<h3>Communes</h3>" in page
    assert "Les communes des territoires" in page  # the dataset's description, in French
    assert "2 objets" in page
    for field in ("insee", "name", "territory", "territory_siren", "wkt"):
        assert f"<code>{field}</code>" in page
    assert "code INSEE" in page
    for record in OpenFile.objects.filter(territory=territory):
        link = f'href="/donnees/{territory.siren}/communes.{record.format}"'
        assert link in page
        assert (
            client.head(f"/donnees/{territory.siren}/communes.{record.format}").status_code == 200
        )
        day = timezone.localtime(record.modified).strftime("%Y-%m-%dT%H:%M:%S")
        assert f'<time datetime="{day}' in page
    assert re.search(r"\d+(,\d)?\xa0(octets|Ko)", page)  # sizes, in French
    assert f'href="/ogc/collections/communes/items?territoire={territory.siren}"' in page
    assert 'href="/tiles/communes.json"' in page
    assert "<script" not in page.split("<main", 1)[1]


def test_before_any_file_the_page_says_when_they_come(client):
    response = client.get("/donnees/")
    assert response.status_code == 200
    assert "Aucun fichier ouvert n'a encore été écrit" in response.text
