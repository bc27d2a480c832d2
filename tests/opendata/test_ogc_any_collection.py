# SPDX-License-Identifier: AGPL-3.0-or-later
"""/ogc/ serves any collection a dataset declares, not only the communes: here a dataset
of zones with a date (its ``moment``), a territory reached through two relations and no
tileset — its temporal extent, the datetime filter, the territory filter, no tiles."""

from datetime import date

import pytest
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import DatasetDeclaration, FeatureSource, PublicField
from carto_concertation.opendata import collections as registry
from plui_documents.models import Zone
from tests.factories import DocumentVersionFactory, TerritoryFactory, ZoneFactory

pytestmark = pytest.mark.django_db

DATED = DatasetDeclaration(
    name="zones-datees",
    title=_("Dated zones"),
    description=_("Zones with their approval date."),
    geometry_type="MultiPolygon",
    fields=(
        PublicField("libelle", _("label")),
        PublicField("datappro", _("approved"), format="date"),
    ),
    features=FeatureSource(
        rows=lambda: Zone.objects.all(),
        properties=lambda rows, base: [
            {"libelle": z.libelle, "datappro": z.datappro and z.datappro.isoformat()} for z in rows
        ],
        moment="datappro",
        territory="version__document__territory",
    ),
)


@pytest.fixture
def dated(monkeypatch):
    monkeypatch.setattr(registry, "backbone_datasets", lambda: [DATED])
    territory = TerritoryFactory(communes=1)
    version = DocumentVersionFactory(document__territory=territory)
    zones = [
        ZoneFactory(version=version, libelle="UA", datappro=date(2019, 3, 1)),
        ZoneFactory(version=version, libelle="UB", datappro=date(2021, 6, 15)),
        ZoneFactory(version=version, libelle="N", datappro=None),
    ]
    other = ZoneFactory(libelle="A", datappro=date(2023, 1, 10))
    return territory, zones, other


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {feature["id"] for feature in response.json()["features"]}


def test_the_temporal_extent_and_the_datetime_filter(client, dated):
    territory, (ua, ub, n), other = dated
    collection = client.get("/ogc/collections/zones-datees").json()
    assert collection["extent"]["temporal"]["interval"] == [
        ["2019-02-28T23:00:00Z", "2023-01-09T23:00:00Z"]  # midnight in Paris, in UTC
    ]
    assert not [link for link in collection["links"] if "tilesets" in link["rel"]]
    assert client.get("/ogc/collections/zones-datees/tiles").status_code == 404

    items = "/ogc/collections/zones-datees/items"
    # Features without a moment match every datetime (fc-time-response).
    assert ids(client.get(items, {"datetime": "2019-03-01"})) == {ua.pk, n.pk}
    assert ids(client.get(items, {"datetime": "2020-01-01/.."})) == {ub.pk, n.pk, other.pk}
    assert ids(client.get(items, {"datetime": "../2021-06-15"})) == {ua.pk, ub.pk, n.pk}
    assert ids(client.get(items, {"datetime": "2021-06-15T12:00:00+02:00"})) == {ub.pk, n.pk}
    assert ids(client.get(items, {"territoire": territory.siren})) == {ua.pk, ub.pk, n.pk}
    both = client.get(items, {"territoire": territory.siren, "datetime": "2021-01-01/2021-12-31"})
    assert ids(both) == {ub.pk, n.pk} and both.json()["numberMatched"] == 2
    assert ids(client.get(items, {"territoire": "000000000"})) == set()

    one = client.get(f"{items}/{ub.pk}").json()
    assert one["properties"] == {"libelle": "UB", "datappro": "2021-06-15"}
    page = client.get(f"{items}?f=html").content.decode()
    assert "<td>UA</td><td>2019-03-01</td>" in page
