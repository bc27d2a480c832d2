# SPDX-License-Identifier: AGPL-3.0-or-later
"""The dashboard's forms without JavaScript: the bulk answer keeps its confirmation on
screen with how many ideas were answered; the map's click lists a zone's ideas."""

import pytest

from carto_concertation.contributions.models import AnswerTemplate, Contribution
from tests.factories import UserFactory
from tests.worlds import make_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def template(open_concertation):
    return AnswerTemplate.objects.create(
        concertation=open_concertation,
        title="À l'étude",
        status="under_study",
        text="Le service étudie votre idée.",
    )


def test_the_bulk_answer_confirms_how_many_were_answered(
    client, open_concertation, planner, template, eager_tasks
):
    ideas = [make_idea(open_concertation, UserFactory(), title=f"Idée {n}") for n in range(3)]
    client.force_login(planner)
    response = client.post(
        f"/concertations/{open_concertation.slug}/tableau-de-bord/reponses/",
        {"template": template.pk, "ids": [ideas[0].pk, ideas[1].pk]},
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith("/tableau-de-bord/")
    html = response.content.decode()
    status = html.split('<div role="status">')[1].split("</div>")[0]
    assert "2 contributions" in status
    assert list(
        Contribution.objects.filter(pk__in=[i.pk for i in ideas])
        .order_by("pk")
        .values_list("status", flat=True)
    ) == ["under_study", "under_study", "published"]


def test_a_refused_bulk_answer_says_why_and_answers_none(
    client, open_concertation, planner, eager_tasks
):
    closing = AnswerTemplate.objects.create(
        concertation=open_concertation,
        title="Non retenue",
        status="not_retained",
        text="Non.",
        service="Urbanisme",
    )
    idea = make_idea(open_concertation, UserFactory())
    client.force_login(planner)
    url = f"/concertations/{open_concertation.slug}/tableau-de-bord/reponses/"
    response = client.post(url, {"template": closing.pk, "ids": [idea.pk, 999999]}, follow=True)
    assert "999999" in response.content.decode().split('<div role="status">')[1]
    idea.refresh_from_db()
    assert idea.status == "published"
    nothing = client.post(url, {"template": closing.pk}, follow=True)
    assert '<div role="status">' in nothing.content.decode()


def test_a_zone_clicked_lists_its_ideas_with_their_pages(client, open_concertation, planner):
    in_a = make_idea(open_concertation, UserFactory(), libelle="A", title="Dans la zone A")
    make_idea(open_concertation, UserFactory(), libelle="UE", title="Dans la zone UE")
    client.force_login(planner)
    base = f"/api/v1/concertations/{open_concertation.slug}/"
    zones = client.get(base + "stats/zones").json()["features"]
    zone = next(f for f in zones if f["properties"]["count"] and f["properties"]["libelle"] == "A")
    assert zone["properties"]["area_km2"] > 0
    assert zone["properties"]["density"] == pytest.approx(
        zone["properties"]["count"] / zone["properties"]["area_km2"], rel=0.01
    )
    found = client.get(base + "stats/ideas", {"zone": zone["id"]}).json()
    assert found["count"] == 1
    assert found["ideas"][0]["title"] == "Dans la zone A"
    assert found["ideas"][0]["url"] == (
        f"/concertations/{open_concertation.slug}/idees/{in_a.pk}/traitement/"
    )
    commune = client.get(base + "stats/ideas", {"commune": in_a.commune_id}).json()
    assert "Dans la zone A" in [i["title"] for i in commune["ideas"]]
    client.force_login(UserFactory())
    assert client.get(base + "stats/ideas", {"zone": zone["id"]}).status_code == 403


def test_the_list_shows_each_row_as_typed_escaped_once(client, open_concertation, planner):
    """The list's rows are made in Python (dashboard.LIST_ROW): the title kept as typed and
    escaped once, in the link and in the tick's label; the themes by name; a tick only for
    an idea an answer can still move."""
    typed = '<b>L\'école & "la gare"</b>'
    themes = list(open_concertation.themes.order_by("name"))
    answerable = make_idea(
        open_concertation, UserFactory(), title=typed, theme_ids=[t.pk for t in themes[:2]]
    )
    waiting = make_idea(open_concertation, UserFactory(), title="En attente")
    Contribution.objects.filter(pk=waiting.pk).update(status="submitted")
    client.force_login(planner)
    html = client.get(f"/concertations/{open_concertation.slug}/tableau-de-bord/").content.decode()
    rows = html.split('<table class="contributions">')[1].split("</table>")[0]
    escaped = "&lt;b&gt;L&#x27;école &amp; &quot;la gare&quot;&lt;/b&gt;"
    link = f"/concertations/{open_concertation.slug}/idees/{answerable.pk}/traitement/"
    assert f'<a href="{link}">{escaped}</a>' in rows
    assert f'id="pick-{answerable.pk}"' in rows
    assert f'aria-label="Cocher « {escaped} »"' in rows
    assert f"<td>{themes[0].name}, {themes[1].name}</td>" in rows
    assert "&amp;amp;" not in rows and "<b>" not in rows
    assert "En attente" in rows and f'id="pick-{waiting.pk}"' not in rows
