# SPDX-License-Identifier: AGPL-3.0-or-later
"""Warming the tile cache after a change (tiles.warming): once a plan version becomes
current, or a concertation opens, a job in a real Celery worker puts the map's tiles of
z8–z13 in the cache; a resident's request is then a hit (no tile statement runs) and gets
the very bytes and ETag a cold request gets; a tile outside the area is not made; a job
stops when a version it warms moves, and one job at a time runs per change."""

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.services import role_grant
from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.services import concertation_save
from carto_concertation.core.models import Job
from plui_documents.services import plui_import
from tests.factories import TerritoryFactory, UserFactory
from tests.worlds import small_world
from tiles import cache as tile_cache
from tiles.tasks import tiles_warm_job
from tiles.warming import (
    REASON_PLAN,
    WARM_KIND,
    tiles_warm_queue,
    tiles_warm_run,
    warm_plan,
    warm_tiles,
    warm_work,
)

from ..plui_documents.conftest import TROIS_PROVINCES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def warming(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.TILE_CACHE_ENABLED = True
    settings.TILE_WARM_ENABLED = True
    return settings


def warm_job_done(timeout: float = 90) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = Job.objects.filter(kind=WARM_KIND).first()
        if job is not None and job.status in (Job.Status.SUCCEEDED, Job.Status.FAILED):
            return job
        time.sleep(0.2)
    raise AssertionError("no warm job finished in time")


def served(client, tileset: str, z: int, x: int, y: int):
    """A resident's request (gzip accepted) and whether it ran a tile statement."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/tiles/{tileset}/{z}/{x}/{y}.mvt", HTTP_ACCEPT_ENCODING="gzip")
    made = any("ST_AsMVT" in query["sql"] for query in queries.captured_queries)
    return response, made


def served_cold(client, settings, tileset: str, z: int, x: int, y: int):
    settings.TILE_CACHE_ENABLED = False
    try:
        response, made = served(client, tileset, z, x, y)
    finally:
        settings.TILE_CACHE_ENABLED = True
    assert made
    return response


@pytest.mark.worker
def test_an_import_made_current_warms_its_zoning_z8_to_z13(client, warming, celery_worker):
    territory = TerritoryFactory(siren="241800432")
    planner = UserFactory(is_staff=True)
    role_grant(user=planner, role=Role.PLANNER, territory=territory)
    plui_import(path=TROIS_PROVINCES, analyse=False, user=planner)

    job = warm_job_done()
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.created_by == planner  # the planner follows it on the jobs' page
    assert job.params["territory_id"] == territory.pk
    assert job.progress == 100
    report = job.report
    work, left_out = warm_work(warm_plan(territory_id=territory.pk, reason=REASON_PLAN))
    assert report["tiles"] == len(work) > 0 and left_out == report["left_out"] == 0
    assert report["made"] > 0 and report["made"] + report["empty"] == len(work)
    assert not report["stopped"]
    assert {z for _tileset, z, _x, _y in work} == set(range(8, 14))

    made_any = False
    for tileset, z, x, y in work:
        assert tile_cache.tile_lookup(tileset, z, x, y)[1] is not None, (z, x, y)
        response, made = served(client, tileset, z, x, y)
        assert not made, f"{z}/{x}/{y} was made on request: not warmed"
        cold = served_cold(client, warming, tileset, z, x, y)
        assert response.status_code == cold.status_code
        assert response["ETag"] == cold["ETag"]
        assert response.content == cold.content
        assert response.get("Content-Encoding") == cold.get("Content-Encoding")
        made_any = made_any or response.status_code == 200
    assert made_any

    # Outside the plan's area: just beyond its tiles at z13, and at z10 far away.
    plan = warm_plan(territory_id=territory.pk, reason=REASON_PLAN)
    inside = warm_tiles(plan, 13)
    xs = [x for x, _y in inside]
    y_middle = sorted(y for _x, y in inside)[len(inside) // 2]
    for z, x, y in ((13, max(xs) + 1, y_middle), (13, min(xs) - 1, y_middle), (10, 0, 0)):
        assert tile_cache.tile_lookup("zoning", z, x, y)[1] is None
        response, made = served(client, "zoning", z, x, y)
        assert made

    # The planner who imported follows the job on the jobs' page, with its outcome.
    client.force_login(planner)
    listing = client.get("/admin/core/job/")
    assert listing.status_code == 200 and job.title in listing.content.decode()
    page = client.get(f"/admin/core/job/{job.pk}/change/")
    assert page.status_code == 200 and job.message in page.content.decode()


@pytest.mark.worker
def test_a_concertation_that_opens_warms_its_map_tilesets(client, warming, celery_worker):
    space = small_world(status=Concertation.Status.DRAFT)
    assert not Job.objects.filter(kind=WARM_KIND).exists()  # a draft warms nothing

    space.status = Concertation.Status.OPEN
    concertation_save(concertation=space)

    job = warm_job_done()
    assert job.status == Job.Status.SUCCEEDED, job.message
    tilesets = job.report["tilesets"]
    assert tilesets[:2] == ["communes", "zoning"]
    assert f"contributions-{space.slug}" in tilesets
    plan = warm_plan(territory_id=space.territory_id, reason="opening", space_id=space.pk)
    work, _left_out = warm_work(plan)
    assert job.report["tiles"] == len(work)
    for tileset, z, x, y in work[:: max(1, len(work) // 40)]:
        _response, made = served(client, tileset, z, x, y)
        assert not made, (tileset, z, x, y)

    # Saved again while open: no second job.
    concertation_save(concertation=space)
    assert Job.objects.filter(kind=WARM_KIND).count() == 1


def imported_without_warming() -> int:
    """The Trois Provinces' plan imported with no job queued: its territory's id."""
    TerritoryFactory(siren="241800432")
    version, _report = plui_import(path=TROIS_PROVINCES, analyse=False)
    return version.document.territory_id


def test_a_version_that_moves_mid_job_stops_it(settings):
    territory_id = imported_without_warming()
    total = len(warm_work(warm_plan(territory_id=territory_id, reason=REASON_PLAN))[0])
    assert total > 3

    def another_import_meanwhile(done: int, total: int) -> None:
        if done == 2:
            tile_cache.tileset_touch("zoning")

    report = tiles_warm_run(
        territory_id=territory_id, reason=REASON_PLAN, progress=another_import_meanwhile
    )
    assert report["stopped"]
    assert report["made"] + report["empty"] == 2 < total

    # The next job warms the new version to the end.
    report = tiles_warm_run(territory_id=territory_id, reason=REASON_PLAN)
    assert not report["stopped"] and report["made"] + report["empty"] == total


def test_a_job_stopped_by_a_version_hands_over_to_the_next(settings, eager_tasks):
    territory_id = imported_without_warming()
    settings.TILE_WARM_ENABLED = True
    first = Job.objects.create(
        kind=WARM_KIND,
        title="t",
        params={"territory_id": territory_id, "reason": REASON_PLAN, "space_id": None},
    )

    def another_import_meanwhile(done: int) -> None:
        if done == 2:
            tile_cache.tileset_touch("zoning")

    report = tiles_warm_job(str(first.pk), on_tile=another_import_meanwhile)
    first.refresh_from_db()
    assert report["stopped"] and first.status == Job.Status.SUCCEEDED
    assert first.message.startswith("Stopped") or first.message.startswith("Arrêté")
    # The next job was queued (and run here, eagerly) on the new version, to the end.
    following = Job.objects.exclude(pk=first.pk).get(kind=WARM_KIND)
    assert following.status == Job.Status.SUCCEEDED, following.message
    assert not following.report["stopped"]
    assert following.report["made"] + following.report["empty"] == following.report["tiles"]
    assert following.report["tiles"] == report["tiles"]


def test_another_plan_of_the_territory_stops_the_job_and_queues_the_next(
    settings, eager_tasks, monkeypatch
):
    """An import there made stale only this territory's tiles (no tileset version moved):
    the job running on the plans before stops, and the next one warms the new plan."""
    territory_id = imported_without_warming()
    settings.TILE_WARM_ENABLED = True
    monkeypatch.setattr("tiles.warming.PLANS_READ_EVERY", 0)
    first = Job.objects.create(
        kind=WARM_KIND,
        title="t",
        params={"territory_id": territory_id, "reason": REASON_PLAN, "space_id": None},
    )

    def another_import_there(done: int) -> None:
        if done == 2:  # its own job is left out: the one stopped hands over
            settings.TILE_WARM_ENABLED = False
            plui_import(path=TROIS_PROVINCES, analyse=False)
            settings.TILE_WARM_ENABLED = True

    plans = warm_plan(territory_id=territory_id, reason=REASON_PLAN).zoning_versions
    versions = tile_cache.tilesets_versions(["zoning"])
    report = tiles_warm_job(str(first.pk), on_tile=another_import_there)
    assert tile_cache.tilesets_versions(["zoning"]) == versions  # no version moved
    assert report["stopped"] and report["made"] + report["empty"] == 2
    following = Job.objects.exclude(pk=first.pk).get(kind=WARM_KIND)
    assert following.status == Job.Status.SUCCEEDED, following.message
    now = warm_plan(territory_id=territory_id, reason=REASON_PLAN).zoning_versions
    assert following.params["plans"] == list(now) and now != plans
    assert not following.report["stopped"]
    assert following.report["made"] + following.report["empty"] == following.report["tiles"]


def test_one_job_per_change_and_the_cap(settings, eager_tasks):
    territory_id = imported_without_warming()
    settings.TILE_WARM_ENABLED = True
    key = {"territory_id": territory_id, "reason": REASON_PLAN, "space_id": None}
    versions = {"zoning": tile_cache.tilesets_versions(["zoning"])[0]}
    plans = list(warm_plan(territory_id=territory_id, reason=REASON_PLAN).zoning_versions)
    waiting = Job.objects.create(kind=WARM_KIND, title="t", params={**key, "versions": {}})
    # A job waits (it reads the versions when it starts): a second change queues none.
    assert tiles_warm_queue(territory_id=territory_id, reason=REASON_PLAN) is None
    # One runs on the current versions and plans: none either.
    Job.objects.filter(pk=waiting.pk).update(
        status=Job.Status.RUNNING, params={**key, "versions": versions, "plans": plans}
    )
    assert tiles_warm_queue(territory_id=territory_id, reason=REASON_PLAN) is None
    # Once a version moves, the next one (run here, eagerly) warms the new version.
    tile_cache.tileset_touch("zoning")
    second = tiles_warm_queue(territory_id=territory_id, reason=REASON_PLAN)
    assert second is not None
    second.refresh_from_db()
    assert second.status == Job.Status.SUCCEEDED, second.message
    assert second.params["versions"] == {"zoning": versions["zoning"] + 1}
    assert second.report["made"] > 0

    # Beyond the cap, the highest zooms' last tiles are left to the first request.
    plan = warm_plan(territory_id=territory_id, reason=REASON_PLAN)
    everything, _left_out = warm_work(plan)
    settings.TILE_WARM_MAX_TILES = 5
    work, left_out = warm_work(plan)
    assert work == everything[:5] and left_out == len(everything) - 5
    tile_cache.tileset_touch("zoning")
    report = tiles_warm_run(territory_id=territory_id, reason=REASON_PLAN)
    assert report["tiles"] == 5 and report["made"] + report["empty"] == 5
    assert report["left_out"] == left_out
    (z, x, y) = everything[5][1:]
    assert tile_cache.tile_lookup("zoning", z, x, y)[1] is None


@pytest.fixture
def tile_cache_away(settings):
    """The tile cache's Redis refuses connections (a closed port)."""
    working = settings.TILE_CACHE_URL
    settings.TILE_CACHE_URL = "redis://127.0.0.1:1/0"
    tile_cache._client.cache_clear()
    yield
    # Back before the next fixture's teardown (tests/conftest.py) asks the cache.
    settings.TILE_CACHE_URL = working
    tile_cache._client.cache_clear()


def test_a_warm_that_cannot_be_queued_leaves_the_change_standing(warming, tile_cache_away):
    """The tile cache away: the opening stands (the warm's error is logged, after the
    commit), without a warm job."""
    space = small_world(status=Concertation.Status.DRAFT)
    space.status = Concertation.Status.OPEN
    concertation_save(concertation=space)
    assert Concertation.objects.get(pk=space.pk).status == Concertation.Status.OPEN
    assert not Job.objects.filter(kind=WARM_KIND).exists()
