# SPDX-License-Identifier: AGPL-3.0-or-later
"""A PLUi import through the admin is recorded in the audit journal by the Celery job
(the real worker), with the planner's address carried in the job's params."""

import pytest

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.services import role_grant
from carto_concertation.core.models import AuditEntry, Job
from plui_documents.models import UrbanDocument
from tests.factories import TerritoryFactory, UserFactory

from .test_jobs import wait_for, zipped_delivery

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_import_is_recorded_with_the_address_it_was_started_from(
    client, tmp_path, celery_worker
):
    territory = TerritoryFactory(siren="241800432")
    planner = UserFactory(is_staff=True)
    role_grant(user=planner, role=Role.PLANNER, territory=territory)
    client.force_login(planner)
    started = client.post(
        "/admin/plui_documents/urbandocument/upload/",
        {"file": zipped_delivery(tmp_path)},
        REMOTE_ADDR="192.0.2.80",
        HTTP_USER_AGENT="Navigateur du service urbanisme",
    )
    assert started.status_code == 302
    job = wait_for(Job.objects.get(kind="plui_import").pk)
    assert job.status == Job.Status.SUCCEEDED, job.report
    assert job.params["origin"] == {
        "ip": "192.0.2.80",
        "user_agent": "Navigateur du service urbanisme",
    }

    version = UrbanDocument.objects.get(idurba="241800432_PLUI_20200128").current_version
    (entry,) = AuditEntry.objects.filter(action="plui.imported")
    assert (entry.actor, entry.territory) == (planner, territory)
    assert (entry.ip, entry.user_agent) == ("192.0.2.80", "Navigateur du service urbanisme")
    assert (entry.target_type, entry.target_id) == (
        "plui_documents.documentversion",
        str(version.pk),
    )
    assert entry.details == {"idurba": "241800432_PLUI_20200128", "version": version.number}
