# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every write that changes what the map shows leaves no stale tile: after each kind of
write on contributions and on the concertation, the cached answer of the tiles it
touched is the answer a tile made now gives (and it did change)."""

import pytest
from django.contrib.gis.geos import Point

from carto_concertation.concertations.models import Concertation, Theme
from carto_concertation.concertations.services import concertation_save
from carto_concertation.contributions.models import Contribution
from carto_concertation.contributions.moderation import (
    contribution_answer,
    contribution_hide,
    contribution_merge,
    contribution_restore,
)
from carto_concertation.contributions.services import (
    contribution_relocate,
    contribution_update,
    contribution_withdraw,
    vote_cast,
)
from carto_concertation.contributions.tiles import AGGREGATE_BELOW, contribution_tileset
from carto_concertation.core.changes import tileset_changed
from carto_concertation.core.modules import SITE_WIDE
from tests.factories import UserFactory

from ..tiles.test_vector_tiles import tile_of
from .conftest import make_idea, point_in

POINT_ZOOM, COUNT_ZOOM = 15, 10


def tile_paths(concertation: Concertation, *points: Point) -> list[str]:
    """The tiles over these points of the concertation's tileset and of the site-wide one
    (core.modules.SITE_WIDE), where the ideas are drawn as themselves at every zoom."""
    paths = []
    for point in points:
        mercator = point.transform(3857, clone=True)
        for z in (POINT_ZOOM, COUNT_ZOOM):
            x, y = tile_of(mercator.x, mercator.y, z)
            for tileset in (concertation.slug, SITE_WIDE):
                paths.append(f"/tiles/{contribution_tileset(tileset)}/{z}/{x}/{y}.mvt")
    return paths


def answers(client, paths: list[str]) -> list[tuple[int, str]]:
    found = []
    for path in paths:
        response = client.get(path)
        found.append((response.status_code, response.get("ETag", "")))
    return found


def made_now(client, paths: list[str]) -> list[tuple[int, str]]:
    """The answers with nothing cached: tiles and the layers kept per data version."""
    from layers import selectors
    from tiles import cache

    redis = cache._client()
    keys = list(redis.scan_iter(match=f"{cache.key_prefix()}*", count=1000))
    if keys:
        redis.delete(*keys)
    selectors._MEMO.clear()
    return answers(client, paths)


def assert_no_stale_tile(client, paths, write, django_capture_on_commit_callbacks) -> None:
    before = answers(client, paths)  # now cached
    assert answers(client, paths) == before
    with django_capture_on_commit_callbacks(execute=True):  # the write commits
        write()
    after = answers(client, paths)
    assert after != before  # the write changed these tiles…
    assert after == made_now(client, paths)  # …and none of them is stale


@pytest.fixture
def idea(open_concertation, author) -> Contribution:
    return make_idea(open_concertation, author)


@pytest.fixture
def here(idea) -> Point:
    return point_in("UE")


def test_a_new_idea(client, open_concertation, author, django_capture_on_commit_callbacks):
    paths = tile_paths(open_concertation, point_in("UE"))
    assert_no_stale_tile(
        client,
        paths,
        lambda: make_idea(open_concertation, author),
        django_capture_on_commit_callbacks,
    )


def test_an_idea_moved_is_fresh_where_it_was_and_where_it_goes(
    client, open_concertation, author, idea, here, django_capture_on_commit_callbacks
):
    there = point_in("N")
    heard = []

    def listener(sender, change, **kwargs):
        heard.append(change)

    tileset_changed.connect(listener, dispatch_uid="test-moved")
    try:
        assert_no_stale_tile(
            client,
            tile_paths(open_concertation, here, there),
            lambda: contribution_update(contribution=idea, user=author, geometry=there),
            django_capture_on_commit_callbacks,
        )
    finally:
        tileset_changed.disconnect(dispatch_uid="test-moved")
    change, site = heard
    assert change.tileset == contribution_tileset(open_concertation.slug) and not change.whole
    # On the site-wide tileset the idea is drawn as itself at every zoom: its own box there.
    assert site.tileset == contribution_tileset(SITE_WIDE) and not site.whole
    assert [area.zooms for area in (*site.before, *site.after)] == [range(0, 17)] * 2
    assert [area.bboxes for area in site.before] == [change.before[0].bboxes]
    for footprint, point in ((change.before, here), (change.after, there)):
        own, counted = footprint
        assert own.zooms.start == AGGREGATE_BELOW and counted.zooms.stop == AGGREGATE_BELOW
        [(xmin, ymin, xmax, ymax)] = own.bboxes
        mercator = point.transform(3857, clone=True)
        # PostGIS and GEOS project the point apart by a few nanometres: a millimetre's slack.
        assert xmin - 1e-3 <= mercator.x <= xmax + 1e-3 and ymin - 1e-3 <= mercator.y <= ymax + 1e-3
        assert counted.bboxes  # its commune and zones


@pytest.mark.parametrize("action", ["withdraw", "hide", "restore", "answer", "vote"])
def test_an_idea_changed(
    action, client, open_concertation, author, idea, here, django_capture_on_commit_callbacks
):
    moderator = _demo("moderation@demo.invalid")
    if action == "restore":
        contribution_hide(contribution=idea, actor=moderator, reason="Hors sujet.")
    writes = {
        "withdraw": lambda: contribution_withdraw(contribution=idea, user=author),
        "hide": lambda: contribution_hide(contribution=idea, actor=moderator, reason="Injurieux."),
        "restore": lambda: contribution_restore(contribution=idea, actor=moderator),
        "answer": lambda: contribution_answer(
            contribution=idea,
            actor=_demo("urbanisme@demo.invalid"),
            status=Contribution.Status.RETAINED,
            answer="Retenue.",
            answer_service="Service urbanisme",
        ),
        "vote": lambda: vote_cast(contribution=idea, voter=UserFactory(), value=1),
    }
    paths = tile_paths(open_concertation, here)
    if action in ("answer", "vote"):
        paths = paths[:1]  # the point shows its status and support; the counts do not
    assert_no_stale_tile(client, paths, writes[action], django_capture_on_commit_callbacks)


def test_twin_ideas_merged(
    client, open_concertation, author, idea, here, django_capture_on_commit_callbacks
):
    there = point_in("N")
    twin = make_idea(open_concertation, author, libelle="N")
    assert_no_stale_tile(
        client,
        tile_paths(open_concertation, here, there),
        lambda: contribution_merge(
            contribution=twin, into=idea, actor=_demo("moderation@demo.invalid")
        ),
        django_capture_on_commit_callbacks,
    )


def test_a_relocated_idea_announces_its_place(
    open_concertation, idea, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, change, **kwargs):
        heard.append(change)

    tileset_changed.connect(listener, dispatch_uid="test-relocated")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            contribution_relocate(contribution_id=idea.pk)
    finally:
        tileset_changed.disconnect(dispatch_uid="test-relocated")
    change, site = heard
    assert change.before == change.after and change.after[1].bboxes
    assert site.tileset == contribution_tileset(SITE_WIDE) and site.before == site.after


def test_a_write_that_fails_announces_nothing(
    open_concertation, idea, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError),
    ):
        contribution_hide(contribution=idea, actor=_demo("moderation@demo.invalid"), reason="")
    assert callbacks == []


@pytest.mark.parametrize("change", ["theme", "status"])
def test_a_concertation_changed(
    change, client, open_concertation, author, idea, here, django_capture_on_commit_callbacks
):
    def write():
        if change == "theme":
            Theme.objects.create(concertation=open_concertation, name="Eau", colour="#1f77b4")
        else:
            open_concertation.status = Concertation.Status.DRAFT
        concertation_save(concertation=open_concertation)

    paths = tile_paths(open_concertation, here)
    if change == "theme":
        paths = paths[1:]  # the counts per theme; a point names only its own themes
    assert_no_stale_tile(client, paths, write, django_capture_on_commit_callbacks)


def _demo(email: str):
    from carto_concertation.accounts.models import User

    return User.objects.get(email=email)
