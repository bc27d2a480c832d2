# SPDX-License-Identifier: AGPL-3.0-or-later
"""The planner's page of an idea: only the planners of its territory (and the
administrators) read it and post on it; they answer in their own words or from a
template that only fills the form, give the idea to a service and keep notes."""

import json

import pytest
from django.test import Client

from carto_concertation.contributions.comments import comment_create
from carto_concertation.contributions.models import AnswerTemplate, Contribution, InternalNote
from carto_concertation.engagement.models import ModerationAction
from tests.factories import ConcertationFactory, UserFactory
from tests.worlds import demo_user, make_idea

from .conftest import page_url

pytestmark = pytest.mark.django_db

POSTS = (
    {"action": "answer", "status": "retained", "answer": "Oui.", "answer_service": "Urbanisme"},
    {"action": "assign", "service": "Voirie"},
    {"action": "note", "text": "À voir."},
    {"action": "template", "template": "1"},
)


@pytest.fixture(params=["resident", "relay", "moderator", "other_planner"])
def outsider(request, other_planner):
    if request.param == "other_planner":
        return other_planner
    return demo_user(
        {
            "resident": "habitant@demo.invalid",
            "relay": "relais@demo.invalid",
            "moderator": "moderation@demo.invalid",
        }[request.param]
    )


def test_outsiders_get_403_on_the_page_and_every_post(client, open_concertation, idea, outsider):
    client.force_login(outsider)
    url = page_url(open_concertation, idea)
    assert client.get(url).status_code == 403
    for data in POSTS:
        assert client.post(url, data).status_code == 403, data
    dashboard = f"/concertations/{open_concertation.slug}/tableau-de-bord/"
    assert (
        client.post(dashboard + "reponses/", {"template": 1, "ids": [idea.pk]}).status_code == 403
    )
    assert client.post(dashboard + "bilan/publication/", {"job": "x"}).status_code == 403
    idea.refresh_from_db()
    assert (idea.status, idea.assigned_service) == ("published", "")
    assert not InternalNote.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, open_concertation, idea):
    response = client.get(page_url(open_concertation, idea))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(page_url(open_concertation, idea), POSTS[2]).status_code == 302
    assert not InternalNote.objects.exists()


def test_an_idea_of_another_concertation_is_not_found(client, open_concertation, planner):
    other = ConcertationFactory(territory=open_concertation.territory)
    elsewhere = make_idea(other, UserFactory())
    client.force_login(planner)
    assert client.get(page_url(open_concertation, elsewhere)).status_code == 404
    assert (
        client.get(f"/concertations/{open_concertation.slug}/idees/999999/traitement/").status_code
        == 404
    )


def test_every_post_needs_its_csrf_token(open_concertation, idea, planner):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(planner)
    url = page_url(open_concertation, idea)
    for data in POSTS:
        assert browser.post(url, data).status_code == 403, data
    assert not InternalNote.objects.exists()


def test_the_page_shows_the_idea_its_zones_supports_comments_and_history(
    client, open_concertation, idea, planner
):
    comment_create(contribution=idea, author=UserFactory(), text="Je confirme, c'est dangereux.")
    client.force_login(planner)
    response = client.get(page_url(open_concertation, idea))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Un passage piéton devant l&#x27;école" in html
    assert "Les enfants traversent sans protection." in html
    zones = html.split('id="idea-zones"')[1].split("</table>")[0]
    assert "UE" in zones  # the zone it falls in
    assert "Je confirme, c&#x27;est dangereux." in html
    assert idea.created_at.astimezone().strftime("%Y") in html.split('id="history"')[1]
    config = json.loads(html.split('id="idea-config" type="application/json">')[1].split("<")[0])
    assert json.loads(config["geometry"])["type"] == "Point"
    assert [f["properties"]["libelle"] for f in config["zones"]["features"]] == ["UE"]
    # The dashboard's title links here.
    dashboard = client.get(f"/concertations/{open_concertation.slug}/tableau-de-bord/")
    assert f'href="{page_url(open_concertation, idea)}"' in dashboard.content.decode()


def test_an_administrator_reads_it(client, open_concertation, idea):
    client.force_login(demo_user("admin@demo.invalid"))
    assert client.get(page_url(open_concertation, idea)).status_code == 200


def test_the_planner_answers_in_their_own_words(
    client, open_concertation, idea, planner, eager_tasks, django_capture_on_commit_callbacks
):
    client.force_login(planner)
    url = page_url(open_concertation, idea)
    own = "Un passage sera peint à la rentrée, avec un panneau « école »."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"action": "answer", "status": "retained", "answer": own, "answer_service": "Voirie"},
        )
    assert response.status_code == 302 and response["Location"] == url
    idea.refresh_from_db()
    assert (idea.status, idea.answer, idea.answer_service) == ("retained", own, "Voirie")
    assert ModerationAction.objects.filter(contribution=idea, action="answer").count() == 1
    page = client.get(url).content.decode()
    assert 'role="status"' in page and "Un passage sera peint" in page
    history = page.split('id="history"')[1]
    assert "Un passage sera peint" in history


def test_a_closing_answer_without_text_is_refused(client, open_concertation, idea, planner):
    client.force_login(planner)
    response = client.post(
        page_url(open_concertation, idea),
        {"action": "answer", "status": "not_retained", "answer": "", "answer_service": "Voirie"},
    )
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == "published"


def test_a_template_fills_the_form_then_the_planner_answers(
    client, open_concertation, idea, planner, eager_tasks
):
    template = AnswerTemplate.objects.create(
        concertation=open_concertation,
        title="Hors du champ du PLUi",
        status="not_retained",
        text="Cette demande relève du code de la route, pas du PLUi.",
        service="Service urbanisme",
    )
    client.force_login(planner)
    url = page_url(open_concertation, idea)
    filled = client.post(url, {"action": "template", "template": template.pk})
    assert filled.status_code == 200
    form = filled.content.decode().split('id="answer-form"')[1].split("</form>")[0]
    assert "Cette demande relève du code de la route" in form
    assert 'value="Service urbanisme"' in form
    assert '<option value="not_retained" selected>' in form
    idea.refresh_from_db()
    assert idea.status == "published"  # filling is not answering
    edited = "Cette demande relève du code de la route ; nous la transmettons au maire."
    client.post(
        url,
        {
            "action": "answer",
            "status": "not_retained",
            "answer": edited,
            "answer_service": "Service urbanisme",
        },
    )
    idea.refresh_from_db()
    assert (idea.status, idea.answer) == ("not_retained", edited)


def test_the_planner_assigns_a_service_and_keeps_notes(client, open_concertation, idea, planner):
    client.force_login(planner)
    url = page_url(open_concertation, idea)
    assert client.post(url, {"action": "assign", "service": "Voirie"}).status_code == 302
    assert client.post(url, {"action": "note", "text": "Appeler l'école."}).status_code == 302
    assert client.post(url, {"action": "note", "text": "  "}).status_code == 400
    idea.refresh_from_db()
    assert idea.assigned_service == "Voirie"
    note = InternalNote.objects.get()
    assert (note.contribution, note.author, note.text) == (idea, planner, "Appeler l'école.")
    page = client.get(url).content.decode()
    assert "Appeler l&#x27;école." in page.split('id="notes"')[1]
    dashboard = client.get(f"/concertations/{open_concertation.slug}/tableau-de-bord/")
    assert "(Voirie)" in dashboard.content.decode()


def test_a_status_that_cannot_follow_is_not_offered(client, open_concertation, idea, planner):
    Contribution.objects.filter(pk=idea.pk).update(status="under_study")
    client.force_login(planner)
    form = (
        client.get(page_url(open_concertation, idea)).content.decode().split('id="answer-form"')[1]
    )
    assert 'value="under_study"' not in form.split("</select>")[0]
    assert 'value="retained"' in form
