# SPDX-License-Identifier: AGPL-3.0-or-later
"""French by default, English second, through Django's i18n."""

import pytest

from carto_concertation.territories.importers import TerritoryFileError
from carto_concertation.territories.services import territory_import
from tests.factories import CommuneFactory

pytestmark = [pytest.mark.django_db, pytest.mark.french]


def test_pages_are_in_french_by_default_and_in_english_on_request(client):
    CommuneFactory(name="Sancoins")
    french = client.get("/")
    assert french["Content-Language"] == "fr"
    assert "La participation sur votre territoire" in french.content.decode()
    assert "1 commune" in french.content.decode()

    english = client.get("/", headers={"accept-language": "en"})
    assert english["Content-Language"] == "en"
    assert "Participation in your territory" in english.content.decode()


def test_the_language_switch_sets_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert "Participation in your territory" in response.content.decode()


def test_import_errors_are_in_french_by_default(data_dir):
    with pytest.raises(TerritoryFileError) as refused:
        territory_import(
            path=data_dir / "territories" / "broken" / "no-crs.shp", siren="241800432", name="CC"
        )
    assert "n’a pas de système de coordonnées" in refused.value.errors[0]
