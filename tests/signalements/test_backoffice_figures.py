# SPDX-License-Identifier: AGPL-3.0-or-later
"""The services' figures: reports per category and commune, the median times to "pris
en compte" and to "résolu" per service (PostgreSQL's percentile_cont), the overdue."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from carto_concertation.signalements.backoffice.figures import (
    duration_text,
    per_category,
    per_commune,
    per_service,
)
from carto_concertation.signalements.backoffice.queue import desk_reports
from carto_concertation.signalements.models import Report
from tests.factories import user_with_role
from tests.factories.signalements import ReportFactory

from .desk_world import desk_world  # noqa: F401  (the ``desk`` fixture)

FIGURES = reverse("signalements:desk-figures")


def _dated(report, *, filed_hours_ago: float, acknowledged_after=None, fixed_after=None):
    """Put a report's dates: filed (and confirmed) that long ago, taken into account and
    fixed that many hours after."""
    filed = timezone.now() - timedelta(hours=filed_hours_ago)
    Report.objects.filter(pk=report.pk).update(
        created_at=filed - timedelta(minutes=5),
        confirmed_at=filed,
        acknowledged_at=filed + timedelta(hours=acknowledged_after)
        if acknowledged_after is not None
        else None,
        fixed_at=filed + timedelta(hours=fixed_after) if fixed_after is not None else None,
    )


@pytest.fixture
def timed(desk):
    """Roads: taken into account after 2, 4 and 30 h (median 4 h), fixed after 10 and
    50 h (median 30 h); one still open for 60 h on a 48 h SLA. Lights: one after 1 h."""
    fixed = Report.State.FIXED
    rows = [
        (desk.pothole, desk.roads, desk.first, "acknowledged", 100, 2, None),
        (desk.pothole, desk.roads, desk.first, fixed, 100, 4, 10),
        (desk.pothole, desk.roads, desk.second, fixed, 100, 30, 50),
        (desk.pothole, desk.roads, desk.second, "open", 60, None, None),
        (desk.lighting, desk.lights, desk.first, "acknowledged", 10, 1, None),
    ]
    for category, service, commune, state, ago, acknowledged, fixed_after in rows:
        report = ReportFactory(category=category, service=service, commune=commune, state=state)
        _dated(
            report, filed_hours_ago=ago, acknowledged_after=acknowledged, fixed_after=fixed_after
        )


def test_the_medians_and_overdue_per_service(desk, timed):
    administrator = user_with_role("administrator")
    rows = {row.service: row for row in per_service(desk_reports(administrator))}
    roads, lights = rows[desk.roads], rows[desk.lights]
    assert roads.total == 4
    assert roads.to_acknowledge == timedelta(hours=4)
    assert roads.to_fix == timedelta(hours=30)
    assert roads.overdue == 1
    # 30 h after a 48 h SLA is in time: none late.
    assert roads.acknowledged_late == 0
    assert (lights.total, lights.to_acknowledge, lights.to_fix, lights.overdue) == (
        1,
        timedelta(hours=1),
        None,
        0,
    )


def test_the_counts_per_category_and_commune(desk, timed):
    reports = desk_reports(user_with_role("administrator"))
    assert [(str(c), n) for c, n in per_category(reports)] == [
        ("Voirie › Nid-de-poule", 4),
        ("Éclairage public", 1),
    ]
    assert {row["insee"]: row["n"] for row in per_commune(reports)} == {
        desk.first.insee: 3,
        desk.second.insee: 2,
    }


def test_durations_read_in_french():
    with translation.override("fr"):
        _durations_in_french()


def _durations_in_french():
    assert duration_text(None) == "—"
    assert duration_text(timedelta(minutes=25)) == "25 min"
    assert duration_text(timedelta(hours=3, minutes=12)) == "3 h 12 min"
    assert duration_text(timedelta(days=2, hours=4, minutes=59)) == "2 j 4 h"


def test_the_figures_page_shows_the_agents_services(client, desk, timed):
    client.force_login(desk.road_agent)
    response = client.get(FIGURES)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Délai médian jusqu’à « pris en compte »" in html
    assert "4 h 0 min" in html and "1 j 6 h" in html
    assert "Éclairage de la CC" not in html
    assert [row.service for row in response.context["per_service"]] == [desk.roads]
    # Filtered like the queue; a bad filter is a 400 naming it.
    response = client.get(FIGURES, {"commune": desk.second.pk})
    assert response.context["total"] == 2
    response = client.get(FIGURES, {"status": "perdu"})
    assert response.status_code == 400
    assert "État" in response.context["errors"]
