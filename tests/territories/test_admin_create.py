# SPDX-License-Identifier: AGPL-3.0-or-later
"""An administrator adds a territory in the admin from the file of its communes: all of
it or nothing, every refused feature named, in French."""

import re
import zipfile
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carto_concertation.territories.models import Commune, Territory
from tests.factories import TerritoryFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.french]

SIREN = "241800432"
NAME = "Communauté de communes Les Trois Provinces"
ADD = "/admin/territories/territory/add/"


@pytest.fixture
def administrator(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def upload(path, name=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def errors_of(response) -> str:
    html = response.content.decode()
    return unescape(" ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)))


def test_the_add_page_asks_for_the_communes_file(administrator):
    html = administrator.get(ADD).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'type="file" name="communes_file"' in html
    assert "Ajout : territoire (EPCI)" in html
    assert "Fichier des communes" in html


@pytest.mark.parametrize("kind", ["gpkg", "zipped shapefile"])
def test_a_territory_is_made_from_its_communes(administrator, data_dir, tmp_path, kind):
    territories = data_dir / "territories"
    if kind == "gpkg":
        communes = upload(territories / "communes-trois-provinces-l93.gpkg")
    else:
        archive = tmp_path / "communes.zip"
        with zipfile.ZipFile(archive, "w") as bundle:
            for part in territories.glob("communes-trois-provinces-l93.*"):
                if part.suffix != ".gpkg":
                    bundle.write(part, part.name)
        communes = upload(archive)

    response = administrator.post(
        ADD, {"siren": SIREN, "name": NAME, "communes_file": communes}, follow=True
    )

    territory = Territory.objects.get(siren=SIREN)
    assert response.redirect_chain[-1][0] == "/admin/territories/territory/"
    assert territory.name == NAME
    assert territory.communes.count() == 11
    assert territory.geom.covers(territory.communes.get(insee="18242").geom.point_on_surface)
    assert "11 communes chargées." in unescape(response.content.decode())


def test_a_refused_file_names_its_feature_and_writes_nothing(administrator, data_dir):
    broken = data_dir / "territories" / "broken"
    response = administrator.post(
        ADD, {"siren": SIREN, "name": NAME, "communes_file": upload(broken / "bad-insee.geojson")}
    )

    assert response.status_code == 200
    assert re.search(
        r"Objet 3\b.*champ code : '1824' n’est pas un code commune INSEE", errors_of(response)
    )
    assert not Territory.objects.exists() and not Commune.objects.exists()

    not_geodata = administrator.post(
        ADD,
        {"siren": SIREN, "name": NAME, "communes_file": upload(broken / "not-geodata.geojson")},
    )
    assert "not-geodata.geojson" in errors_of(not_geodata)
    assert not Territory.objects.exists()


def test_a_shapefile_without_its_projection_needs_its_epsg_code(administrator, data_dir, tmp_path):
    archive = tmp_path / "sans-prj.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for part in (data_dir / "territories" / "broken").glob("no-crs.*"):
            bundle.write(part, part.name)
    form = {"siren": SIREN, "name": NAME}

    refused = administrator.post(ADD, {**form, "communes_file": upload(archive)})
    assert "2154" in errors_of(refused)
    assert not Territory.objects.exists()

    administrator.post(ADD, {**form, "communes_file": upload(archive), "source_srid": "2154"})
    assert Territory.objects.get(siren=SIREN).communes.count() == 11


def test_a_known_siren_is_refused(administrator, data_dir):
    TerritoryFactory(siren=SIREN)
    response = administrator.post(
        ADD,
        {
            "siren": SIREN,
            "name": NAME,
            "communes_file": upload(data_dir / "territories" / "communes-trois-provinces-l93.gpkg"),
        },
    )
    assert "SIREN" in errors_of(response)
    assert Territory.objects.count() == 1
