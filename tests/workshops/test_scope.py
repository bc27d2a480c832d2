# SPDX-License-Identifier: AGPL-3.0-or-later
"""A relay sees and edits only the workshops and captures of their own communes."""

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.throttling import ScopedRateThrottle

from carto_concertation.accounts.models import User
from carto_concertation.workshops.models import Workshop

from .conftest import OTHER_COMMUNE, RELAY_COMMUNE, capture_body, captures_url

pytestmark = pytest.mark.django_db


def new_workshop(commune: str, slug: str) -> dict:
    return {
        "concertation": slug,
        "commune": commune,
        "starts_at": "2026-12-10T18:30:00+01:00",
        "place": "Salle polyvalente",
        "facilitator": "CAUE du Cher",
    }


def test_a_relay_creates_a_workshop_in_their_commune(client, relay, open_concertation):
    response = client.post(
        "/api/v1/workshops/",
        new_workshop(RELAY_COMMUNE, open_concertation.slug),
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["commune_name"] == "Sancoins"
    assert Workshop.objects.get().created_by == relay


def test_not_in_another_commune(client, relay, open_concertation):
    response = client.post(
        "/api/v1/workshops/",
        new_workshop(OTHER_COMMUNE, open_concertation.slug),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "Mornay-sur-Allier" in response.json()["commune"][0]
    assert not Workshop.objects.exists()


def test_a_relay_lists_only_their_workshops(client, workshop, other_workshop):
    listed = client.get("/api/v1/workshops/").json()
    assert [w["id"] for w in listed] == [workshop.pk]


def test_nothing_of_another_commune_s_workshop(client, workshop, other_workshop):
    other = other_workshop.pk
    assert client.get(f"/api/v1/workshops/{other}/").status_code == 404
    patched = client.patch(
        f"/api/v1/workshops/{other}/", {"place": "Ailleurs"}, content_type="application/json"
    )
    assert patched.status_code == 404
    captured = client.post(
        captures_url(other_workshop), capture_body(), content_type="application/json"
    )
    assert captured.status_code == 404
    imported = client.post(
        captures_url(other_workshop, "paper-import"),
        {"file": SimpleUploadedFile("a.csv", b"title;text;theme;lon;lat\n")},
    )
    assert imported.status_code == 404
    assert client.post(captures_url(other_workshop, "print-map")).status_code == 404
    assert client.get(f"/workshops/{other}/capture/").status_code == 404
    other_workshop.refresh_from_db()
    assert other_workshop.place == "Mairie" and not other_workshop.captures.exists()


def test_a_relay_cannot_move_their_workshop_to_another_commune(client, workshop):
    response = client.patch(
        f"/api/v1/workshops/{workshop.pk}/",
        {"commune": OTHER_COMMUNE, "place": "Ailleurs"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "commune" in response.json()
    workshop.refresh_from_db()
    assert (workshop.commune.insee, workshop.place) == (RELAY_COMMUNE, "Salle des fêtes")


def test_a_relay_edits_their_workshop(client, workshop):
    response = client.patch(
        f"/api/v1/workshops/{workshop.pk}/",
        {"facilitator": "Bureau d'études"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["facilitator"] == "Bureau d'études"


def test_a_planner_of_the_territory_sees_every_workshop(client, workshop, other_workshop):
    client.force_login(User.objects.get(email="urbanisme@demo.invalid"))
    listed = client.get("/api/v1/workshops/").json()
    assert {w["id"] for w in listed} == {workshop.pk, other_workshop.pk}
    response = client.post(
        captures_url(other_workshop), capture_body(), content_type="application/json"
    )
    assert response.status_code == 201


def test_residents_and_anonymous_visitors_are_refused(client, workshop):
    client.force_login(User.objects.get(email="habitant@demo.invalid"))
    assert client.get("/api/v1/workshops/").status_code == 403
    assert client.get(f"/api/v1/workshops/{workshop.pk}/").status_code == 403
    body = capture_body()
    assert (
        client.post(captures_url(workshop), body, content_type="application/json").status_code
        == 403
    )
    assert client.get("/workshops/").status_code == 403
    client.logout()
    assert client.get("/api/v1/workshops/").status_code == 403
    assert (
        client.post(captures_url(workshop), body, content_type="application/json").status_code
        == 403
    )
    assert client.get("/workshops/").status_code == 302  # to the sign-in page
    assert not workshop.captures.exists()


def test_the_workshop_page_creates_in_scope_only(client, relay, open_concertation):
    page = client.get("/workshops/")
    assert page.status_code == 200
    communes = {c.insee for c in page.context["form"].fields["commune"].queryset}
    assert communes == {"18242", "18275"}
    form = {
        "concertation": open_concertation.pk,
        "commune": page.context["form"].fields["commune"].queryset.get(insee="18242").pk,
        "starts_at": "2026-12-10T18:30",
        "place": "Salle des fêtes",
        "facilitator": "Relais",
    }
    created = client.post("/workshops/", form)
    workshop = Workshop.objects.get()
    assert created.status_code == 302
    assert created["Location"] == f"/workshops/{workshop.pk}/"
    assert client.get(created["Location"]).status_code == 200


def test_the_write_paths_are_rate_limited(client, workshop, monkeypatch):
    # DRF reads its rates and its cache once, at import: point them at this test's.
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "workshop": "2/hour"}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(ScopedRateThrottle, "cache", caches["default"])
    caches["default"].clear()
    codes = [
        client.post(captures_url(workshop), capture_body(), content_type="application/json")
        for _ in range(3)
    ]
    assert [response.status_code for response in codes] == [201, 201, 429]
