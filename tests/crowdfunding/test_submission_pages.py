# SPDX-License-Identifier: AGPL-3.0-or-later
"""The submission and review pages, in French and without JavaScript: the submission
form (coordinates or a commune), "Mes projets", the agents' queue, the review page
(accept; refuse with a public reason; the support; a second action on the same page),
text escaped exactly once, and who reaches what."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from carto_concertation.crowdfunding.models import Project
from carto_concertation.territories.services import territory_modules_switch
from tests.factories import CrowdfundingProjectFactory

from .submission_world import as_form, photo, project_data, world_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.french]
PROPOSE = "/financement/proposer/"
SCRIPT = "<script>alert('x')</script> & \"l’école\""


def one_portal(world) -> None:
    territory_modules_switch(territory=world.elsewhere, modules_off=["crowdfunding"])


def submitted(world, **changes) -> Project:
    return CrowdfundingProjectFactory(
        territory=world.territory,
        submitter=world.porteur,
        status=Project.Status.SUBMITTED,
        campaign_starts_on=timezone.localdate().replace(year=timezone.localdate().year + 1),
        campaign_ends_on=timezone.localdate().replace(year=timezone.localdate().year + 1),
        **changes,
    )


def test_the_form_says_the_money_goes_through_the_platform(client, world):
    one_portal(world)
    client.force_login(world.porteur)
    page = client.get(PROPOSE).content.decode()
    assert "jamais par ce site" in page
    assert 'name="interest_rate"' in page and 'name="loan_months"' in page
    assert 'name="territory"' not in page  # one portal: its territory
    assert f'<option value="{world.first.pk}">{world.first.name}</option>' in page


def test_signed_out_the_form_sends_to_sign_in(client, world):
    response = client.get(PROPOSE)
    assert response.status_code == 302 and "?next=/financement/proposer/" in response["Location"]


def test_a_submission_by_coordinates_without_javascript(client, world):
    one_portal(world)
    client.force_login(world.porteur)
    form = as_form(project_data(world, title=SCRIPT))
    form["photos"] = [photo()]
    response = client.post(PROPOSE, form)
    assert response.status_code == 302 and response["Location"] == "/financement/mes-projets/"
    project = Project.objects.get()
    assert project.title == SCRIPT and project.commune == world.second
    assert project.photos.count() == 1
    page = client.get("/financement/mes-projets/").content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;l’école&quot;" in page
    assert "<script>alert" not in page and "&amp;lt;" not in page
    assert "déposé" in page


def test_a_submission_by_commune_and_with_several_territories(client, world):
    client.force_login(world.porteur)
    form = as_form(project_data(world))
    del form["longitude"], form["latitude"]
    form["commune"] = world.first.pk
    response = client.post(PROPOSE, form)
    assert response.status_code == 400 and "territory" in response.context["form"].errors
    form["territory"] = world.territory.pk
    assert client.post(PROPOSE, form).status_code == 302
    assert Project.objects.get().commune == world.first


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"goal": "0"}, "goal"),
        ({"campaign_url": "http://www.collecticity.fr/x"}, "campaign_url"),
        ({"longitude": "2.35", "latitude": "48.85"}, "longitude"),
        ({"interest_rate": ""}, "interest_rate"),
        ({"total_budget": "100"}, "total_budget"),
        ({"campaign_ends_on": (date.today() + timedelta(days=5)).isoformat()}, "campaign_ends_on"),
        ({"goal": "-5"}, "goal"),
    ],
)
def test_a_refused_form_comes_back_with_the_message_under_its_field(client, world, changes, field):
    one_portal(world)
    client.force_login(world.porteur)
    form = as_form(project_data(world, title=SCRIPT))
    form.update(changes)
    response = client.post(PROPOSE, form)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    page = response.content.decode()
    assert (
        'value="&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;l’école&quot;"'
        in page
    )
    assert not Project.objects.exists()


def test_my_projects_show_the_refusal_reason(client, world):
    submitted(world, title="En attente")
    CrowdfundingProjectFactory(
        territory=world.territory,
        submitter=world.porteur,
        status=Project.Status.REFUSED,
        refusal_reason="Hors <b>sujet</b>",
        title="Refusé",
    )
    CrowdfundingProjectFactory(territory=world.territory, submitter=world.other, title="Pas à moi")
    client.force_login(world.porteur)
    page = client.get("/financement/mes-projets/").content.decode()
    assert "En attente" in page and "Refusé" in page and "Pas à moi" not in page
    assert "Hors &lt;b&gt;sujet&lt;/b&gt;" in page


def test_the_queue_lists_the_waiting_projects_first_and_only_the_territorys(client, world):
    CrowdfundingProjectFactory(territory=world.territory, title="Déjà en campagne")
    submitted(world, title="À décider")
    CrowdfundingProjectFactory(territory=world.elsewhere, title="Ailleurs")
    client.force_login(world.planner)
    page = client.get("/financement/gestion/").content.decode()
    assert page.index("À décider") < page.index("Déjà en campagne")
    assert "Ailleurs" not in page
    assert "1 projet attend une décision" in page
    client.force_login(world.porteur)
    assert client.get("/financement/gestion/").status_code == 403


def test_the_agent_accepts_then_sets_the_support_on_the_same_page(client, world):
    project = submitted(world, title=SCRIPT)
    url = f"/financement/gestion/{project.slug}/"
    client.force_login(world.planner)
    page = client.get(url).content.decode()
    assert (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page and "<script>alert" not in page
    )
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 302 and response["Location"] == url
    project.refresh_from_db()
    assert project.status == Project.Status.ACCEPTED
    page = client.get(url).content.decode()
    assert 'id="accept-form"' not in page and "campagne à venir" in page
    response = client.post(
        url,
        {
            "action": "support",
            "supported": "on",
            "cofunding": "3000",
            "public_meeting_on": "",
            "public_meeting_place": "Salle « des fêtes »",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.supported and project.cofunding == 3000
    assert project.public_meeting_place == "Salle « des fêtes »"


def test_the_agent_refuses_with_a_reason_and_an_empty_one_is_refused(client, world):
    project = submitted(world)
    url = f"/financement/gestion/{project.slug}/"
    client.force_login(world.planner)
    response = client.post(url, {"action": "refuse", "reason": "  "})
    assert response.status_code == 400 and "reason" in response.context["refuse_form"].errors
    project.refresh_from_db()
    assert project.status == Project.Status.SUBMITTED
    assert (
        client.post(url, {"action": "refuse", "reason": "Sans lien <i>local</i>"}).status_code
        == 302
    )
    project.refresh_from_db()
    assert (project.status, project.refusal_reason) == ("refused", "Sans lien <i>local</i>")
    page = client.get(url).content.decode()
    assert "Sans lien &lt;i&gt;local&lt;/i&gt;" in page


def test_the_porteur_changes_the_project_but_neither_decides_nor_supports(client, world):
    project = submitted(world)
    url = f"/financement/gestion/{project.slug}/"
    client.force_login(world.porteur)
    page = client.get(url).content.decode()
    assert 'id="edit-form"' in page and 'id="accept-form"' not in page
    assert 'id="support-form"' not in page
    assert client.post(url, {"action": "accept"}).status_code == 403
    assert client.post(url, {"action": "support", "supported": "on"}).status_code == 403
    form = {
        k: v
        for k, v in as_form(project_data(world, title="Nouveau")).items()
        if k not in ("longitude", "latitude")
    }
    form["action"] = "edit"
    assert client.post(url, form).status_code == 302
    project.refresh_from_db()
    assert project.title == "Nouveau" and project.status == Project.Status.SUBMITTED
    assert not project.supported


@pytest.mark.parametrize("who", ["other", "foreign_planner"])
def test_another_porteur_or_another_territorys_planner_find_nothing(client, world, who):
    project = submitted(world)
    client.force_login(getattr(world, who))
    url = f"/financement/gestion/{project.slug}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "accept"}).status_code == 404
    project.refresh_from_db()
    assert project.status == Project.Status.SUBMITTED


def test_an_unknown_action_writes_nothing(client, world):
    project = submitted(world)
    client.force_login(world.planner)
    response = client.post(f"/financement/gestion/{project.slug}/", {"action": "explode"})
    assert response.status_code == 400
    project.refresh_from_db()
    assert project.status == Project.Status.SUBMITTED


def test_every_form_posts_with_its_csrf_token(client, world):
    project = submitted(world)
    client.force_login(world.planner)
    page = client.get(f"/financement/gestion/{project.slug}/").content.decode()
    forms = re.findall(r'<form[^>]*id="(?:accept|refuse|support|edit)-form".*?</form>', page, re.S)
    assert len(forms) == 4
    assert all('method="post"' in form and "csrfmiddlewaretoken" in form for form in forms)
