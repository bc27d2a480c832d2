# SPDX-License-Identifier: AGPL-3.0-or-later
# ruff: noqa: S608 — the SQL below is assembled from this file's own constants only.
"""Every figure of the dashboard equals a count made independently in SQL, filters
change the figures accordingly, and a bad filter is a 400 naming it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carto_concertation.concertations.models import Phase

pytestmark = pytest.mark.django_db

# The statuses the dashboard counts by default (merged and withdrawn aside).
COUNTED = "status NOT IN ('merged', 'withdrawn')"


def sql(query: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def stats_url(concertation, suffix: str = "stats") -> str:
    return f"/api/v1/concertations/{concertation.slug}/{suffix}"


@pytest.fixture
def planner_client(client):
    from tests.worlds import demo_user

    client.force_login(demo_user("urbanisme@demo.invalid"))
    return client


def selected(where: str = COUNTED) -> str:
    return f"SELECT id FROM contributions_contribution WHERE concertation_id = %s AND {where}"


def test_every_figure_equals_an_sql_count(planner_client, open_concertation, world):
    c = open_concertation.pk
    response = planner_client.get(stats_url(open_concertation))
    assert response.status_code == 200, response.content
    figures = response.json()

    assert figures["total"] == sql(f"SELECT count(*) FROM ({selected()}) s", [c])[0][0] == 10
    assert {r["status"]: r["count"] for r in figures["by_status"]} == dict(
        sql(
            "SELECT status, count(*) FROM contributions_contribution "
            f"WHERE concertation_id = %s AND {COUNTED} GROUP BY status",
            [c],
        )
    )
    assert (
        {r["channel"]: r["count"] for r in figures["by_channel"]}
        == dict(
            sql(
                "SELECT channel, count(*) FROM contributions_contribution "
                f"WHERE concertation_id = %s AND {COUNTED} GROUP BY channel",
                [c],
            )
        )
        == {"online": 5, "workshop": 4, "paper": 1}
    )
    assert {r["theme"]: r["count"] for r in figures["by_theme"]} == dict(
        sql(
            "SELECT t.id, count(ct.contribution_id) FROM concertations_theme t "
            "LEFT JOIN contributions_contribution_themes ct ON ct.theme_id = t.id "
            f"AND ct.contribution_id IN ({selected()}) "
            "WHERE t.concertation_id = %s GROUP BY t.id",
            [c, c],
        )
    )
    assert {r["insee"]: r["count"] for r in figures["by_commune"]} == dict(
        sql(
            "SELECT m.insee, count(*) FROM contributions_contribution k "
            "LEFT JOIN territories_commune m ON m.id = k.commune_id "
            f"WHERE k.id IN ({selected()}) GROUP BY m.insee",
            [c],
        )
    )
    assert {r["typezone"]: r["count"] for r in figures["by_typezone"]} == dict(
        sql(
            "SELECT z.typezone, count(DISTINCT cz.contribution_id) "
            "FROM contributions_contributionzone cz "
            "JOIN plui_documents_zone z ON z.id = cz.zone_id "
            f"WHERE cz.contribution_id IN ({selected()}) GROUP BY z.typezone",
            [c],
        )
    )
    assert {(r["typezone"], r["theme"]): r["count"] for r in figures["themes_by_typezone"]} == {
        (typezone, theme): count
        for typezone, theme, count in sql(
            "SELECT z.typezone, ct.theme_id, count(DISTINCT cz.contribution_id) "
            "FROM contributions_contributionzone cz "
            "JOIN plui_documents_zone z ON z.id = cz.zone_id "
            "LEFT JOIN contributions_contribution_themes ct "
            "ON ct.contribution_id = cz.contribution_id "
            f"WHERE cz.contribution_id IN ({selected()}) GROUP BY 1, 2",
            [c],
        )
    }
    assert {r["week"]: r["count"] for r in figures["by_week"]} == {
        week.isoformat(): count
        for week, count in sql(
            "SELECT date_trunc('week', created_at AT TIME ZONE 'Europe/Paris')::date, count(*) "
            f"FROM contributions_contribution WHERE id IN ({selected()}) GROUP BY 1",
            [c],
        )
    }
    assert len(figures["by_week"]) == 2


@pytest.mark.parametrize(
    ("suffix", "table"),
    [("stats/zones", "plui_documents_zone"), ("stats/communes", "territories_commune")],
)
def test_a_choropleth_groups_no_geometry(planner_client, open_concertation, world, suffix, table):
    """The counts come from a subquery: grouping the areas themselves grouped by their
    geometries and GeoJSON too, and sorted them (87 of the zones' 90 ms), and a model
    instance parsed both geometries of each area (GEOS) for nothing."""
    with CaptureQueriesContext(connection) as queries:
        response = planner_client.get(stats_url(open_concertation, suffix))
    assert response.status_code == 200
    (read,) = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert f'GROUP BY "{table}"."id"' not in read
    selected = read.split(" FROM ")[0]
    assert f'"{table}"."geom" AS' not in selected and f', "{table}"."geom",' not in selected
    assert "geom_3857" not in read


def test_the_choropleths_equal_sql_counts(planner_client, open_concertation, world):
    c = open_concertation.pk
    zones = planner_client.get(stats_url(open_concertation, "stats/zones")).json()
    assert zones["type"] == "FeatureCollection"
    counted = {f["id"]: f["properties"]["count"] for f in zones["features"]}
    expected = dict(
        sql(
            "SELECT cz.zone_id, count(DISTINCT cz.contribution_id) "
            "FROM contributions_contributionzone cz "
            f"WHERE cz.contribution_id IN ({selected()}) GROUP BY 1",
            [c],
        )
    )
    assert {k: v for k, v in counted.items() if v} == expected
    assert len(zones["features"]) == every_zone(open_concertation)
    lon, lat = zones["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 2 < lon < 4 and 46 < lat < 48  # WGS84

    communes = planner_client.get(stats_url(open_concertation, "stats/communes")).json()
    assert {f["properties"]["insee"]: f["properties"]["count"] for f in communes["features"]} == {
        insee: count
        for insee, count in sql(
            "SELECT m.insee, count(k.id) FROM territories_commune m "
            f"LEFT JOIN contributions_contribution k ON k.commune_id = m.id AND k.id IN ({selected()}) "
            "WHERE m.territory_id = %s GROUP BY m.insee",
            [c, open_concertation.territory_id],
        )
    }


def every_zone(concertation) -> int:
    return sql(
        "SELECT count(*) FROM plui_documents_zone WHERE version_id = "
        "(SELECT current_version_id FROM plui_documents_urbandocument WHERE id = %s)",
        [concertation.plui_document_id],
    )[0][0]


def current_zone_counts(concertation, where: str = COUNTED) -> dict[int, int]:
    """Zone id → contributions touching it, over the current version's zones."""
    return dict(
        sql(
            "SELECT cz.zone_id, count(DISTINCT cz.contribution_id) "
            "FROM contributions_contributionzone cz "
            "JOIN plui_documents_zone z ON z.id = cz.zone_id "
            "WHERE z.version_id = (SELECT current_version_id FROM plui_documents_urbandocument "
            f"WHERE id = %s) AND cz.contribution_id IN ({selected(where)}) GROUP BY 1",
            [concertation.plui_document_id, concertation.pk],
        )
    )


def test_the_zone_counts_are_counts_per_zone_id_without_outlines(
    planner_client, open_concertation, world
):
    """What the dashboard's map waits on: the counted zones by id (the outlines are the
    zoning tiles', whose features carry the zone's id), not every zone's GeoJSON."""
    with CaptureQueriesContext(connection) as queries:
        response = planner_client.get(stats_url(open_concertation, "stats/zones/counts"))
    assert response.status_code == 200, response.content
    answer = response.json()
    assert set(answer) == {"version", "zones", "highest"}
    assert answer["version"] == open_concertation.plui_document.current_version_id
    expected = current_zone_counts(open_concertation)
    assert {zone["id"]: zone["count"] for zone in answer["zones"]} == expected
    # Only the zones with contributions: A, UE and a neighbour one idea overlaps.
    assert 0 < len(expected) < every_zone(open_concertation)
    assert {"A", "UE"} <= {zone["libelle"] for zone in answer["zones"]}
    areas = dict(
        sql(
            "SELECT id, ST_Area(geom) / 1e6 FROM plui_documents_zone WHERE id = ANY(%s)",
            [list(expected)],
        )
    )
    for zone in answer["zones"]:
        assert set(zone) == {"id", "libelle", "typezone", "count", "area_km2", "density"}
        assert zone["area_km2"] == pytest.approx(areas[zone["id"]], abs=0.001)
        assert zone["density"] == pytest.approx(zone["count"] / areas[zone["id"]], rel=0.01)
    assert answer["highest"] == {
        "count": max(expected.values()),
        "density": max(zone["density"] for zone in answer["zones"]),
    }
    assert b"coordinates" not in response.content
    # One statement counts, looking up each filtered contribution's links (the index
    # on the contribution), not every link of the platform: no outline computed.
    (read,) = [
        " ".join(q["sql"].split())
        for q in queries.captured_queries
        if "plui_documents_zone" in q["sql"]
    ]
    assert "FROM contributions_contributionzone WHERE contribution_id = counted.id OFFSET 0" in read
    assert "ST_AsGeoJSON" not in read and "ST_Transform" not in read
    assert "geom_3857" not in read


def test_the_zone_counts_follow_the_filters(planner_client, open_concertation, world):
    answer = planner_client.get(
        stats_url(open_concertation, "stats/zones/counts") + "?channel=workshop"
    ).json()
    assert {zone["id"]: zone["count"] for zone in answer["zones"]} == current_zone_counts(
        open_concertation, "channel = 'workshop'"
    )
    assert [zone["count"] for zone in answer["zones"]] == [4]
    nothing = planner_client.get(
        stats_url(open_concertation, "stats/zones/counts") + "?status=withdrawn"
    ).json()
    assert nothing["zones"] == [] and nothing["highest"] == {"count": 0, "density": 0.0}


def test_the_dashboard_lists_the_counted_zones_without_javascript(
    planner_client, open_concertation, world
):
    """The map's choropleth as a table in the page itself: each counted zone, its
    TYPEZONE, its count and its density, the most counted first."""
    page = planner_client.get(f"/concertations/{open_concertation.slug}/tableau-de-bord/")
    assert page.status_code == 200
    html = page.content.decode()
    table = html[html.index('<table class="crossed" id="zone-counts">') :]
    table = table[: table.index("</table>")]
    rows = table.split('<tr data-zone="')[1:]
    expected = current_zone_counts(open_concertation)
    assert [int(row.split('"')[0]) for row in rows] == sorted(
        expected, key=lambda pk: -expected[pk]
    )
    assert '<th scope="row">A</th>' in rows[0] and '<td class="n">5</td>' in rows[0]
    assert '<th scope="row">UE</th>' in rows[1] and '<td class="n">4</td>' in rows[1]


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("channel=workshop", "channel = 'workshop'"),
        ("channel=workshop&channel=paper", "channel IN ('workshop', 'paper')"),
        ("status=retained", "status = 'retained'"),
        ("status=hidden", "status = 'hidden'"),
        (
            "created_before={five_days_ago}",
            f"{COUNTED} AND (created_at AT TIME ZONE 'Europe/Paris')::date <= %s",
        ),
        (
            "created_after={five_days_ago}",
            f"{COUNTED} AND (created_at AT TIME ZONE 'Europe/Paris')::date >= %s",
        ),
    ],
)
def test_filters_change_the_figures(planner_client, open_concertation, world, query, where):
    five_days_ago = (timezone.localdate() - timedelta(days=5)).isoformat()
    params = [open_concertation.pk] + ([five_days_ago] if "%s" in where else [])
    expected = sql(f"SELECT count(*) FROM ({selected(where)}) s", params)[0][0]
    figures = planner_client.get(
        stats_url(open_concertation) + "?" + query.format(five_days_ago=five_days_ago)
    ).json()
    assert figures["total"] == expected
    assert 0 < expected < 10
    assert sum(r["count"] for r in figures["by_channel"]) == expected


def test_theme_and_phase_filters(planner_client, open_concertation, world):
    housing = world["housing"]
    figures = planner_client.get(stats_url(open_concertation) + f"?theme={housing.pk}").json()
    assert figures["total"] == 4
    assert {r["theme"]: r["count"] for r in figures["by_theme"]}[housing.pk] == 4
    phase = open_concertation.phases.get(kind=Phase.Kind.CONTRIBUTIONS)
    during = planner_client.get(stats_url(open_concertation) + f"?phase={phase.pk}").json()
    # The workshop ideas were made ten days ago, before the phase (opened yesterday).
    assert during["total"] == 6
    zones = planner_client.get(
        stats_url(open_concertation, "stats/zones") + "?channel=workshop"
    ).json()
    assert sum(f["properties"]["count"] for f in zones["features"]) == 4


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("channel=fax", "channel"),
        ("status=lost", "status"),
        ("created_after=yesterday", "created"),
        ("phase=999999", "phase"),
        ("phase=abc", "phase"),
        ("theme=abc", "theme"),
        ("theme=999999", "theme"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(planner_client, open_concertation, query, field):
    for suffix in ("stats", "stats/zones", "stats/zones/counts", "stats/communes", "heatmap"):
        response = planner_client.get(stats_url(open_concertation, suffix) + "?" + query)
        assert response.status_code == 400, (suffix, response.content)
        assert field in response.json(), response.json()


@pytest.mark.french
def test_a_bad_filter_in_french_by_default(planner_client, open_concertation):
    response = planner_client.get(stats_url(open_concertation) + "?channel=fax")
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in " ".join(response.json()["channel"])


def test_the_figures_take_a_fixed_number_of_queries(
    planner_client, open_concertation, world, django_assert_max_num_queries
):
    # Session, user, roles, concertation, then one query per figure whatever the count.
    with django_assert_max_num_queries(20):
        assert planner_client.get(stats_url(open_concertation)).status_code == 200
    for suffix in ("stats/zones", "stats/zones/counts"):
        with django_assert_max_num_queries(12):
            assert planner_client.get(stats_url(open_concertation, suffix)).status_code == 200


def test_the_dashboard_s_list_reads_no_text_nor_geometry(planner_client, open_concertation, world):
    """The list shows titles, statuses, channels, dates, communes, services and themes:
    the whole rows brought each contribution's text and both geometries, parsed."""
    with CaptureQueriesContext(connection) as queries:
        page = planner_client.get(f"/concertations/{open_concertation.slug}/tableau-de-bord/")
    assert page.status_code == 200
    assert "Chemin agricole 0" in page.content.decode()
    listed = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "contributions_contribution"."id"')
        and "ORDER BY" in q["sql"]
        and "LIMIT" in q["sql"]
    ]
    assert listed
    for read in listed:
        selected = read.split(" FROM ")[0]
        for column in ("geom", "geom_3857", "text"):
            assert f'"contributions_contribution"."{column}"' not in selected
