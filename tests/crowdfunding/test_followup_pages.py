# SPDX-License-Identifier: AGPL-3.0-or-later
"""The follow-up's pages without JavaScript, in French: the news of the works (the
porteur's and the agents' page, forms posted), the project page's follow-up section
(news, photos with their alt text, "inauguré le", the follow button) and following a
project (signed in, or through the login and back)."""

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.formats import date_format

from carto_concertation.crowdfunding.models import Project, ProjectFollower, WorksUpdate
from tests.factories import CrowdfundingProjectFactory, WorksUpdateFactory

from .followup_world import jpeg_upload, signed_in, world_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.french]


def news_page(project) -> str:
    return f"/financement/gestion/{project.slug}/nouvelles/"


def project_page(project) -> str:
    return f"/financement/{project.slug}/"


def follow_page(project) -> str:
    return f"/financement/{project.slug}/suivre/"


def today() -> str:
    return timezone.localdate().isoformat()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_porteur_posts_news_one_after_the_other_on_the_same_page(world):
    client = signed_in(world.porteur)
    page = client.get(news_page(world.project))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert "Retirer cette nouvelle" not in html, "taking back is the agents'"

    first = client.post(
        news_page(world.project),
        {"action": "news", "date": today(), "text": "Chantier ouvert.", "photo": jpeg_upload()},
    )
    assert first.status_code == 302 and first["Location"] == news_page(world.project)
    second = client.post(
        news_page(world.project),
        {"action": "news", "date": today(), "text": "Inauguration !", "inaugurated": "on"},
        follow=True,
    )
    assert "La nouvelle est publiée." in second.content.decode()
    assert list(WorksUpdate.objects.order_by("pk").values_list("text", "inaugurated")) == [
        ("Chantier ouvert.", False),
        ("Inauguration !", True),
    ]
    world.project.refresh_from_db()
    assert world.project.status == Project.Status.INAUGURATED


def test_bad_input_shows_the_form_again_with_the_reason_and_writes_nothing(world):
    client = signed_in(world.porteur)
    too_early = (world.project.campaign_ends_on - timedelta(days=1)).isoformat()
    response = client.post(
        news_page(world.project),
        {"action": "news", "date": too_early, "text": "Les travaux <b>commencent</b>."},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Les travaux suivent la campagne" in html
    assert 'id="id_date_error"' in html
    assert "Les travaux &lt;b&gt;commencent&lt;/b&gt;." in html, "what was typed, kept"
    assert not WorksUpdate.objects.exists()


def test_an_agent_takes_a_news_back_then_posts_again(world):
    mistaken = WorksUpdateFactory(project=world.project, text="Erreur de projet.")
    client = signed_in(world.planner)
    assert "Retirer cette nouvelle" in client.get(news_page(world.project)).content.decode()
    taken_back = client.post(news_page(world.project), {"action": "delete", "news": mistaken.pk})
    assert taken_back.status_code == 302
    assert not WorksUpdate.objects.exists()
    again = client.post(
        news_page(world.project), {"action": "news", "date": today(), "text": "La bonne nouvelle."}
    )
    assert again.status_code == 302
    assert WorksUpdate.objects.get().text == "La bonne nouvelle."


def test_the_porteur_cannot_take_a_news_back(world):
    update = WorksUpdateFactory(project=world.project)
    response = signed_in(world.porteur).post(
        news_page(world.project), {"action": "delete", "news": update.pk}
    )
    assert response.status_code == 403
    assert WorksUpdate.objects.filter(pk=update.pk).exists()


def test_who_may_not_manage_the_project_does_not_find_its_news_page(world):
    assert signed_in(world.resident).get(news_page(world.project)).status_code == 404
    assert signed_in(world.other_planner).get(news_page(world.project)).status_code == 404
    anonymous = Client().get(news_page(world.project))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_a_project_in_campaign_has_no_news_form_yet(world):
    in_campaign = CrowdfundingProjectFactory(submitter=world.porteur)
    html = signed_in(world.porteur).get(news_page(in_campaign)).content.decode()
    assert "une fois la campagne financée" in html
    assert 'name="text"' not in html


def test_the_project_page_shows_the_news_newest_first_with_their_photos(world):
    end = world.project.campaign_ends_on
    signed_in(world.porteur).post(
        news_page(world.project),
        {
            "action": "news",
            "date": (end + timedelta(days=2)).isoformat(),
            "text": "Les élèves & les parents <coupent> le ruban.",
            "photo": jpeg_upload(),
            "inaugurated": "on",
        },
    )
    WorksUpdateFactory(project=world.project, date=end, text="Commande des panneaux.")
    html = Client().get(project_page(world.project)).content.decode()
    day = date_format(end + timedelta(days=2), "DATE_FORMAT")
    assert f"Inauguré le {day}" in text_of(html)
    assert html.index("le ruban") < html.index("Commande des panneaux"), "newest first"
    assert "Les élèves &amp; les parents &lt;coupent&gt; le ruban." in html, "escaped once"
    [img] = re.findall(r"<img [^>]+>", html)
    assert 'alt="Photo des travaux de « Toiture solaire de l’école »' in img
    photo = Client().get(re.search(r'src="([^"]+)"', img).group(1))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"


def test_following_from_the_project_page_and_back(world):
    client = signed_in(world.resident)
    html = client.get(project_page(world.project)).content.decode()
    assert f'action="{follow_page(world.project)}"' in html
    assert "Suivre ce projet" in html
    followed = client.post(follow_page(world.project), {"action": "follow"}, follow=True)
    assert followed.redirect_chain == [(project_page(world.project), 302)]
    html = followed.content.decode()
    assert "Vous suivez ce projet" in html and "Ne plus suivre ce projet" in html
    assert ProjectFollower.objects.filter(user=world.resident).count() == 1
    unfollowed = client.post(follow_page(world.project), {"action": "unfollow"}, follow=True)
    assert "Vous ne suivez plus ce projet." in unfollowed.content.decode()
    assert not ProjectFollower.objects.exists()


def test_anonymous_follow_goes_through_the_login_and_comes_back(world):
    response = Client().post(follow_page(world.project), {"action": "follow"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert unquote(response["Location"]).endswith("next=" + follow_page(world.project))
    assert not ProjectFollower.objects.exists()
    # Back there once signed in: the page asks again, its form follows.
    client = signed_in(world.resident)
    again = client.get(follow_page(world.project)).content.decode()
    assert 'value="follow"' in again and "csrfmiddlewaretoken" in again
    client.post(follow_page(world.project), {"action": "follow"})
    assert ProjectFollower.objects.filter(user=world.resident).exists()


def test_a_refused_project_is_not_followed_and_says_why(world):
    refused = CrowdfundingProjectFactory(
        status=Project.Status.REFUSED, refusal_reason="Hors du territoire."
    )
    client = signed_in(world.resident)
    assert "Suivre ce projet" not in client.get(project_page(refused)).content.decode()
    response = client.post(follow_page(refused), {"action": "follow"}, follow=True)
    assert "Seul un projet présenté sur le portail peut être suivi." in response.content.decode()
    assert not ProjectFollower.objects.exists()


def test_a_submitted_project_has_no_follow_page(world):
    submitted = CrowdfundingProjectFactory(status=Project.Status.SUBMITTED)
    assert signed_in(world.resident).post(follow_page(submitted)).status_code == 404
