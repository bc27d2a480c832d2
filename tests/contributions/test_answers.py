# SPDX-License-Identifier: AGPL-3.0-or-later
"""The collectivité's workflow: under study, then retained / partly / not retained with
its official answer, date and service; the author hears of it."""

import pytest

from carto_concertation.accounts.services import user_profile_update
from carto_concertation.contributions.models import Contribution
from carto_concertation.engagement.models import ModerationAction
from tests.factories import UserFactory

from .conftest import demo_user, make_idea, url

pytestmark = pytest.mark.django_db

ANSWER = {
    "status": "partly_retained",
    "answer": "La piste sera étudiée jusqu'au collège; la gare relève de la SNCF.",
    "answer_service": "Service urbanisme de la CC",
}


@pytest.fixture
def idea(open_concertation):
    return make_idea(open_concertation, UserFactory(), title="Piste cyclable")


def test_a_planner_studies_then_answers_and_the_author_is_notified(
    client,
    open_concertation,
    idea,
    planner,
    eager_tasks,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    client.force_login(planner)
    target = url(open_concertation, "answer", idea.pk)
    with django_capture_on_commit_callbacks(execute=True):
        studied = client.post(target, {"status": "under_study"}, content_type="application/json")
    assert studied.status_code == 200, studied.json()
    assert studied.json()["properties"]["status"] == "under_study"
    with django_capture_on_commit_callbacks(execute=True):
        answered = client.post(target, ANSWER, content_type="application/json")
    assert answered.status_code == 200, answered.json()
    properties = answered.json()["properties"]
    assert properties["status"] == "partly_retained"
    assert properties["answer"] == ANSWER["answer"]
    assert properties["answer_service"] == "Service urbanisme de la CC"
    assert properties["answered_at"]
    assert "Urbanisme démo" not in answered.content.decode()

    assert [m.to for m in mailoutbox] == [[idea.author.email]] * 2
    assert ANSWER["answer"] in mailoutbox[1].body
    assert "Service urbanisme de la CC" in mailoutbox[1].body
    log = ModerationAction.objects.filter(contribution=idea).order_by("created_at", "id")
    assert [(a.action, a.role) for a in log] == [("study", "planner"), ("answer", "planner")]


def test_a_moderator_may_answer_too(client, open_concertation, idea, moderator):
    client.force_login(moderator)
    response = client.post(
        url(open_concertation, "answer", idea.pk),
        {**ANSWER, "status": "not_retained"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert ModerationAction.objects.get(contribution=idea).role == "moderator"


def test_an_author_who_refused_answers_gets_no_mail(
    client,
    open_concertation,
    idea,
    planner,
    eager_tasks,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    user_profile_update(user=idea.author, notifications={"answer": False})
    client.force_login(planner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(open_concertation, "answer", idea.pk), ANSWER, content_type="application/json"
        )
    assert response.status_code == 200
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("habitant@demo.invalid", 403),
        ("relais@demo.invalid", 403),
        (None, 403),
    ],
)
def test_only_planners_and_moderators_answer(client, open_concertation, idea, who, expected):
    if who:
        client.force_login(demo_user(who))
    response = client.post(
        url(open_concertation, "answer", idea.pk), ANSWER, content_type="application/json"
    )
    assert response.status_code == expected
    idea.refresh_from_db()
    assert idea.status == "published" and idea.answer == ""


def test_a_planner_of_another_territory_cannot_answer(client, open_concertation, idea):
    from carto_concertation.accounts.services import role_grant
    from tests.factories import TerritoryFactory

    outsider = UserFactory()
    role_grant(user=outsider, role="planner", territory=TerritoryFactory())
    client.force_login(outsider)
    response = client.post(
        url(open_concertation, "answer", idea.pk), ANSWER, content_type="application/json"
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"status": "retained"}, "answer"),
        ({"status": "retained", "answer": "Oui."}, "answer_service"),
        ({"status": "retained", "answer": " \x07 ", "answer_service": "S"}, "answer"),
        ({"status": "published"}, "status"),
        ({"status": "hidden"}, "status"),
        ({"status": "withdrawn"}, "status"),
    ],
)
def test_a_closing_status_needs_answer_and_service(
    client, open_concertation, idea, planner, payload, field
):
    client.force_login(planner)
    response = client.post(
        url(open_concertation, "answer", idea.pk), payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    idea.refresh_from_db()
    assert idea.status == "published"
    assert not ModerationAction.objects.filter(contribution=idea).exists()


@pytest.mark.parametrize(
    ("current", "target"),
    [
        ("submitted", "under_study"),
        ("withdrawn", "retained"),
        ("retained", "under_study"),
        ("under_study", "under_study"),
    ],
)
def test_wrong_transitions_are_refused(client, open_concertation, idea, planner, current, target):
    Contribution.objects.filter(pk=idea.pk).update(
        status=current, answer="a", answer_service="s", answered_at="2026-01-01T00:00Z"
    )
    client.force_login(planner)
    response = client.post(
        url(open_concertation, "answer", idea.pk),
        {**ANSWER, "status": target},
        content_type="application/json",
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    assert "cannot become" in response.json()["status"][0]
    idea.refresh_from_db()
    assert idea.status == current


def test_a_closing_answer_may_be_corrected(client, open_concertation, idea, planner):
    client.force_login(planner)
    target = url(open_concertation, "answer", idea.pk)
    client.post(target, ANSWER, content_type="application/json")
    response = client.post(
        target,
        {**ANSWER, "status": "retained", "answer": "Retenue en entier."},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["properties"]["answer"] == "Retenue en entier."
