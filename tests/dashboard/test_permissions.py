# SPDX-License-Identifier: AGPL-3.0-or-later
"""Only the planners of the concertation's territory and administrators see the
dashboard, its figures, its templates and its bilans."""

import pytest

from tests.worlds import demo_user

pytestmark = pytest.mark.django_db

PLANNER_ONLY = (
    "stats",
    "stats/zones",
    "stats/zones/counts",
    "stats/communes",
    "answer-templates/",
    "bilans/",
)


@pytest.fixture(params=["anonymous", "resident", "relay", "moderator", "other_planner"])
def outsider(request, client, other_planner):
    user = {
        "anonymous": None,
        "resident": "habitant@demo.invalid",
        "relay": "relais@demo.invalid",
        "moderator": "moderation@demo.invalid",
    }.get(request.param)
    if request.param == "other_planner":
        client.force_login(other_planner)
    elif user:
        client.force_login(demo_user(user))
    return request.param


def test_outsiders_get_403(client, open_concertation, outsider):
    base = f"/api/v1/concertations/{open_concertation.slug}/"
    for suffix in PLANNER_ONLY:
        assert client.get(base + suffix).status_code == 403, suffix
    assert client.post(base + "bilans/", {}, content_type="application/json").status_code == 403
    assert (
        client.post(
            base + "answers/bulk", {"template": 1, "ids": [1]}, content_type="application/json"
        ).status_code
        == 403
    )
    page = client.get(f"/concertations/{open_concertation.slug}/tableau-de-bord/")
    if outsider == "anonymous":
        assert page.status_code == 302
        assert page["Location"].startswith("/accounts/login/")
    else:
        assert page.status_code == 403


@pytest.mark.parametrize("email", ["urbanisme@demo.invalid", "admin@demo.invalid"])
def test_planners_and_administrators_get_in(client, open_concertation, world, email):
    client.force_login(demo_user(email))
    page = client.get(f"/concertations/{open_concertation.slug}/tableau-de-bord/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Chemin agricole 0" in html
    assert 'id="dashboard-config"' in html
    figures = client.get(f"/api/v1/concertations/{open_concertation.slug}/stats").json()
    assert figures["total"] == 10


def test_the_page_says_which_filter_is_wrong(client, open_concertation):
    client.force_login(demo_user("urbanisme@demo.invalid"))
    page = client.get(f"/concertations/{open_concertation.slug}/tableau-de-bord/?channel=fax")
    assert page.status_code == 400
    assert "channel" in page.content.decode()


def test_an_unknown_concertation_is_a_404(client):
    client.force_login(demo_user("urbanisme@demo.invalid"))
    assert client.get("/api/v1/concertations/nothing/stats").status_code == 404


def test_starting_bilans_is_rate_limited(client, open_concertation, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import ScopedRateThrottle

    from carto_concertation.core.models import Job

    # DRF binds the rates to the class when it is first imported: set them there.
    monkeypatch.setattr(
        ScopedRateThrottle,
        "THROTTLE_RATES",
        {**ScopedRateThrottle.THROTTLE_RATES, "bilan": "2/hour"},
    )
    cache.clear()
    client.force_login(demo_user("urbanisme@demo.invalid"))
    url = f"/api/v1/concertations/{open_concertation.slug}/bilans/"
    codes = [client.post(url, {}, content_type="application/json").status_code for _ in range(3)]
    assert codes == [202, 202, 429]
    assert Job.objects.filter(kind="bilan").count() == 2


def test_the_schema_describes_the_planners_apis(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    paths = ("stats", "stats/zones", "stats/zones/counts", "stats/communes", "heatmap")
    for path in (*paths, "answers/bulk", "bilans/"):
        assert f"  /api/v1/concertations/{{concertation_slug}}/{path}:" in schema, path
    assert "ZoneCounts:" in schema and "area_km2:" in schema
    assert "name: created_after" in schema and "AnswerTemplateStatusEnum" in schema
