# SPDX-License-Identifier: AGPL-3.0-or-later
"""The campaign's figures and its follow-up in the staff audit journal (core.audit): an
agent's figures (typed or imported), the result they change, an inauguration and a news
taken back, read by the administrators at /admin/journal/, never by the public."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from carto_concertation.core.models import AuditEntry
from carto_concertation.crowdfunding.models import FundingUpdate, Project
from carto_concertation.crowdfunding.services.campaign import figures_update
from carto_concertation.crowdfunding.services.followup import news_delete, works_news_post
from carto_concertation.crowdfunding.services.funding_csv import funding_import
from tests.factories import UserFactory
from tests.factories.accounts import user_with_role

from .campaign_world import upload, world_fixture  # noqa: F401
from .followup_world import funded

pytestmark = pytest.mark.django_db

JOURNAL = "/admin/journal/"
EXPORT = "date;montant;statut;contributeur\n01/03/2026;2500;Payé;C-1\n02/03/2026;1500;Payé;C-2\n"


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def actions() -> list[str]:
    mine = AuditEntry.objects.filter(action__startswith="crowdfunding.").order_by("pk")
    return list(mine.values_list("action", flat=True))


def test_an_agent_s_figures_are_recorded_with_their_origin_the_porteur_s_are_not(world):
    url = f"/api/v1/crowdfunding/projects/{world.project.slug}/figures"
    porteur = _api(world.porteur).post(url, {"raised": 3_200, "contributors": 40}, format="json")
    assert porteur.status_code == 201
    assert actions() == []

    body = {"raised": 3_000, "contributors": 41, "correction_reason": "Un paiement rejeté"}
    agent = _api(world.agent).post(url, body, format="json", REMOTE_ADDR="192.0.2.44")
    assert agent.status_code == 201, agent.content
    (entry,) = AuditEntry.objects.filter(action="crowdfunding.figures_updated")
    update = FundingUpdate.objects.get(source=FundingUpdate.Source.AGENT)
    assert (entry.actor, entry.ip, entry.role) == (world.agent, "192.0.2.44", "planner")
    assert (entry.target_type, entry.target_id) == ("crowdfunding.fundingupdate", str(update.pk))
    assert entry.territory_id == world.project.territory_id
    assert entry.details == {
        "project": world.project.pk,
        "source": "agent",
        "raised": 3_000,
        "contributors": 41,
        "corrected": True,
    }
    assert "Un paiement rejeté" not in str(list(AuditEntry.objects.values()))


def test_an_agent_s_import_is_recorded_once_with_the_import(world):
    record, _report = funding_import(user=world.agent, project=world.project, upload=upload(EXPORT))
    (entry,) = AuditEntry.objects.filter(action__startswith="crowdfunding.")
    assert entry.action == "crowdfunding.figures_updated"
    assert entry.details["source"] == "platform_csv"
    assert entry.details["funding_import"] == record.pk
    assert (entry.details["raised"], entry.details["contributors"]) == (4_000, 2)


def test_the_final_figures_changing_the_result_are_recorded(world):
    today = timezone.localdate()
    project = world.project
    project.campaign_starts_on = today - timedelta(days=50)
    project.campaign_ends_on = today - timedelta(days=5)
    project.status, project.raised = Project.Status.NOT_FUNDED, 9_800
    project.save()

    figures_update(user=world.agent, project=project, raised=10_050, contributors=120)
    figures_update(user=world.agent, project=project, raised=10_060, contributors=121)
    assert actions() == [
        "crowdfunding.figures_updated",
        "crowdfunding.result_changed",
        "crowdfunding.figures_updated",
    ]
    (changed,) = AuditEntry.objects.filter(action="crowdfunding.result_changed")
    assert changed.details == {"before": "not_funded", "after": "funded"}
    assert changed.target_id == str(project.pk) and changed.actor == world.agent


def test_an_agent_s_inauguration_and_a_news_taken_back_are_recorded():
    project = funded()
    agent = user_with_role("planner", territory=project.territory)
    today = timezone.localdate()
    works_news_post(user=project.submitter, project=project, date=today, text="Le chantier avance")
    assert actions() == []
    update = works_news_post(
        user=agent, project=project, date=today, text="Inauguré !", inaugurated=True
    )
    news_delete(user=agent, update=update)
    assert actions() == ["crowdfunding.inaugurated", "crowdfunding.news_deleted"]
    deleted = AuditEntry.objects.get(action="crowdfunding.news_deleted")
    assert (deleted.target_type, deleted.target_id) == ("crowdfunding.worksupdate", str(update.pk))
    assert deleted.details == {"project": project.pk, "inaugurated": True}
    assert "Inauguré" not in str(list(AuditEntry.objects.values()))


def test_the_administrators_read_them_the_public_never(world, client):
    figures_update(user=world.agent, project=world.project, raised=3_000, contributors=1)
    funding_import(user=world.agent, project=world.project, upload=upload(EXPORT))

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(JOURNAL, {"action": "crowdfunding.figures_updated"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<code>crowdfunding.figures_updated</code>") == 2
    assert world.agent.email in html

    client.logout()
    slug = world.project.slug
    for url in (
        f"/api/v1/crowdfunding/projects/{slug}/figures",
        "/api/v1/crowdfunding/figures",
        f"/financement/{slug}/",
        "/financement/chiffres/",
    ):
        answer = client.get(url)
        assert answer.status_code == 200, url
        text = answer.content.decode()
        assert "figures_updated" not in text and world.agent.email not in text, url
    assert client.get(JOURNAL).status_code == 302
