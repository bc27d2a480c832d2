# SPDX-License-Identifier: AGPL-3.0-or-later
"""Captures synced from a workshop tablet: created once, replayed without a twin."""

import json
import threading
import uuid
from datetime import timedelta

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection
from django.utils import timezone

from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.contributions.models import Contribution
from carto_concertation.workshops.models import WorkshopCapture
from carto_concertation.workshops.services import CapturePayload, workshop_capture_record
from tests.accounts.my_data import my_data_archive

from .conftest import capture_body, captures_url, sancoins_lonlat, workshop_contributions

pytestmark = pytest.mark.django_db


def test_a_capture_creates_an_anonymous_workshop_contribution(client, workshop):
    theme = workshop.concertation.themes.get(name="Mobilité")
    body = capture_body(themes=[theme.pk])

    response = client.post(captures_url(workshop), body, content_type="application/json")

    assert response.status_code == 201, response.json()
    contribution = Contribution.objects.get(pk=response.json()["contribution"])
    assert contribution.channel == "workshop"
    assert contribution.author is None
    assert contribution.commune.insee == "18242"
    assert list(contribution.themes.values_list("name", flat=True)) == ["Mobilité"]
    assert contribution.status == Contribution.Status.PUBLISHED  # moderation after publication
    capture = WorkshopCapture.objects.get(key=body["key"])
    assert capture.participant == "Lise" and capture.workshop == workshop
    # Shown as an anonymous participant; the pseudonym given at the workshop stays private.
    public = client.get(
        f"/api/v1/concertations/{workshop.concertation.slug}/contributions/{contribution.pk}/",
        headers={"accept-language": "fr"},
    ).json()
    assert public["properties"]["author"] == "Participant anonyme"
    assert "Lise" not in str(public)


def test_the_same_capture_again_is_a_replay(client, workshop):
    body = capture_body()
    first = client.post(captures_url(workshop), body, content_type="application/json")
    again = client.post(captures_url(workshop), body, content_type="application/json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["contribution"] == first.json()["contribution"]
    assert workshop_contributions().count() == 1


def test_the_same_key_for_another_idea_is_a_conflict(client, workshop):
    body = capture_body()
    client.post(captures_url(workshop), body, content_type="application/json")

    changed = client.post(
        captures_url(workshop), {**body, "title": "Autre chose"}, content_type="application/json"
    )

    assert changed.status_code == 409
    assert "key" in changed.json()
    assert workshop_contributions().get().title == body["title"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"geometry": {"type": "Point", "coordinates": [2.35, 48.85]}}, "geometry"),  # Paris
        ({"geometry": {"type": "Point", "coordinates": [500, 12]}}, "geometry"),
        ({"geometry": "not a geometry"}, "geometry"),
        ({"themes": [999_999]}, "themes"),
        ({"title": "   "}, "title"),
        ({"key": "not-a-uuid"}, "key"),
        ({"channel": "online"}, "channel"),
        ({"participant": "lise@example.org"}, "participant"),
    ],
)
def test_bad_captures_are_400_naming_the_field_and_write_nothing(client, workshop, change, field):
    response = client.post(
        captures_url(workshop), capture_body(**change), content_type="application/json"
    )

    assert response.status_code == 400
    assert field in response.json()
    assert workshop_contributions().count() == 0
    assert WorkshopCapture.objects.count() == 0


@pytest.mark.french
def test_refusals_are_in_french_by_default(client, workshop):
    response = client.post(
        captures_url(workshop), capture_body(themes=[999_999]), content_type="application/json"
    )
    assert response.status_code == 400
    english = "Choose themes of this concertation."
    assert response.json()["themes"] != [english]


def test_captures_close_after_the_grace_period(client, workshop, settings):
    phase = workshop.concertation.phases.get(kind=Phase.Kind.CONTRIBUTIONS)
    now = timezone.now()
    phase.starts_at, phase.ends_at = now - timedelta(days=40), now - timedelta(days=10)
    phase.save()
    Concertation.objects.filter(pk=workshop.concertation_id).update(status="closed")

    inside = client.post(captures_url(workshop), capture_body(), content_type="application/json")
    assert inside.status_code == 201  # 10 days after the end: paper is still typed in

    settings.WORKSHOP_CAPTURE_GRACE_DAYS = 7
    late = client.post(captures_url(workshop), capture_body(), content_type="application/json")
    assert late.status_code == 400
    assert "workshop" in late.json()
    assert workshop_contributions().count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_syncs_of_one_capture_make_one_contribution(workshop, relay):
    key = uuid.uuid4()
    payload = CapturePayload(
        title="Une halte-garderie",
        text="Près de la gare.",
        geometry=GEOSGeometry(f"POINT({' '.join(map(str, sancoins_lonlat()))})", srid=4326),
    )
    barrier = threading.Barrier(4)
    outcomes, errors = [], []

    def sync() -> None:
        try:
            barrier.wait()
            capture, created = workshop_capture_record(
                workshop=workshop, user=relay, key=key, payload=payload
            )
            outcomes.append((capture.contribution_id, created))
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sync) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(created for _, created in outcomes) == [False, False, False, True]
    assert len({contribution for contribution, _ in outcomes}) == 1
    assert workshop_contributions().count() == 1


def test_a_relay_s_data_download_holds_their_workshops_and_captures_not_the_participant(
    client, workshop
):
    body = capture_body(participant="Lise Bernadotte")
    captured = client.post(captures_url(workshop), body, content_type="application/json")
    assert captured.status_code == 201, captured.json()

    archive = my_data_archive(client)
    [record] = json.loads(archive.read("workshops.json"))["workshops"]
    assert [w["id"] for w in record["planned"]] == [workshop.pk]
    assert record["planned"][0]["commune"] == "18242"
    assert [c["contribution"] for c in record["captured"]] == [captured.json()["contribution"]]
    assert record["captured"][0]["contribution_title"] == body["title"]
    [feature] = json.loads(archive.read("workshops.geojson"))["features"]
    assert feature["geometry"]["coordinates"] == pytest.approx(body["geometry"]["coordinates"])
    everything = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert "Bernadotte" not in everything, "the participant is someone else"
    assert "Agence d'urbanisme" not in everything, "nor is the facilitator"


@pytest.mark.parametrize(
    "geometry",
    [
        "POINT(2.9 46.8)",
        "0101000000333333333333074066666666666647" + "40",
        {"type": "Point", "coordinates": []},
        {"type": "LineString", "coordinates": []},
        '{"type": "Point", "coordinates": [NaN, 46.8]}',
    ],
)
def test_a_capture_with_an_odd_geometry_is_a_400_naming_it(client, workshop, geometry):
    response = client.post(
        captures_url(workshop), capture_body(geometry=geometry), content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert "geometry" in response.json()
    assert not workshop_contributions().exists()
