# SPDX-License-Identifier: AGPL-3.0-or-later
"""The agents' API for running an edition: 201/200 for the territory's planner, 400
naming the field, 403 for a resident or a planner elsewhere, nothing written then."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from carto_concertation.budgets.models import Edition, EditionPhase, Project
from tests.factories import UserFactory
from tests.factories.budgets import ProjectFactory, ProjectSupporterFactory

from .editions_world import geopackage_2154, quarters, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
API = "/api/v1/budgets/editions"
Status = Project.Status


def _send(client, method: str, path: str, data: dict | None = None):
    return getattr(client, method)(path, data or {}, content_type="application/json")


def test_a_planner_creates_an_edition(client, world):
    client.force_login(world.planner)
    body = {
        "territory": world.edition.territory.pk,
        "title": "BP 2027",
        "year": 2027,
        "envelope": 5000,
    }
    response = _send(client, "post", API, body)
    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "bp-2027" and response.json()["is_published"] is False
    refused = _send(client, "post", API, {**body, "max_choices": 1, "min_choices": 2})
    assert refused.status_code == 400 and "max_choices" in refused.json()
    assert Edition.objects.filter(title="BP 2027").count() == 1


def test_residents_and_other_planners_get_403_and_visitors_401_or_403(client, world):
    slug = world.edition.slug
    calls = [
        (
            "post",
            API,
            {"territory": world.edition.territory.pk, "title": "X", "year": 2027, "envelope": 1},
        ),
        ("patch", f"{API}/{slug}/settings", {"title": "Pris"}),
        ("post", f"{API}/{slug}/districts", {"from_communes": True}),
        ("post", f"{API}/{slug}/ballot-open", {}),
    ]
    assert _send(client, *calls[1]).status_code in (401, 403)
    world.edition.is_published = True
    world.edition.save()
    for user in (UserFactory(), world.stranger):
        client.force_login(user)
        for method, path, data in calls:
            assert _send(client, method, path, data).status_code == 403, (path, user)
    world.edition.refresh_from_db()
    assert world.edition.title != "Pris" and not Edition.objects.filter(title="X").exists()


def test_an_unpublished_edition_is_not_found_by_others(client, world):
    client.force_login(world.stranger)
    assert (
        _send(client, "patch", f"{API}/{world.edition.slug}/settings", {"title": "Y"}).status_code
        == 404
    )


def test_settings_are_patched_and_the_edition_published(client, world):
    client.force_login(world.planner)
    path = f"{API}/{world.edition.slug}/settings"
    response = _send(client, "patch", path, {"ballot_type": "cumulative", "max_points_total": 10})
    assert response.status_code == 200 and response.json()["max_points_total"] == 10
    refused = _send(client, "patch", path, {"within_envelope": True})
    assert refused.status_code == 400 and "within_envelope" in refused.json()
    assert _send(client, "patch", path, {"envelope": "beaucoup"}).status_code == 400
    published = _send(client, "patch", path, {"is_published": True})
    assert published.status_code == 200 and published.json()["is_published"] is True


def test_the_calendar_is_put_whole(client, world):
    client.force_login(world.planner)
    start = timezone.now() + timedelta(days=3)
    phases = [
        {
            "kind": kind,
            "starts_at": (start + timedelta(days=10 * i)).isoformat(),
            "ends_at": (start + timedelta(days=10 * i + 9)).isoformat(),
        }
        for i, (kind, _label) in enumerate(EditionPhase.Kind.choices)
    ]
    path = f"{API}/{world.edition.slug}/phases"
    response = _send(client, "put", path, {"phases": phases})
    assert response.status_code == 200 and len(response.json()["phases"]) == 5
    refused = _send(client, "put", path, {"phases": phases[1:]})
    assert refused.status_code == 400 and "phases" in refused.json()
    bad_kind = _send(client, "put", path, {"phases": [{**phases[0], "kind": "party"}]})
    assert bad_kind.status_code == 400


def test_districts_are_uploaded_and_given_envelopes(client, world, tmp_path):
    client.force_login(world.planner)
    path = f"{API}/{world.edition.slug}/districts"
    gpkg = geopackage_2154(tmp_path, quarters(world.edition.territory))
    upload = SimpleUploadedFile(gpkg.name, gpkg.read_bytes())
    response = client.post(path, {"file": upload, "name_field": "nom"})
    assert response.status_code == 200, response.json()
    districts = response.json()["districts"]
    assert sorted(d["name"] for d in districts) == ["Nord", "Sud"]
    upload = SimpleUploadedFile(gpkg.name, gpkg.read_bytes())
    refused = client.post(path, {"file": upload, "name_field": "code_iris"})
    assert refused.status_code == 400 and "name_field" in refused.json()
    assert _send(client, "post", path, {}).status_code == 400
    envelopes = [{"district": d["id"], "envelope": 50_000} for d in districts]
    response = _send(client, "patch", path, {"envelopes": envelopes})
    assert response.status_code == 200
    wrong = [{"district": districts[0]["id"], "envelope": 1}]
    assert _send(client, "patch", path, {"envelopes": wrong}).status_code == 400


def test_deciding_merging_and_opening_the_vote(client, world):
    client.force_login(world.planner)
    base = f"{API}/{world.edition.slug}/analysis"
    first, second, third = (
        ProjectFactory(edition=world.edition, status=Status.PROPOSED) for _ in range(3)
    )
    ProjectSupporterFactory(project=second)
    refused = _send(client, "post", f"{base}/{first.number}", {"admissible": False})
    assert refused.status_code == 400 and "reason" in refused.json()
    response = _send(
        client, "post", f"{base}/{first.number}", {"admissible": True, "revised_cost": 12000}
    )
    assert response.status_code == 200 and response.json()["status"] == "admissible"
    assert _send(client, "post", f"{base}/9999", {"admissible": True}).status_code == 404
    unknown = _send(
        client, "post", f"{base}/merge", {"keep": third.number, "merged": [9999], "reason": "R"}
    )
    assert unknown.status_code == 400 and "merged" in unknown.json()
    merged = _send(
        client,
        "post",
        f"{base}/merge",
        {"keep": third.number, "merged": [second.number], "reason": "R"},
    )
    assert merged.status_code == 200
    assert third.supporters.count() == 1
    opened = _send(client, "post", f"{API}/{world.edition.slug}/ballot-open")
    assert opened.status_code == 200 and opened.json() == {"on_ballot": 1}
    again = _send(client, "post", f"{API}/{world.edition.slug}/ballot-open")
    assert again.status_code == 400 and "status" in again.json()


def test_odd_input_is_a_400_naming_the_field_never_a_500(client, world):
    client.force_login(world.planner)
    body = {"territory": world.edition.territory.pk, "title": "BP", "year": 2027, "envelope": 5}
    for odd, field in (
        ({"envelope": 10**30}, "envelope"),
        ({"title": "B\x00P"}, "title"),
        ({"min_choices": 70_000}, "min_choices"),
    ):
        response = _send(client, "post", API, {**body, **odd})
        assert response.status_code == 400 and field in response.json(), odd
    project = ProjectFactory(edition=world.edition, status=Status.PROPOSED)
    base = f"{API}/{world.edition.slug}/analysis"
    huge = _send(
        client, "post", f"{base}/{project.number}", {"admissible": True, "revised_cost": 10**19}
    )
    assert huge.status_code == 400 and "revised_cost" in huge.json()
    assert _send(client, "post", f"{base}/{2**40}", {"admissible": True}).status_code == 404
    merge = {"keep": 2**40, "merged": [1], "reason": "R"}
    assert _send(client, "post", f"{base}/merge", merge).status_code == 400
    assert not Edition.objects.filter(title="BP").exists()
