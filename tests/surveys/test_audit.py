# SPDX-License-Identifier: AGPL-3.0-or-later
"""An organiser's export of a questionnaire's answers in the audit journal (core.audit);
a refused download records nothing."""

import pytest

from carto_concertation.core.models import AuditEntry
from tests.factories import UserFactory, user_with_role
from tests.factories.surveys import QuestionnaireFactory, ResponseFactory, every_kind

pytestmark = pytest.mark.django_db
CSV = "/api/v1/surveys/questionnaires/{slug}/export.csv"


def test_an_organiser_s_export_is_recorded_a_refused_one_is_not(client):
    questionnaire = QuestionnaireFactory(is_published=False)
    every_kind(questionnaire)
    ResponseFactory(questionnaire=questionnaire)
    url = CSV.format(slug=questionnaire.slug)
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert not AuditEntry.objects.filter(action="surveys.exported").exists()

    organiser = user_with_role("planner", territory=questionnaire.territory)
    client.force_login(organiser)
    response = client.get(url, REMOTE_ADDR="192.0.2.50")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    (entry,) = AuditEntry.objects.filter(action="surveys.exported")
    assert (entry.actor, entry.ip, entry.details) == (organiser, "192.0.2.50", {"format": "csv"})
    assert entry.target_id == str(questionnaire.pk)
