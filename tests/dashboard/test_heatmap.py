# SPDX-License-Identifier: AGPL-3.0-or-later
"""The heat map: for everyone only the cells holding at least HEATMAP_MIN_COUNT public
contributions; planners may ask the full grid."""

import pytest

from tests.worlds import demo_user

pytestmark = pytest.mark.django_db


def heatmap(client, concertation, query: str = ""):
    return client.get(f"/api/v1/concertations/{concertation.slug}/heatmap{query}")


def counts(response) -> list[int]:
    assert response.status_code == 200, response.content
    return sorted(f["properties"]["count"] for f in response.json()["features"])


def test_the_public_map_hides_a_cell_of_four(client, open_concertation, world):
    # Five public ideas in one cell, four in another, one hidden idea in a third.
    assert counts(heatmap(client, open_concertation)) == [5]
    client.force_login(demo_user("habitant@demo.invalid"))
    assert counts(heatmap(client, open_concertation)) == [5]


def test_the_planner_sees_every_cell(client, open_concertation, world):
    client.force_login(demo_user("urbanisme@demo.invalid"))
    assert counts(heatmap(client, open_concertation, "?full=true")) == [1, 4, 5]
    # The same filters as every figure.
    assert counts(heatmap(client, open_concertation, "?full=true&channel=workshop")) == [4]


def test_the_threshold_is_a_setting(client, open_concertation, world, settings):
    settings.HEATMAP_MIN_COUNT = 4
    assert counts(heatmap(client, open_concertation)) == [4, 5]


def test_cells_are_squares_of_the_size_asked(client, open_concertation, world):
    small = heatmap(client, open_concertation, "?cell=100").json()["features"][0]
    ring = small["geometry"]["coordinates"][0]
    assert len(ring) == 5
    assert 0.0005 < ring[2][0] - ring[0][0] < 0.002  # about 100 m of longitude here


@pytest.mark.parametrize(
    ("user", "query", "status"),
    [
        (None, "?full=true", 403),
        ("habitant@demo.invalid", "?full=true", 403),
        ("relais@demo.invalid", "?full=true", 403),
        (None, "?cell=5", 400),
        (None, "?cell=99999", 400),
        (None, "?full=maybe", 400),
    ],
)
def test_refused(client, open_concertation, world, user, query, status):
    if user:
        client.force_login(demo_user(user))
    response = heatmap(client, open_concertation, query)
    assert response.status_code == status, response.content
    if status == 400:
        assert set(response.json()) & {"cell", "full"}
