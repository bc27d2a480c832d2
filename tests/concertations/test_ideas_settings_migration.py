# SPDX-License-Identifier: AGPL-3.0-or-later
"""The migration that moves the ideas' settings from the concertation to the ideas module
(contributions.0008, concertations.0006) keeps every value, and goes back."""

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ..factories import TerritoryFactory

BEFORE = [
    ("contributions", "0007_engagement_old_tables_dropped"),
    ("concertations", "0005_space_module"),
]
AFTER = [
    ("contributions", "0008_ideas_settings_from_concertations"),
    ("concertations", "0006_ideas_settings_leave_the_space"),
]
VALUES = {
    "accepted_geometries": ["line"],
    "moderation": "before",
    "vote_mode": "for_against",
    "duplicate_distance_m": 777,
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_ideas_settings_move_to_the_module_and_back():
    territory = TerritoryFactory(communes=1)
    x, y = territory.geom.centroid.coords
    square = Polygon.from_bbox((x - 100, y - 100, x + 100, y + 100))
    square.srid = settings.SRID
    try:
        apps = migrate(BEFORE)
        Concertation = apps.get_model("concertations", "Concertation")
        old = Concertation.objects.create(
            territory_id=territory.pk,
            slug="avant",
            title="Avant",
            perimeter=MultiPolygon(square, srid=settings.SRID),
            status="open",
            **VALUES,
        )
        bare = Concertation.objects.create(
            territory_id=territory.pk,
            slug="par-defaut",
            title="Par défaut",
            perimeter=MultiPolygon(square, srid=settings.SRID),
        )

        apps = migrate(AFTER)
        IdeasSettings = apps.get_model("contributions", "IdeasSettings")
        SpaceModule = apps.get_model("concertations", "SpaceModule")
        assert list(
            SpaceModule.objects.order_by("concertation_id").values_list(
                "concertation_id", "module", "position"
            )
        ) == [(old.pk, "ideas", 0), (bare.pk, "ideas", 0)]
        moved = IdeasSettings.objects.get(space_module__concertation_id=old.pk)
        assert {name: getattr(moved, name) for name in VALUES} == VALUES
        default = IdeasSettings.objects.get(space_module__concertation_id=bare.pk)
        assert (default.moderation, default.vote_mode, default.duplicate_distance_m) == (
            "after",
            "support",
            150,
        )
        IdeasSettings.objects.filter(pk=moved.pk).update(vote_mode="rating")

        apps = migrate(BEFORE)
        Concertation = apps.get_model("concertations", "Concertation")
        back = Concertation.objects.get(pk=old.pk)
        assert {name: getattr(back, name) for name in VALUES} == {**VALUES, "vote_mode": "rating"}
        assert not apps.get_model("concertations", "SpaceModule").objects.exists()
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
