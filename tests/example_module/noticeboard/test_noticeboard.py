# SPDX-License-Identifier: AGPL-3.0-or-later
"""The example module through the house: everything found by the registry alone."""

import io
import json
import math
import zipfile

import mapbox_vector_tile
import pytest
from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils import timezone

from carto_concertation.accounts.export import sections, user_data_zip
from carto_concertation.accounts.services import user_delete
from carto_concertation.core.modules import (
    DemoBackbone,
    module_get,
    space_public,
    tileset_declaration,
)
from examples.noticeboard.datasets import NOTICES
from examples.noticeboard.demo import noticeboard_demo
from examples.noticeboard.models import Notice
from examples.noticeboard.personal_data import notices_section
from examples.noticeboard.tiles import notice_tileset_layers
from plui_documents.models import Zone
from tests.factories import UserFactory
from tests.worlds import point_in, small_world
from tiles.services import offline_tilesets

pytestmark = pytest.mark.django_db(transaction=True)

TYPED = "Réunion <b>publique</b> & café — 18 h"


def _tile_of(point: Point, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((point.x + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(point.y))) / math.pi) / 2 * n)
    return x, y


@pytest.fixture
def space():
    return small_world(title="Concertation du panneau")


def _projected(point: Point) -> Point:
    return point.transform(settings.SRID, clone=True)


def _post(client, space, text, point):
    return client.post(
        f"/panneau/{space.slug}/", {"text": text, "longitude": point.x, "latitude": point.y}
    )


def test_the_registry_answers_for_the_example_s_tileset_and_personal_data():
    manifest = module_get("noticeboard")
    assert manifest is not None and manifest.app_label == "noticeboard"
    assert tileset_declaration("notices-anything") is manifest.tilesets[0]
    assert notices_section in sections()


def test_a_notice_pinned_on_the_page_shows_on_its_page_tiles_and_style_without_its_author(
    client, space
):
    author = UserFactory(pseudonym="Auteur du panneau")
    client.force_login(author)
    page = client.get(f"/panneau/{space.slug}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    assert "Panneau d’affichage" in page.content.decode()

    point = point_in("UE")
    assert _post(client, space, TYPED, point).status_code == 302
    notice = Notice.objects.get()
    assert (notice.text, notice.author) == (TYPED, author)
    html = client.get(f"/panneau/{space.slug}/").content.decode()
    # Kept as typed, escaped once at output.
    assert "Réunion &lt;b&gt;publique&lt;/b&gt; &amp; café — 18 h" in html

    tileset = f"notices-{space.slug}"
    tilejson = client.get(f"/tiles/{tileset}.json").json()
    assert [layer["id"] for layer in tilejson["vector_layers"]] == ["notices"]
    x, y = _tile_of(point, 14)
    tile = client.get(f"/tiles/{tileset}/14/{x}/{y}.mvt")
    assert tile.status_code == 200
    body = b"".join(tile.streaming_content) if tile.streaming else tile.content
    features = mapbox_vector_tile.decode(body)["notices"]["features"]
    assert [f["properties"] for f in features] == [
        {"text": TYPED, "created": timezone.localdate(notice.created_at).isoformat()}
    ]

    style = client.get(f"/tiles/styles/{space.slug}.json").json()
    assert "notices" in style["sources"]
    assert "notices" in [layer["id"] for layer in style["layers"]]
    assert tileset in offline_tilesets(space_public(space.slug))


def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(client, space):
    client.force_login(UserFactory())
    far = Point(2.35, 48.85, srid=4326)  # Paris, outside the small world
    refused = _post(client, space, "Hors du périmètre", far)
    assert refused.status_code == 400
    assert "périmètre" in refused.content.decode()
    empty = _post(client, space, "   ", point_in("UE"))
    assert empty.status_code == 400
    assert Notice.objects.count() == 0


def test_a_visitor_is_sent_to_sign_in_and_nothing_is_written(client, space):
    response = _post(client, space, "Anonyme", point_in("UE"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Notice.objects.count() == 0


def test_download_my_data_holds_the_notices_and_deletion_keeps_them_unsigned(client, space):
    author = UserFactory(password="un mot de passe solide 42")
    client.force_login(author)
    _post(client, space, "Mon avis", point_in("UB"))
    archive = zipfile.ZipFile(io.BytesIO(user_data_zip(user=author)))
    names = archive.namelist()
    assert "notices.geojson" in names
    records = json.loads(archive.read("notices.json"))["notices"]
    assert [record["text"] for record in records] == ["Mon avis"]
    user_delete(user=author, password="un mot de passe solide 42")
    assert Notice.objects.get().author is None


def test_the_demo_pins_one_notice_in_each_space_of_its_territory(space):
    resident = UserFactory()
    line = noticeboard_demo(
        DemoBackbone(territory=space.territory, accounts={"resident": resident}, password=None)
    )
    assert line == "notice board: 1 notice(s)"
    notice = Notice.objects.get()
    assert notice.author == resident and space.perimeter.contains(notice.location)
    assert noticeboard_demo(DemoBackbone(territory=None, accounts={}, password=None)) is None


def test_the_dataset_list_publishes_the_declared_fields_and_the_tiles_take_no_other(client):
    listed = client.get("/api/v1/datasets/").json()
    notices = next(d for d in listed if d["name"] == "notices")
    assert notices["module"] == "noticeboard" and notices["geometry_type"] == "Point"
    assert [f["name"] for f in notices["fields"]] == ["id", "text", "created"]
    assert notices["fields"][2] == {
        "name": "created",
        "title": "jour où il a été épinglé",  # French first
        "type": "string",
        "format": "date",
    }
    declared = set(NOTICES.field_names())
    space = small_world(title="Espace des champs")
    for layer in notice_tileset_layers(f"notices-{space.slug}"):
        assert set(layer.fields) <= declared


def test_the_figures_count_the_notices_per_commune_and_per_zone(client, space):
    client.force_login(UserFactory())
    for libelle, nth in (("UE", 0), ("UE", 1), ("A", 0)):
        assert _post(client, space, f"{libelle} {nth}", point_in(libelle, nth)).status_code == 302
    (figure,) = module_get("noticeboard").figures
    map_space = space_public(space.slug)
    per_zone = figure.per_zone(map_space)
    zones = dict(Zone.objects.filter(pk__in=per_zone).values_list("pk", "libelle"))
    assert sorted((zones[pk], n) for pk, n in per_zone.items()) == sorted(
        (zones[Zone.objects.get(geom__contains=_projected(point_in(lib, nth))).pk], 1)
        for lib, nth in (("UE", 0), ("UE", 1), ("A", 0))
    )
    per_commune = figure.per_commune(map_space)
    assert sum(per_commune.values()) == 3
    assert set(per_commune) <= set(space.territory.communes.values_list("pk", flat=True))
    # The space's figures read every module's declaration: the ideas' and the notices'.
    rows = client.get(f"/api/v1/concertations/{space.slug}/figures/communes").json()
    assert all(set(row["figures"]) == {"contributions", "notices"} for row in rows)
    assert sum(row["figures"]["notices"] for row in rows) == 3
    zones = client.get(f"/api/v1/concertations/{space.slug}/figures/zones").json()
    assert sum(row["figures"]["notices"] for row in zones) == 3
