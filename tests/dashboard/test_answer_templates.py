# SPDX-License-Identifier: AGPL-3.0-or-later
"""Answer templates (CRUD by the planners) and answers given to several contributions
at once: all or nothing, each author notified as by a single answer."""

import pytest

from carto_concertation.contributions.models import AnswerTemplate, Contribution
from carto_concertation.engagement.models import ModerationAction
from tests.worlds import demo_user

pytestmark = pytest.mark.django_db

TEMPLATE = {
    "title": "Chemins ruraux",
    "status": "partly_retained",
    "text": "Les chemins seront inscrits à l'OAP mobilités, sauf ceux des parcelles privées.",
    "service": "Service urbanisme de la CC",
}


def base(concertation) -> str:
    return f"/api/v1/concertations/{concertation.slug}/"


@pytest.fixture
def planner_client(client):
    client.force_login(demo_user("urbanisme@demo.invalid"))
    return client


@pytest.fixture
def template(open_concertation):
    return AnswerTemplate.objects.create(concertation=open_concertation, **TEMPLATE)


def test_templates_are_created_listed_changed_and_deleted(planner_client, open_concertation):
    url = base(open_concertation) + "answer-templates/"
    created = planner_client.post(url, TEMPLATE, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert [t["title"] for t in planner_client.get(url).json()] == ["Chemins ruraux"]
    changed = planner_client.put(
        f"{url}{pk}/",
        {**TEMPLATE, "title": "Études", "status": "under_study", "text": "", "service": ""},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert AnswerTemplate.objects.get(pk=pk).status == "under_study"
    assert planner_client.delete(f"{url}{pk}/").status_code == 204
    assert not AnswerTemplate.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "\x07\x1b"}, "title"),
        ({"status": "published"}, "status"),
        ({"text": ""}, "text"),
        ({"service": ""}, "service"),
    ],
)
def test_a_bad_template_is_a_400_naming_the_field(planner_client, open_concertation, change, field):
    response = planner_client.post(
        base(open_concertation) + "answer-templates/",
        {**TEMPLATE, **change},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not AnswerTemplate.objects.exists()


def test_a_title_is_used_once(planner_client, open_concertation, template):
    response = planner_client.post(
        base(open_concertation) + "answer-templates/", TEMPLATE, content_type="application/json"
    )
    assert response.status_code == 400
    assert "title" in response.json()


def test_others_cannot_write_templates(client, open_concertation, template):
    client.force_login(demo_user("habitant@demo.invalid"))
    url = base(open_concertation) + "answer-templates/"
    assert client.post(url, TEMPLATE, content_type="application/json").status_code == 403
    assert client.delete(f"{url}{template.pk}/").status_code == 403
    assert AnswerTemplate.objects.count() == 1


@pytest.fixture
def bulk(
    planner_client, open_concertation, template, eager_tasks, django_capture_on_commit_callbacks
):
    """Answer these ids from the template, running what waits for the commit."""

    def post(ids: list[int]):
        with django_capture_on_commit_callbacks(execute=True):
            return planner_client.post(
                base(open_concertation) + "answers/bulk",
                {"template": template.pk, "ids": ids},
                content_type="application/json",
            )

    return post


def test_one_template_answers_several_and_each_author_hears_of_it(world, bulk, mailoutbox):
    ideas = world["ue"]
    response = bulk([c.pk for c in ideas])
    assert response.status_code == 200, response.content
    assert sorted(response.json()["answered"]) == sorted(c.pk for c in ideas)
    for idea in Contribution.objects.filter(pk__in=[c.pk for c in ideas]):
        assert idea.status == "partly_retained"
        assert idea.answer == TEMPLATE["text"]
        assert idea.answer_service == TEMPLATE["service"]
        assert idea.answered_at
    assert sorted(m.to[0] for m in mailoutbox) == sorted(c.author.email for c in ideas)
    assert all(TEMPLATE["text"] in m.body for m in mailoutbox)
    assert (
        ModerationAction.objects.filter(
            action="answer", role="planner", contribution__in=ideas
        ).count()
        == 4
    )


@pytest.mark.parametrize("bad", ["unknown", "hidden", "other_concertation"])
def test_one_refused_and_none_is_answered(open_concertation, world, bulk, mailoutbox, bad):
    from carto_concertation.concertations.models import Concertation

    bad_id = {
        "unknown": 99_999_999,
        "hidden": world["hidden"].pk,
        "other_concertation": Contribution.objects.exclude(concertation=open_concertation)
        .filter(concertation__in=Concertation.objects.all())
        .values_list("pk", flat=True)
        .first(),
    }[bad]
    assert bad_id is not None
    ids = [c.pk for c in world["ue"]] + [bad_id]
    response = bulk(ids)
    assert response.status_code == 400, response.content
    assert str(bad_id) in " ".join(response.json()["ids"])
    assert not Contribution.objects.filter(pk__in=ids, status="partly_retained").exists()
    assert not ModerationAction.objects.filter(action="answer", contribution__in=ids).exists()
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ids": [1]}, "template"),
        ({"template": 99_999_999, "ids": [1]}, "template"),
        ({"template": "x", "ids": [1]}, "template"),
        ({"template": 1, "ids": []}, "ids"),
        ({"template": 1, "ids": ["a"]}, "ids"),
        ({"template": 1}, "ids"),
    ],
)
def test_bad_bulk_input(planner_client, open_concertation, template, body, field):
    if body.get("template") == 1:
        body = {**body, "template": template.pk}
    response = planner_client.post(
        base(open_concertation) + "answers/bulk", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json(), response.json()
