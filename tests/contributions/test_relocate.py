# SPDX-License-Identifier: AGPL-3.0-or-later
"""A new PLUi version becomes current: the worker joins the contributions to its zones
(real demo PLUi, real Celery worker)."""

import json
import subprocess
import time

import pytest

from carto_concertation.contributions.models import ContributionZone
from plui_documents.models import UrbanDocument
from plui_documents.services import plui_import
from tests.factories import UserFactory
from tests.plui_documents.conftest import SOURCE_ZONES

from .conftest import make_idea

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

IDURBA = "241800432_PLUI_20200128"


def revised_zoning(tmp_path) -> str:
    """The real zone_urba in which the UE zones were renamed UEx (a modification)."""
    converted = tmp_path / "converted.geojson"
    subprocess.run(
        ["ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:4326", str(converted), str(SOURCE_ZONES)],
        check=True,
    )
    collection = json.loads(converted.read_text())
    for feature in collection["features"]:
        if feature["properties"]["LIBELLE"] == "UE":
            feature["properties"]["LIBELLE"] = "UEx"
    target = tmp_path / "241800432_ZONE_URBA_20260101.geojson"
    target.write_text(json.dumps(collection))
    return target


def links(contribution) -> list[tuple[str, int, float]]:
    return sorted(
        (link.zone.libelle, link.zone.version_id, link.share)
        for link in ContributionZone.objects.filter(contribution=contribution).select_related(
            "zone"
        )
    )


def test_a_new_current_version_relocates_the_contributions(concertation, celery_worker, tmp_path):
    author = UserFactory()
    in_ue = make_idea(concertation, author, libelle="UE")
    in_a = make_idea(concertation, author, libelle="A")
    first = UrbanDocument.objects.get().current_version
    assert links(in_ue) == [("UE", first.pk, 1.0)]

    second, _report = plui_import(path=revised_zoning(tmp_path), idurba=IDURBA, analyse=False)
    assert second.number == 2

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if {link[1] for link in links(in_ue) + links(in_a)} == {second.pk}:
            break
        time.sleep(0.5)
    assert links(in_ue) == [("UEx", second.pk, 1.0)]
    assert links(in_a) == [("A", second.pk, 1.0)]
    in_ue.refresh_from_db()
    assert in_ue.commune.insee == "18242"
