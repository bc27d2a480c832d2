# SPDX-License-Identifier: AGPL-3.0-or-later
"""The admin: map widgets on every geometry field, nothing loaded from outside."""

import re

import pytest
from django.contrib import admin
from django.contrib.gis.db.models import GeometryField

from carto_concertation.core.widgets import LocalMapWidget
from carto_concertation.territories.models import Commune
from tests.factories import CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def test_every_geometry_field_in_the_admin_gets_the_local_map_widget(rf, superuser):
    request = rf.get("/admin/")
    request.user = superuser
    checked = 0
    for model, model_admin in admin.site._registry.items():
        for field in model._meta.get_fields():
            if isinstance(field, GeometryField):
                formfield = model_admin.formfield_for_dbfield(field, request=request)
                assert isinstance(formfield.widget, LocalMapWidget), (
                    f"{model.__name__}.{field.name}"
                )
                checked += 1
    assert checked >= 2


def test_commune_page_serves_openlayers_itself(client, superuser):
    commune = CommuneFactory()
    client.force_login(superuser)
    response = client.get(f"/admin/territories/commune/{commune.pk}/change/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "vendor/ol/ol.js" in html
    assert "/api/v1/communes/" in html
    external = re.findall(r"""(?:src|href)=["'](https?://[^"']+)""", html)
    assert external == []
    assert "cdn.jsdelivr" not in html and "tile.openstreetmap" not in html


def test_commune_edited_in_the_admin_is_saved_through_the_service(client, superuser, celery_worker):
    commune = CommuneFactory(name="Ancien nom")
    client.force_login(superuser)
    url = f"/admin/territories/commune/{commune.pk}/change/"
    form = {
        "insee": commune.insee,
        "name": "Nouveau nom",
        "population": "1200",
        "territory": commune.territory_id,
        "geom": commune.geom.transform(3857, clone=True).json,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Commune.objects.get(pk=commune.pk).name == "Nouveau nom"


def test_territories_are_added_from_a_communes_file_not_drawn_by_hand(client, superuser):
    # tests/territories/test_admin_create.py adds one.
    client.force_login(superuser)
    html = client.get("/admin/territories/territory/add/").content.decode()
    assert 'name="communes_file"' in html
    assert 'name="geom"' not in html


def test_the_admin_is_closed_to_residents(client):
    client.force_login(UserFactory())
    response = client.get("/admin/territories/commune/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
