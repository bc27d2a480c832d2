# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas' moderation decisions, answers and planners' exports in the staff audit
journal (core.audit): the person for the administrators, while the public moderation
log keeps naming a role, never a person."""

import pytest

from carto_concertation.contributions.moderation import contribution_answer
from carto_concertation.core.models import AuditEntry
from tests.factories import UserFactory
from tests.worlds import demo_user, make_idea

pytestmark = pytest.mark.django_db

MODERATION = "/moderation/{space}/contributions.contribution/{pk}/{action}/"


def test_a_decision_through_the_back_office_is_recorded_the_public_log_names_a_role(
    client, small_open_concertation
):
    space = small_open_concertation
    idea = make_idea(space, UserFactory(), title="Un banc")
    moderator = demo_user("moderation@demo.invalid")
    client.force_login(moderator)
    hidden = client.post(
        MODERATION.format(space=space.slug, pk=idea.pk, action="hide"),
        {"reason": "Propos hors charte"},
        REMOTE_ADDR="192.0.2.21",
        HTTP_USER_AGENT="Navigateur de test",
    )
    assert hidden.status_code == 302

    (entry,) = AuditEntry.objects.filter(action="ideas.hide")
    assert (entry.actor, entry.actor_email) == (moderator, moderator.email)
    assert (entry.ip, entry.user_agent) == ("192.0.2.21", "Navigateur de test")
    assert (entry.target_type, entry.target_id) == ("contributions.contribution", str(idea.pk))
    assert entry.role == "moderator" and entry.territory_id == space.territory_id

    client.logout()
    log = client.get(f"/concertations/{space.slug}/moderation/", HTTP_ACCEPT_LANGUAGE="en")
    html = log.content.decode()
    assert "by a moderator" in html
    assert moderator.email not in html and moderator.pseudonym not in html


def test_an_answer_is_recorded_without_its_text(small_open_concertation):
    planner = demo_user("urbanisme@demo.invalid")
    idea = make_idea(small_open_concertation, UserFactory())
    contribution_answer(
        contribution=idea,
        actor=planner,
        status="retained",
        answer="Texte de la réponse officielle",
        answer_service="Service urbanisme",
    )
    (entry,) = AuditEntry.objects.filter(action="ideas.answer")
    assert entry.actor == planner and entry.target_id == str(idea.pk)
    assert "Texte de la réponse" not in str(list(AuditEntry.objects.values()))


def test_a_planner_s_export_is_recorded_an_anonymous_download_is_not(
    client, small_open_concertation
):
    url = f"/api/v1/concertations/{small_open_concertation.slug}/export"
    assert client.get(url, {"format": "csv"}).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url, {"format": "csv"}).status_code == 200
    assert not AuditEntry.objects.filter(action="ideas.exported").exists()

    planner = demo_user("urbanisme@demo.invalid")
    client.force_login(planner)
    response = client.get(url, {"format": "geojson"}, REMOTE_ADDR="192.0.2.22")
    assert response.status_code == 200
    (entry,) = AuditEntry.objects.filter(action="ideas.exported")
    assert (entry.actor, entry.ip, entry.details) == (planner, "192.0.2.22", {"format": "geojson"})
