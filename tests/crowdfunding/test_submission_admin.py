# SPDX-License-Identifier: AGPL-3.0-or-later
"""The projects in the admin: the lifecycle submitted through the API, then accepted or
refused (its public reason asked on a page of its own) by the admin's actions through the
services; the status read only, a change checked as the portal checks it, a planner
seeing the projects of their territory only."""

import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from carto_concertation.crowdfunding.models import Project
from tests.factories import CrowdfundingProjectFactory, UserFactory

from .submission_world import as_json, project_data, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
CHANGELIST = "/admin/crowdfunding/project/"


@pytest.fixture(name="superuser")
def superuser_fixture():
    return UserFactory(is_staff=True, is_superuser=True)


def submitted_through_the_api(client, world, title: str) -> Project:
    client.force_login(world.porteur)
    body = as_json(project_data(world, title=title))
    body["territory"] = world.territory.pk
    response = client.post(
        "/api/v1/crowdfunding/projects/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return Project.objects.get(slug=response.json()["slug"])


def act(client, action: str, projects, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [p.pk for p in projects], **extra}
    return client.post(CHANGELIST, data)


def test_the_lifecycle_submitted_through_the_api_accepted_in_the_admin(client, world, superuser):
    project = submitted_through_the_api(client, world, "Toiture solaire")
    client.force_login(superuser)
    response = act(client, "accept_selected", [project])
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Project.Status.ACCEPTED and project.decided_by == superuser
    # A second decision is refused by the service, and said.
    response = act(client, "accept_selected", [project])
    assert project.status == Project.Status.ACCEPTED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("n’attend plus de décision" in m for m in messages)


def test_the_lifecycle_submitted_through_the_api_refused_in_the_admin(client, world, superuser):
    first = submitted_through_the_api(client, world, "Verger")
    second = submitted_through_the_api(client, world, "Préau")
    client.force_login(superuser)
    asked = act(client, "refuse_selected", [first, second])
    assert asked.status_code == 200
    page = asked.content.decode()
    assert 'name="reason"' in page and "Verger" in page and "Préau" in page
    empty = act(client, "refuse_selected", [first, second], apply="1", reason="  ")
    assert empty.status_code == 400
    assert Project.objects.filter(status=Project.Status.SUBMITTED).count() == 2
    reason = "Hors <b>sujet</b> & « loin »"
    done = act(client, "refuse_selected", [first, second], apply="1", reason=reason)
    assert done.status_code == 302
    for project in (first, second):
        project.refresh_from_db()
        assert (project.status, project.refusal_reason) == (Project.Status.REFUSED, reason)


def _change_data(project: Project, **changes) -> dict:
    data = {
        "title": project.title,
        "summary": project.summary,
        "description": project.description,
        "theme": project.theme,
        "geom": project.geom.ewkt,
        "porteur_kind": project.porteur_kind,
        "porteur_name": project.porteur_name,
        "modality": project.modality,
        "interest_rate": project.interest_rate or "",
        "loan_months": project.loan_months or "",
        "goal": project.goal,
        "total_budget": project.total_budget or "",
        "campaign_starts_on": project.campaign_starts_on.isoformat(),
        "campaign_ends_on": project.campaign_ends_on.isoformat(),
        "platform": project.platform,
        "platform_name": project.platform_name,
        "campaign_url": project.campaign_url,
        "cofunding": "",
        "public_meeting_on": "",
        "public_meeting_place": "",
        "status": Project.Status.FUNDED,  # read only: ignored
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_the_change_page_has_the_map_and_goes_through_the_service(client, world, superuser):
    project = submitted_through_the_api(client, world, "Toiture")
    client.force_login(superuser)
    url = f"{CHANGELIST}{project.pk}/change/"
    page = client.get(url).content.decode()
    assert "vendor/ol/ol.js" in page and 'name="status"' not in page
    refused = client.post(url, _change_data(project, goal="0"))
    assert refused.status_code == 200 and "goal" in refused.context["adminform"].form.errors
    project.refresh_from_db()
    assert project.goal == 20_000
    saved = client.post(url, _change_data(project, supported="on", cofunding="1500"))
    assert saved.status_code == 302
    project.refresh_from_db()
    assert project.supported and project.cofunding == 1500
    assert project.status == Project.Status.SUBMITTED


def test_a_project_in_campaign_is_no_longer_changed_in_the_admin(client, world, superuser):
    project = CrowdfundingProjectFactory(territory=world.territory)
    client.force_login(superuser)
    url = f"{CHANGELIST}{project.pk}/change/"
    response = client.post(url, _change_data(project, title="Autre"))
    assert response.status_code == 200
    project.refresh_from_db()
    assert project.title != "Autre"


def test_a_planner_reviews_their_territorys_projects_only(client, world):
    mine = submitted_through_the_api(client, world, "Chez nous")
    elsewhere = CrowdfundingProjectFactory(
        territory=world.elsewhere, status=Project.Status.SUBMITTED, title="Ailleurs"
    )
    client.force_login(world.planner)
    page = client.get(CHANGELIST).content.decode()
    assert "Chez nous" in page and "Ailleurs" not in page
    act(client, "accept_selected", [mine, elsewhere])
    mine.refresh_from_db()
    elsewhere.refresh_from_db()
    assert mine.status == Project.Status.ACCEPTED
    assert elsewhere.status == Project.Status.SUBMITTED
    client.force_login(world.foreign_planner)
    assert client.get(f"{CHANGELIST}{mine.pk}/change/").status_code in (302, 404)
