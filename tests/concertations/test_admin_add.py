# SPDX-License-Identifier: AGPL-3.0-or-later
"""A concertation added in the admin: on the only territory unless told, its perimeter's
map opening on the territory chosen, an empty perimeter the territory's communes."""

import json
import re
from html import unescape

import pytest

from carto_concertation.concertations.models import Concertation
from carto_concertation.territories.selectors import territory_extents
from tests.factories import CommuneFactory, TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db
ADD = "/admin/concertations/concertation/add/"


@pytest.fixture
def administrator(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def map_options(html: str) -> dict:
    found = re.search(
        r'<script id="id_perimeter_map_options" type="application/json">(.*?)</script>', html
    )
    return json.loads(unescape(found.group(1)))


def test_the_perimeter_map_knows_where_each_territory_is(administrator):
    first, second = TerritoryFactory(), TerritoryFactory()
    html = administrator.get(ADD).content.decode()
    options = map_options(html)
    assert options["fit_field"] == "id_territory"
    assert options["fit_extents"] == territory_extents()
    assert set(options["fit_extents"]) == {str(first.pk), str(second.pk)}
    west, south, east, north = options["fit_extents"][str(first.pk)]
    assert west < east and south < north and west >= -180 and north <= 90
    # Two territories: none is chosen for the administrator.
    select = html.split('id="id_territory"')[1].split("</select>")[0]
    assert re.findall(r'value="(\d*)" selected', select) == [""]


def test_the_only_territory_is_chosen_and_an_empty_perimeter_is_its_communes(administrator):
    territory = TerritoryFactory()
    CommuneFactory.create_batch(2, territory=territory)
    html = administrator.get(ADD).content.decode()
    select = html.split('id="id_territory"')[1].split("</select>")[0]
    assert f'value="{territory.pk}" selected' in select

    inlines = {
        f"{prefix}-{key}": value
        for prefix in ("phases", "themes", "map_layers")
        for key, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))
    }
    response = administrator.post(
        ADD,
        {
            "territory": territory.pk,
            "title": "Révision du PLUi",
            "slug": "revision-du-plui",
            "status": "open",
            "perimeter": "",
            **inlines,
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    concertation = Concertation.objects.get(slug="revision-du-plui")
    for commune in territory.communes.all():
        assert concertation.perimeter.covers(commune.geom.point_on_surface)
