# SPDX-License-Identifier: AGPL-3.0-or-later
"""The services' dashboard: an agent's queue shows their services' reports only, its
filters, its map and overdue reports; the bulk change, the agent's page of a report and
its forms; anyone else refused (403, nothing written), a visitor sent to sign in."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from carto_concertation.signalements.models import Report, ReportUpdate
from tests.factories import user_with_role
from tests.factories.signalements import (
    ReportFactory,
    ReportFollowerFactory,
    ReportUpdateFactory,
    ServiceFactory,
)

from .desk_world import desk_world  # noqa: F401  (the ``desk`` fixture)

DESK = reverse("signalements:desk")
BULK = reverse("signalements:desk-bulk")


def _page(report) -> str:
    return reverse("signalements:desk-report", args=[report.pk])


def _listed(response) -> list[int]:
    return [report.pk for report in response.context["page"]]


def _ago(report, **delta) -> Report:
    """Move a report's dates back (created_at is written by the database at insert)."""
    moment = timezone.now() - timedelta(**delta)
    Report.objects.filter(pk=report.pk).update(created_at=moment, confirmed_at=moment)
    report.refresh_from_db()
    return report


@pytest.fixture
def reports(desk):
    """Two reports for the roads service, one for the lights, one unconfirmed for the
    roads, one private and one closed for the roads."""
    return {
        "hole": ReportFactory(category=desk.pothole, service=desk.roads, author=desk.resident),
        "hole_second": ReportFactory(
            category=desk.pothole, service=desk.roads, commune=desk.second
        ),
        "lamp": ReportFactory(category=desk.lighting, service=desk.lights),
        "unconfirmed": ReportFactory(
            category=desk.pothole,
            service=desk.roads,
            state=Report.State.UNCONFIRMED,
            confirmed_at=None,
        ),
        "private": ReportFactory(category=desk.voirie, service=desk.roads, is_public=False),
        "fixed": ReportFactory(category=desk.voirie, service=desk.roads, state=Report.State.FIXED),
    }


def test_the_queue_lists_the_agents_services_reports_still_to_deal_with(client, desk, reports):
    ReportFollowerFactory.create_batch(2, report=reports["hole"])
    client.force_login(desk.road_agent)
    response = client.get(DESK)
    assert response.status_code == 200
    assert sorted(_listed(response)) == sorted(
        reports[name].pk for name in ("hole", "hole_second", "private")
    )
    html = response.content.decode()
    assert "Tableau de bord des services" in html or "services" in html
    assert f'id="pick-{reports["lamp"].pk}"' not in html
    rows = {report.pk: report for report in response.context["page"]}
    assert rows[reports["hole"].pk].follower_count == 2
    assert rows[reports["private"].pk].follower_count == 0

    client.force_login(desk.light_agent)
    assert _listed(client.get(DESK)) == [reports["lamp"].pk]


def test_an_administrator_sees_every_service(client, desk, reports):
    client.force_login(user_with_role("administrator"))
    listed = _listed(client.get(DESK))
    assert set(listed) == {reports[n].pk for n in ("hole", "hole_second", "lamp", "private")}


def test_a_resident_is_refused_and_a_visitor_sent_to_sign_in(client, desk, reports):
    response = client.get(DESK)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    client.force_login(desk.resident)
    for url in (
        DESK,
        reverse("signalements:desk-figures"),
        reverse("signalements:desk-export", args=["csv"]),
        _page(reports["hole"]),
    ):
        assert client.get(url).status_code == 403, url


def test_the_filters_select_by_state_category_commune_age_and_service(client, desk, reports):
    other_roads = ServiceFactory(territory=desk.territory, commune=desk.second)
    other_roads.members.add(desk.road_agent)
    elsewhere = ReportFactory(category=desk.lighting, service=other_roads, commune=desk.second)
    _ago(reports["hole"], days=10)
    client.force_login(desk.road_agent)

    def listed(**params) -> set[int]:
        response = client.get(DESK, params)
        assert response.status_code == 200, response.context["errors"]
        return set(_listed(response))

    assert listed(status="fixed") == {reports["fixed"].pk}
    assert listed(status="open,fixed") == {
        reports[n].pk for n in ("hole", "hole_second", "private", "fixed")
    } | {elsewhere.pk}
    # A parent category selects its sub-categories too.
    assert listed(category=desk.voirie.pk) == {
        reports[n].pk for n in ("hole", "hole_second", "private")
    }
    assert listed(category=desk.pothole.pk) == {reports[n].pk for n in ("hole", "hole_second")}
    assert listed(commune=desk.second.pk) == {reports["hole_second"].pk, elsewhere.pk}
    assert listed(older_than=7) == {reports["hole"].pk}
    assert listed(service=other_roads.pk) == {elsewhere.pk}
    # The service filter shows once the agent has several services.
    assert 'id="id_service"' in client.get(DESK).content.decode()


def test_a_bad_filter_is_a_400_naming_it(client, desk, reports):
    client.force_login(desk.road_agent)
    for params, label in (
        ({"status": "lost"}, "État"),
        ({"older_than": "-3"}, "Plus ancien que (jours)"),
        ({"category": "99999999"}, "Catégorie"),
        # Another service's: not one of the agent's.
        ({"service": str(desk.lights.pk)}, "Service"),
    ):
        response = client.get(DESK, params)
        assert response.status_code == 400, params
        assert label in response.context["errors"], response.context["errors"]
        assert _listed(response) == []


def test_the_queue_is_paginated(client, desk):
    ReportFactory.create_batch(55, category=desk.pothole, service=desk.roads)
    client.force_login(desk.road_agent)
    first = client.get(DESK)
    assert len(_listed(first)) == 50
    assert "page=2" in first.content.decode()
    second = client.get(DESK, {"page": 2})
    assert len(_listed(second)) == 5
    assert not set(_listed(first)) & set(_listed(second))


def test_the_map_holds_the_filtered_reports_and_their_overdue(client, desk, reports):
    late = _ago(reports["hole"], hours=49)  # nid-de-poule: 48 h to take into account
    client.force_login(desk.road_agent)
    response = client.get(DESK, {"category": desk.pothole.pk})
    config = json.loads(
        response.content.decode()
        .split('id="desk-config" type="application/json">')[1]
        .split("</script>")[0]
    )
    features = {f["id"]: f["properties"] for f in config["reports"]["features"]}
    assert set(features) == {late.pk, reports["hole_second"].pk}
    assert features[late.pk]["overdue"] is True
    assert features[reports["hole_second"].pk]["overdue"] is False
    assert features[late.pk]["url"] == _page(late)
    # Only the house's own tiles unless a basemap is turned on.
    assert config["style"]["sources"]["communes"]["url"].endswith("/tiles/communes.json")
    assert list(config["style"]["sources"]) == ["communes"]


def test_overdue_reports_are_highlighted_in_the_queue(client, desk, reports):
    late = _ago(reports["hole"], hours=49)
    in_time = _ago(reports["hole_second"], hours=47)
    taken_late = ReportFactory(
        category=desk.pothole, service=desk.roads, state=Report.State.ACKNOWLEDGED
    )
    _ago(taken_late, hours=72)
    Report.objects.filter(pk=taken_late.pk).update(
        acknowledged_at=timezone.now() - timedelta(hours=1)
    )
    client.force_login(desk.road_agent)
    response = client.get(DESK)
    rows = {report.pk: report for report in response.context["page"]}
    assert rows[late.pk].overdue and not rows[in_time.pk].overdue
    # Taken into account late: no longer overdue, but said so.
    assert not rows[taken_late.pk].overdue and rows[taken_late.pk].acknowledged_late
    # Without an SLA (the private report's category has none), never overdue.
    assert rows[reports["private"].pk].deadline is None
    html = response.content.decode()
    assert f'<tr id="report-{late.pk}" class="overdue">' in html
    assert f'<tr id="report-{in_time.pk}">' in html
    assert set(_listed(client.get(DESK, {"overdue": "true"}))) == {late.pk}


def test_a_bulk_change_changes_every_ticked_report_and_says_so(client, desk, reports):
    client.force_login(desk.road_agent)
    ids = [reports["hole"].pk, reports["hole_second"].pk]
    response = client.post(
        BULK,
        {"ids": ids, "state": "acknowledged", "text": "Vu, merci.", "query": "commune="},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{DESK}?commune="
    assert "2 signalements sont maintenant « pris en compte »." in response.content.decode()
    assert set(Report.objects.filter(pk__in=ids).values_list("state", flat=True)) == {
        "acknowledged"
    }
    assert ReportUpdate.objects.filter(report_id__in=ids, text="Vu, merci.").count() == 2
    # A second action on the same page works too.
    response = client.post(
        BULK,
        {
            "ids": ids[:1],
            "state": "not_responsible",
            "text": "Route départementale.",
            "reason": "Le Département",
        },
        follow=True,
    )
    assert "1 signalement est maintenant « hors compétence »." in response.content.decode()
    reports["hole"].refresh_from_db()
    assert (reports["hole"].state, reports["hole"].state_reason) == (
        "not_responsible",
        "Le Département",
    )


def test_a_bulk_change_without_its_reason_or_ticks_writes_nothing(client, desk, reports):
    client.force_login(desk.road_agent)
    before = ReportUpdate.objects.count()
    response = client.post(
        BULK, {"ids": [reports["hole"].pk], "state": "not_fixed", "text": "x"}, follow=True
    )
    assert "Rien n’a été changé" in response.content.decode()
    response = client.post(BULK, {"state": "acknowledged"}, follow=True)
    assert "Cochez les signalements à changer." in response.content.decode()
    assert ReportUpdate.objects.count() == before
    assert Report.objects.get(pk=reports["hole"].pk).state == "open"


def test_a_bulk_change_on_another_services_report_is_refused(client, desk, reports):
    client.force_login(desk.road_agent)
    response = client.post(
        BULK, {"ids": [reports["hole"].pk, reports["lamp"].pk], "state": "acknowledged"}
    )
    assert response.status_code == 403
    assert Report.objects.get(pk=reports["hole"].pk).state == "open"
    assert not ReportUpdate.objects.exists()
    client.force_login(desk.resident)
    assert client.post(BULK, {"ids": [reports["hole"].pk], "state": "fixed"}).status_code == 403
    assert Report.objects.get(pk=reports["hole"].pk).state == "open"


def test_the_agents_page_shows_the_report_its_reporter_and_its_history(client, desk, reports):
    private = reports["private"]
    ReportUpdateFactory(report=private, author=desk.road_agent, text="Équipe prévenue.")
    client.force_login(desk.road_agent)
    response = client.get(_page(private))
    assert response.status_code == 200
    html = response.content.decode()
    assert private.description in html
    assert "privé" in html
    assert "Équipe prévenue." in html
    assert "Agent voirie" in html  # the agents see who did what
    assert private.author.email in html  # the services may reach the reporter
    # Another service's agent is refused.
    client.force_login(desk.light_agent)
    assert client.get(_page(private)).status_code == 403
    assert client.get(reverse("signalements:desk-report", args=[999999])).status_code == 404


def test_the_agent_changes_the_state_from_the_page(client, desk, reports):
    hole = reports["hole"]
    client.force_login(desk.road_agent)
    response = client.post(
        _page(hole),
        {"action": "state", "state": "acknowledged", "text": "Nous passons demain."},
        follow=True,
    )
    assert "Le signalement est maintenant « pris en compte »." in response.content.decode()
    hole.refresh_from_db()
    assert hole.state == "acknowledged"
    assert hole.updates.get().text == "Nous passons demain."
    # A state that needs its reason, without it, or no public text: the form says so
    # (the workflow's words), nothing written.
    for posted, said in (
        ({"state": "not_fixed", "text": "Désolés."}, "Dites pourquoi il n&#x27;est pas résolu."),
        ({"state": "in_progress", "text": ""}, "Ce champ est obligatoire."),
        # Only the moves the workflow allows are offered.
        ({"state": "open", "text": "Rouvert."}, "Sélectionnez un choix valide."),
    ):
        response = client.post(_page(hole), {"action": "state", **posted})
        assert response.status_code == 400
        assert said in response.content.decode(), posted
    assert Report.objects.get(pk=hole.pk).state == "acknowledged"
    assert hole.updates.count() == 1


def test_another_services_agent_cannot_post_on_the_page(client, desk, reports):
    hole = reports["hole"]
    client.force_login(desk.light_agent)
    response = client.post(_page(hole), {"action": "state", "state": "fixed", "text": "x"})
    assert response.status_code == 403
    client.force_login(desk.resident)
    response = client.post(_page(hole), {"action": "state", "state": "fixed", "text": "x"})
    assert response.status_code == 403
    assert Report.objects.get(pk=hole.pk).state == "open"
    assert not ReportUpdate.objects.exists()


def test_the_agent_reroutes_to_another_service_of_the_territory(client, desk, reports):
    hole = reports["hole"]
    client.force_login(desk.road_agent)
    elsewhere = ServiceFactory()  # another territory's: not offered, refused
    response = client.post(_page(hole), {"action": "reroute", "service": elsewhere.pk})
    assert response.status_code == 400
    assert Report.objects.get(pk=hole.pk).service == desk.roads
    response = client.post(
        _page(hole), {"action": "reroute", "service": desk.lights.pk, "text": "Pour la CC."}
    )
    # The report left the agent's services: back to the queue.
    assert response["Location"] == DESK
    assert Report.objects.get(pk=hole.pk).service == desk.lights
    client.force_login(desk.light_agent)
    html = client.get(_page(hole)).content.decode()
    assert "Voirie communale (" in html and "Éclairage de la CC" in html


def test_the_agent_marks_a_duplicate(client, desk, reports):
    hole, original = reports["hole_second"], reports["hole"]
    client.force_login(desk.road_agent)
    response = client.post(_page(hole), {"action": "duplicate", "original": hole.pk})
    assert response.status_code == 400
    other_territory = ReportFactory()
    response = client.post(_page(hole), {"action": "duplicate", "original": other_territory.pk})
    assert response.status_code == 400
    assert f"Aucun signalement n° {other_territory.pk}" in response.content.decode()
    response = client.post(
        _page(hole), {"action": "duplicate", "original": original.pk}, follow=True
    )
    assert f"doublon du n° {original.pk}" in response.content.decode()
    hole.refresh_from_db()
    assert (hole.state, hole.duplicate_of_id) == ("duplicate", original.pk)


def test_the_agents_see_the_photos_of_their_reports_only(client, desk, reports):
    from tests.factories.signalements import ReportPhotoFactory

    photo = ReportPhotoFactory(report=reports["private"])
    url = reverse("signalements:desk-photo", args=[reports["private"].pk, photo.pk])
    client.force_login(desk.road_agent)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    client.force_login(desk.light_agent)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"status": "\x00"},
        {"category": "\x00"},
        {"commune": "1\x00"},
        {"service": "abc"},
        {"older_than": "1e999"},
        {"older_than": "\x00"},
        {"overdue": "\x00"},
        {"page": "\x00"},
    ],
)
def test_odd_input_is_never_a_500(client, desk, reports, params):
    client.force_login(desk.road_agent)
    for url in (DESK, reverse("signalements:desk-figures")):
        assert client.get(url, params).status_code in (200, 400), (url, params)
    response = client.get(reverse("signalements:desk-export", args=["csv"]), params)
    assert response.status_code in (200, 400), params
    assert client.post(BULK, {"ids": ["\x00", "1"], "state": "\x00"}).status_code in (302, 403)
    response = client.post(_page(reports["hole"]), {"action": "duplicate", "original": "\x00"})
    assert response.status_code == 400


def test_where_the_module_is_off_its_reports_leave_the_desk(client, desk, reports):
    desk.territory.modules_off = ["signalements"]
    desk.territory.save()
    client.force_login(desk.road_agent)
    assert _listed(client.get(DESK)) == []
    assert client.get(_page(reports["hole"])).status_code == 404
    response = client.post(BULK, {"ids": [reports["hole"].pk], "state": "fixed"})
    assert response.status_code == 403
    assert Report.objects.get(pk=reports["hole"].pk).state == "open"


def test_the_page_offers_only_the_moves_the_workflow_allows(client, desk, reports):
    client.force_login(desk.road_agent)
    offered = [
        code
        for code, _label in client.get(_page(reports["fixed"]))
        .context["state_form"]
        .fields["state"]
        .choices
    ]
    # A fixed report may be reopened as taken into account or in progress, nothing else.
    assert sorted(offered) == ["acknowledged", "in_progress"]
    twin = ReportFactory(
        category=desk.pothole, service=desk.roads, state="duplicate", duplicate_of=reports["hole"]
    )
    html = client.get(_page(twin)).content.decode()
    assert 'id="state-form"' not in html
    assert "Un signalement dans cet état ne change plus ici." in html
