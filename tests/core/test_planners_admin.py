# SPDX-License-Identifier: AGPL-3.0-or-later
"""Planners import their PLUi from the admin, as the README says, and see nothing else."""

import pytest

from carto_concertation.accounts.models import User
from carto_concertation.core.models import Job
from plui_documents.models import UrbanDocument
from tests.demo_snapshot import demo_load
from tests.factories import TerritoryFactory
from tests.plui_documents.test_jobs import wait_for, zipped_delivery

DOCUMENTS = "/admin/plui_documents/urbandocument/"


@pytest.mark.django_db(transaction=True)
def test_the_demo_planner_imports_a_plui_through_the_admin(
    client, settings, celery_worker, tmp_path
):
    settings.DEBUG = True  # the demo accounts' password
    demo_load()
    elsewhere = TerritoryFactory()
    foreign = UrbanDocument.objects.create(
        idurba=f"{elsewhere.siren}_PLUi_20190101",
        typedoc="PLUi",
        siren=elsewhere.siren,
        territory=elsewhere,
    )

    # Signed in with their second factor (tests/accounts/test_mfa.py signs in by the pages).
    client.force_login(User.objects.get(email="urbanisme@demo.invalid"))
    index = client.get("/admin/").content.decode()
    assert DOCUMENTS in index
    assert "/admin/accounts/user/" not in index
    assert client.get("/admin/accounts/user/").status_code == 403
    listing = client.get(DOCUMENTS).content.decode()
    assert "241800432_PLUI_20200128" in listing and foreign.idurba not in listing
    # Another territory's document is not found for them (the admin's answer: back home).
    hidden = client.get(f"{DOCUMENTS}{foreign.pk}/change/")
    assert (hidden.status_code, hidden["Location"]) == (302, "/admin/")

    assert f'href="{DOCUMENTS}upload/"' in listing
    assert client.get(f"{DOCUMENTS}upload/").status_code == 200
    started = client.post(f"{DOCUMENTS}upload/", {"file": zipped_delivery(tmp_path)})
    assert started.status_code == 302
    job = wait_for(Job.objects.get(kind="plui_import").pk)
    assert job.status == Job.Status.SUCCEEDED, job.report
    assert client.get(started["Location"]).status_code == 200
    document = UrbanDocument.objects.get(idurba="241800432_PLUI_20200128")
    assert document.current_version.number == 2
    assert document.current_version.imported_by.email == "urbanisme@demo.invalid"
