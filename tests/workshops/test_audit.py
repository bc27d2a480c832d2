# SPDX-License-Identifier: AGPL-3.0-or-later
"""A relay's actions in the staff audit journal (core.audit): a workshop planned and
changed, an idea typed in (once, a replay adds nothing), a paper map imported (once per
import that writes), read by the administrators at /admin/journal/, never by the public."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carto_concertation.core.models import AuditEntry
from tests.factories import UserFactory

from .conftest import capture_body, captures_url, sancoins_lonlat

pytestmark = pytest.mark.django_db

JOURNAL = "/admin/journal/"


def entries():
    return list(AuditEntry.objects.filter(action__startswith="workshops.").order_by("pk"))


def _paper(client, workshop, rows: list[tuple[str, str]]):
    lon, lat = sancoins_lonlat()
    lines = ["title;text;theme;lon;lat", *(f"{t};{x};;{lon};{lat}" for t, x in rows)]
    upload = SimpleUploadedFile("atelier.csv", ("\n".join(lines) + "\n").encode())
    return client.post(captures_url(workshop, "paper-import"), {"file": upload})


def test_a_relay_s_workshop_its_captures_and_its_paper_map_are_recorded(client, workshop, relay):
    (created,) = entries()
    assert (created.action, created.actor, created.target_id) == (
        "workshops.created",
        relay,
        str(workshop.pk),
    )
    assert created.territory_id == workshop.concertation.territory_id
    assert created.details == {
        "concertation": workshop.concertation_id,
        "commune": workshop.commune_id,
    }

    changed = client.patch(
        f"/api/v1/workshops/{workshop.pk}/",
        {"place": "Salle polyvalente"},
        content_type="application/json",
        REMOTE_ADDR="192.0.2.61",
    )
    assert changed.status_code == 200, changed.content
    body = capture_body()
    first = client.post(captures_url(workshop), body, content_type="application/json")
    again = client.post(captures_url(workshop), body, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert _paper(client, workshop, [("Un banc", "Place"), ("Un arbre", "Cour")]).status_code == 201
    # The same file again adds nothing; a refused file writes nothing: neither is recorded.
    assert _paper(client, workshop, [("Un banc", "Place"), ("Un arbre", "Cour")]).status_code == 201
    assert _paper(client, workshop, [("", "Sans titre")]).status_code == 400

    recorded = entries()[1:]
    assert [e.action for e in recorded] == [
        "workshops.updated",
        "workshops.captured",
        "workshops.paper_imported",
    ]
    updated, captured, imported = recorded
    assert (updated.ip, updated.details["fields"]) == ("192.0.2.61", ["place"])
    assert captured.details["contribution"] == first.json()["contribution"]
    assert captured.details["channel"] == "workshop"
    assert (imported.details["created"], imported.details["already"]) == (2, 0)
    assert {e.actor for e in recorded} == {relay}
    every = str(list(AuditEntry.objects.values()))
    assert "Salle polyvalente" not in every and "Lise" not in every and "Un banc" not in every


def test_the_administrators_read_them_the_public_never(client, workshop, relay):
    assert client.post(
        captures_url(workshop), capture_body(), content_type="application/json"
    ).status_code == (201)
    slug = workshop.concertation.slug
    client.logout()
    public = client.get(f"/api/v1/concertations/{slug}/contributions/")
    assert public.status_code == 200
    assert "workshops." not in public.content.decode()
    assert relay.email not in public.content.decode()

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    html = client.get(JOURNAL, {"actor": relay.email}).content.decode()
    for action in ("workshops.created", "workshops.captured"):
        assert f"<code>{action}</code>" in html
