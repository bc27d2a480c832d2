# SPDX-License-Identifier: AGPL-3.0-or-later
"""“Download my data” in headless Chromium, with the real worker: a resident asks on
their account's page, follows the archive's progress, downloads it, and it holds what
the export builds; the same without JavaScript, the page reloaded by hand.

The worker is held at the end of its work (the audit journal's table locked from
another connection, where the export records itself) so that the page is seen while
the job runs, whatever the speed of the machine."""

import io
import json
import time
import zipfile
from contextlib import contextmanager

import pytest
from django.test import Client
from django.utils import translation

from carto_concertation.accounts.export import user_data_zip
from carto_concertation.core.jobs import job_state
from carto_concertation.core.models import AuditEntry, Job
from tests.database import own_connection
from tests.factories import UserFactory
from tests.plui_documents.test_jobs import wait_for

from .sessions import signed_in
from .test_map_page import axe_violations, watch

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser,
    pytest.mark.worker,
]


@contextmanager
def worker_held():
    """Inserts into the audit journal wait until the block ends; reads go on."""
    with own_connection() as held:
        held.execute(f"LOCK TABLE {AuditEntry._meta.db_table} IN SHARE MODE")
        try:
            yield
        finally:
            held.rollback()


def files_of(archive: zipfile.ZipFile) -> dict:
    """Each file as JSON, without the time it was generated."""
    files = {name: json.loads(archive.read(name)) for name in archive.namelist()}
    for content in files.values():
        content.pop("generated_at", None)
    return files


def built_here(user) -> dict:
    with translation.override("fr"):
        return files_of(zipfile.ZipFile(io.BytesIO(user_data_zip(user=user))))


def held_at_the_end() -> Job:
    """The only job, once the worker has built every section and waits to record it."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = Job.objects.filter(status=Job.Status.RUNNING).first()
        if job is not None and job_state(job)["progress"] == 99:
            return job
        time.sleep(0.1)
    raise AssertionError(f"no job held at 99 %: {list(Job.objects.values('status'))}")


def test_a_resident_asks_for_their_data_follows_it_and_downloads_it(
    page, live_server, small_concertation, celery_worker
):
    person = UserFactory(pseudonym="Camille")
    seen = watch(page, live_server)
    signed_in(page.context, live_server, person)
    page.goto(f"{live_server.url}/accounts/")
    page.get_by_role("link", name="Télécharger mes données").click()
    page.wait_for_url("**/accounts/data/")
    assert page.locator("#job-download").count() == 0
    # Another device of theirs, signed in before (a sign-in changes what the zip holds).
    again = Client()
    again.force_login(person)

    with worker_held():
        page.get_by_role("button", name="Préparer mon archive").click()
        page.wait_for_url("**/accounts/data/")
        # The page module follows the job: its bar moves without reloading the page.
        job = held_at_the_end()
        page.wait_for_function(
            "() => document.getElementById('job-progress').value === 99", timeout=30_000
        )
        assert page.inner_text("#job-message") == "Rassemblement de vos données…"
        assert page.get_by_role("button", name="Préparer mon archive").count() == 0
        assert axe_violations(page) == []
        # Asking again (another tab, a double click) while it runs starts no second job.
        assert again.post("/accounts/data/").status_code == 302
        assert list(Job.objects.values_list("pk", flat=True)) == [job.pk]
    # Once it ends, the page loads again and offers the archive.
    page.wait_for_selector("#job-download", timeout=60_000)
    assert "Votre archive est prête." in page.inner_text("#job-state")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.click("#job-download")
    assert download.value.suggested_filename.startswith("carto-concertation-")
    received = files_of(zipfile.ZipFile(download.value.path()))
    assert received == built_here(person)
    assert received["account.json"]["account"][0]["pseudonym"] == "Camille"
    assert seen["outside"] == [] and seen["errors"] == []


def test_without_javascript_the_page_reloaded_shows_where_it_stands(
    browser, live_server, small_concertation, celery_worker
):
    person = UserFactory(pseudonym="Dominique")
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    signed_in(context, live_server, person)
    page.goto(f"{live_server.url}/accounts/data/")

    with worker_held():
        page.get_by_role("button", name="Préparer mon archive").click()
        page.wait_for_url("**/accounts/data/")
        job = held_at_the_end()
        page.get_by_role("link", name="Actualisez cette page").click()
        # Reloaded: the bar stands where the worker is, from the server alone.
        assert page.locator("#job-progress").get_attribute("value") == "99"
        assert page.locator("#job-download").count() == 0
    assert wait_for(job.pk).status == Job.Status.SUCCEEDED
    page.get_by_role("link", name="Actualisez cette page").click()
    with page.expect_download() as download:
        page.click("#job-download")
    assert files_of(zipfile.ZipFile(download.value.path())) == built_here(person)
    context.close()
