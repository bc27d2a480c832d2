# SPDX-License-Identifier: AGPL-3.0-or-later
"""An account banned from a territory (engagement's Ban) on the crowdfunding portal: its
project waits for the agents as any other, marked for them alone; its news of the works
is kept, shown to its author as if published, to no one else, and no follower hears of
it. A lifted ban lets the next ones through."""

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from carto_concertation.core.models import AuditEntry
from carto_concertation.crowdfunding.models import Project, WorksUpdate
from carto_concertation.crowdfunding.services.followup import project_follow, works_news_post
from carto_concertation.crowdfunding.services.projects import project_submit
from carto_concertation.engagement.services import ban_lift
from tests.factories import UserFactory
from tests.factories.accounts import user_with_role
from tests.factories.contributions import BanFactory

from .followup_world import funded, jpeg_upload
from .submission_world import project_data, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_banned_account_s_project_waits_marked_for_the_agents_alone(world):
    ban = BanFactory(territory=world.territory, user=world.porteur)
    held = project_submit(
        user=world.porteur, territory=world.territory, data=project_data(world, title="Un four")
    )
    assert (held.status, held.held) == (Project.Status.SUBMITTED, True)
    other = project_submit(
        user=world.other, territory=world.territory, data=project_data(world, title="Un lavoir")
    )
    assert other.held is False

    queue = signed_in(world.planner).get("/financement/gestion/").content.decode()
    row = queue[queue.index(f'id="project-{held.slug}"') :]
    assert 'class="held"' in row[: row.index("</tr>")]
    assert queue.count('class="held"') == 1
    review = signed_in(world.planner).get(f"/financement/gestion/{held.slug}/")
    assert 'id="held"' in review.content.decode()
    other_review = signed_in(world.planner).get(f"/financement/gestion/{other.slug}/")
    assert 'id="held"' not in other_review.content.decode()

    mine = signed_in(world.porteur).get("/financement/mes-projets/").content.decode()
    assert "Un four" in mine and "banni" not in mine and "held" not in mine
    api = APIClient()
    api.force_authenticate(world.porteur)
    assert "held" not in api.get("/api/v1/crowdfunding/projects/mine").content.decode()

    ban_lift(ban=ban, lifted_by=world.planner)
    again = project_submit(
        user=world.porteur, territory=world.territory, data=project_data(world, title="Un puits")
    )
    assert again.held is False


def test_a_banned_porteur_s_news_is_kept_shown_to_them_alone_and_told_to_no_one(
    eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    project = funded(title="Toiture solaire de l’école")
    porteur, follower, stranger = project.submitter, UserFactory(), UserFactory()
    agent = user_with_role("planner", territory=project.territory)
    project_follow(user=follower, project=project)
    ban = BanFactory(territory=project.territory, user=porteur)
    today = timezone.localdate()

    with django_capture_on_commit_callbacks(execute=True):
        hidden = works_news_post(
            user=porteur,
            project=project,
            date=today,
            text="Nouvelle cachée du porteur",
            photo=jpeg_upload(),
            inaugurated=True,
        )
    assert hidden.hidden is True
    assert mailoutbox == []
    project.refresh_from_db()
    assert project.status == Project.Status.FUNDED, "a hidden news inaugurates nothing"

    page_url = f"/financement/{project.slug}/"
    news_url = f"/api/v1/crowdfunding/projects/{project.slug}/news"
    photo_url = f"/financement/{project.slug}/nouvelles/{hidden.pk}/photo"
    for reader in (None, stranger, follower, agent):
        client = signed_in(reader) if reader else Client()
        assert "Nouvelle cachée" not in client.get(page_url).content.decode()
        assert "Nouvelle cachée" not in client.get(news_url).content.decode()
        assert client.get(photo_url).status_code == (200 if reader == agent else 404)

    own = signed_in(porteur)
    assert "Nouvelle cachée" in own.get(page_url).content.decode()
    listed = own.get(news_url).json()
    assert [item["text"] for item in listed["results"]] == ["Nouvelle cachée du porteur"]
    assert "hidden" not in str(listed)
    photo = own.get(photo_url)
    assert photo.status_code == 200 and photo["Cache-Control"] == "private, no-store"

    # The agents' page shows it, marked, to take it back; the porteur's shows no mark.
    manage_url = f"/financement/gestion/{project.slug}/nouvelles/"
    managed = signed_in(agent).get(manage_url).content.decode()
    assert "Nouvelle cachée" in managed and 'class="held"' in managed
    assert 'class="held"' not in own.get(manage_url).content.decode()

    ban_lift(ban=ban, lifted_by=agent)
    with django_capture_on_commit_callbacks(execute=True):
        shown = works_news_post(user=porteur, project=project, date=today, text="Après la levée")
    assert shown.hidden is False
    assert [mail.to for mail in mailoutbox] == [[follower.email]]
    assert "Après la levée" in Client().get(page_url).content.decode()
    assert "Nouvelle cachée" not in Client().get(page_url).content.decode()
    taken_back = signed_in(agent).post(manage_url, {"action": "delete", "news": hidden.pk})
    assert taken_back.status_code == 302
    assert not WorksUpdate.objects.filter(pk=hidden.pk).exists()


def test_an_agent_publishes_a_banned_porteur_s_news_after_review_and_it_is_recorded(
    eager_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    project = funded(title="Four à pain du hameau")
    porteur, follower = project.submitter, UserFactory()
    agent = user_with_role("planner", territory=project.territory)
    project_follow(user=follower, project=project)
    BanFactory(territory=project.territory, user=porteur)
    with django_capture_on_commit_callbacks(execute=True):
        hidden = works_news_post(
            user=porteur,
            project=project,
            date=timezone.localdate(),
            text="Le four est inauguré",
            inaugurated=True,
        )
    assert hidden.hidden is True
    manage_url = f"/financement/gestion/{project.slug}/nouvelles/"
    publish = {"action": "publish", "news": hidden.pk}

    # The porteur sees no such action and may not take it.
    assert "Publier cette nouvelle" not in signed_in(porteur).get(manage_url).content.decode()
    assert signed_in(porteur).post(manage_url, publish).status_code == 403
    assert WorksUpdate.objects.get(pk=hidden.pk).hidden is True

    agent_client = signed_in(agent)
    page = agent_client.get(manage_url).content.decode()
    assert 'class="news-publish"' in page and "Publier cette nouvelle après relecture" in page
    with django_capture_on_commit_callbacks(execute=True):
        published = agent_client.post(manage_url, publish, REMOTE_ADDR="192.0.2.7")
    assert published.status_code == 302
    assert WorksUpdate.objects.get(pk=hidden.pk).hidden is False
    project.refresh_from_db()
    assert project.status == Project.Status.INAUGURATED
    assert [mail.to for mail in mailoutbox] == [[follower.email]]
    assert "Le four est inauguré" in Client().get(f"/financement/{project.slug}/").content.decode()
    (entry,) = AuditEntry.objects.filter(action="crowdfunding.news_published")
    assert (entry.actor, entry.ip, entry.role) == (agent, "192.0.2.7", "planner")
    assert (entry.target_type, entry.target_id) == ("crowdfunding.worksupdate", str(hidden.pk))
    assert "Le four" not in str(entry.details)
    assert 'class="news-publish"' not in agent_client.get(manage_url).content.decode()


def test_held_projects_are_shown_and_filtered_in_the_admin_list(world):
    BanFactory(territory=world.territory, user=world.porteur)
    held = project_submit(
        user=world.porteur, territory=world.territory, data=project_data(world, title="Un four")
    )
    project_submit(
        user=world.other, territory=world.territory, data=project_data(world, title="Un lavoir")
    )
    admin = signed_in(UserFactory(is_staff=True, is_superuser=True))

    listed = admin.get("/admin/crowdfunding/project/").content.decode()
    assert "column-held" in listed
    only_held = admin.get("/admin/crowdfunding/project/?held__exact=1").content.decode()
    assert "Un four" in only_held and "Un lavoir" not in only_held
    assert f"/admin/crowdfunding/project/{held.pk}/change/" in only_held
