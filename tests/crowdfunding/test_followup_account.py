# SPDX-License-Identifier: AGPL-3.0-or-later
"""A person's crowdfunding on their account page (the projects they carry, with where
each stands and the pages to work on it; the projects they follow), in "download my
data" (projects, follows, news written), and what deleting the account does."""

import json

import pytest
from django.utils import timezone
from django.utils.text import capfirst

from carto_concertation.crowdfunding.models import Project, ProjectFollower
from carto_concertation.crowdfunding.services.followup import project_follow, works_news_post
from tests.accounts.my_data import my_data_files
from tests.factories import CrowdfundingProjectFactory, FundingUpdateFactory, UserFactory
from tests.factories.accounts import PASSWORD

from .followup_world import jpeg_upload, signed_in, world_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.french]


def status(value: Project.Status) -> str:
    return capfirst(str(value.label))


def section(page: str, name: str) -> str:
    start = page.index(f'id="{name}"')
    return page[start : page.index("</section>", start)]


def test_the_porteur_sees_their_projects_with_their_status_and_pages(world):
    CrowdfundingProjectFactory(
        submitter=world.porteur,
        title="Halle <du> marché",
        status=Project.Status.REFUSED,
        refusal_reason="Le terrain n'est pas communal.",
    )
    CrowdfundingProjectFactory(
        submitter=world.porteur, title="Verger", status=Project.Status.SUBMITTED
    )
    page = signed_in(world.porteur).get("/accounts/").content.decode()
    mine = section(page, "my-crowdfunding-projects")
    # The statuses as the model names them (their French is the foundation's msgids).
    assert "Toiture solaire de l’école" in mine and status(Project.Status.FUNDED) in mine
    assert f'href="/financement/gestion/{world.project.slug}/nouvelles/"' in mine
    assert f'href="/financement/{world.project.slug}/"' in mine
    assert "Halle &lt;du&gt; marché" in mine and status(Project.Status.REFUSED) in mine
    assert "Le terrain n&#x27;est pas communal." in mine
    assert "Verger" in mine and status(Project.Status.SUBMITTED) in mine
    assert "Vous ne suivez aucun projet" in section(page, "my-crowdfunding-follows")


def test_a_follower_sees_the_projects_they_follow(world):
    project_follow(user=world.resident, project=world.project)
    page = signed_in(world.resident).get("/accounts/").content.decode()
    follows = section(page, "my-crowdfunding-follows")
    assert "Toiture solaire de l’école" in follows
    assert f'href="/financement/{world.project.slug}/"' in follows
    assert "Vous ne portez aucun projet" in section(page, "my-crowdfunding-projects")


def test_an_agent_finds_the_projects_to_review_and_a_resident_does_not(world):
    link = 'href="/financement/gestion/">Financement participatif : examiner les projets</a>'
    assert link in signed_in(world.planner).get("/accounts/").content.decode()
    assert link not in signed_in(world.resident).get("/accounts/").content.decode()


def test_someone_with_no_project_and_no_follow_has_no_panel(world):
    page = signed_in(UserFactory()).get("/accounts/").content.decode()
    assert 'id="my-crowdfunding-projects"' not in page


def test_my_data_holds_my_projects_follows_news_and_figures_and_no_one_else_s(world):
    other = CrowdfundingProjectFactory(title="Épicerie", submitter=UserFactory())
    project_follow(user=world.porteur, project=other)
    project_follow(user=UserFactory(), project=world.project)
    works_news_post(
        user=world.porteur,
        project=world.project,
        date=timezone.localdate(),
        text="Les panneaux sont posés.",
        photo=jpeg_upload(),
    )
    works_news_post(
        user=world.planner, project=world.project, date=timezone.localdate(), text="Par l'agent."
    )
    FundingUpdateFactory(project=world.project, entered_by=world.porteur, raised=12_400)
    FundingUpdateFactory(project=world.project, entered_by=world.planner, raised=12_401)
    files = my_data_files(signed_in(world.porteur))
    [figures] = files["crowdfunding_figures.json"]["crowdfunding_figures"]
    assert (figures["project"], figures["raised"]) == (world.project.slug, 12_400)
    [project] = files["crowdfunding_projects.json"]["crowdfunding_projects"]
    assert project["slug"] == world.project.slug and project["status"] == "funded"
    assert project["raised"] == 12_400 and project["contributors"] == 87
    [feature] = files["crowdfunding_projects.geojson"]["features"]
    lon, lat = feature["geometry"]["coordinates"]
    assert -180 <= lon <= 180 and -90 <= lat <= 90
    [follow] = files["crowdfunding_follows.json"]["crowdfunding_follows"]
    assert follow["project"] == other.slug
    [news] = files["crowdfunding_news.json"]["crowdfunding_news"]
    assert news["text"] == "Les panneaux sont posés." and news["photo"].endswith(".jpg")
    assert "Par l'agent." not in json.dumps(files, ensure_ascii=False)


def test_deleting_my_account_keeps_my_public_project_for_the_agents(world):
    project_follow(user=world.porteur, project=world.project)
    news = works_news_post(
        user=world.porteur, project=world.project, date=timezone.localdate(), text="Posé."
    )
    submitted = CrowdfundingProjectFactory(submitter=world.porteur, status=Project.Status.SUBMITTED)
    client = signed_in(world.porteur)
    assert client.post("/accounts/delete/", {"password": PASSWORD}).status_code == 302
    assert not Project.objects.filter(pk=submitted.pk).exists()
    world.project.refresh_from_db()
    assert world.project.submitter is None and world.project.status == Project.Status.FUNDED
    assert not ProjectFollower.objects.exists()
    news.refresh_from_db()
    assert news.author is None and news.text == "Posé.", "the news stays, without its author"
    # The territory's agents carry on with its news.
    assert (
        signed_in(world.planner)
        .get(f"/financement/gestion/{world.project.slug}/nouvelles/")
        .status_code
        == 200
    )
