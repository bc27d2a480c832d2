# SPDX-License-Identifier: AGPL-3.0-or-later
"""A planner publishes a bilan; residents find it on the concertation's page in its
"bilan" phase and download it without signing in (Code de l'urbanisme art. L.103-6).
A bilan not published, or before that phase, stays with the planners."""

import pytest

from carto_concertation.contributions.models import BilanPublication
from carto_concertation.core.models import Job
from tests.factories import UserFactory

from .conftest import bilan_job_made, bilan_phase_add

pytestmark = pytest.mark.django_db


def publish(client, concertation, job):
    return client.post(
        f"/concertations/{concertation.slug}/tableau-de-bord/bilan/publication/",
        {"job": str(job.pk)},
        follow=True,
    )


def test_published_in_the_bilan_phase_anyone_downloads_it(client, open_concertation, planner):
    bilan_phase_add(open_concertation)
    job = bilan_job_made(open_concertation, planner, html="<!DOCTYPE html><p>Le bilan public</p>")
    client.force_login(planner)
    response = publish(client, open_concertation, job)
    assert response.status_code == 200
    assert 'id="bilan-published"' in response.content.decode()
    publication = BilanPublication.objects.get()
    assert (publication.job, publication.published_by) == (job, planner)

    client.logout()
    page = client.get(f"/concertations/{open_concertation.slug}/").content.decode()
    section = page.split('id="published-bilan"')[1].split("</section>")[0]
    pdf_url = f"/concertations/{open_concertation.slug}/bilan.pdf"
    assert f'href="{pdf_url}"' in section
    assert planner.pseudonym not in section  # who published stays internal
    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    html = client.get(f"/concertations/{open_concertation.slug}/bilan.html")
    assert b"Le bilan public" in b"".join(html.streaming_content)
    assert client.get(f"/concertations/{open_concertation.slug}/bilan.exe").status_code == 404


def test_before_the_bilan_phase_it_stays_private(client, open_concertation, planner):
    bilan_phase_add(open_concertation, started=False)
    job = bilan_job_made(open_concertation, planner)
    client.force_login(planner)
    publish(client, open_concertation, job)
    assert BilanPublication.objects.exists()
    client.logout()
    page = client.get(f"/concertations/{open_concertation.slug}/").content.decode()
    assert 'id="published-bilan"' not in page
    assert client.get(f"/concertations/{open_concertation.slug}/bilan.pdf").status_code == 404


def test_an_unpublished_bilan_is_not_reachable(client, open_concertation, planner):
    bilan_phase_add(open_concertation)
    job = bilan_job_made(open_concertation, planner)
    client.force_login(UserFactory())
    page = client.get(f"/concertations/{open_concertation.slug}/").content.decode()
    assert 'id="published-bilan"' not in page
    assert client.get(f"/concertations/{open_concertation.slug}/bilan.pdf").status_code == 404
    planners_link = f"/api/v1/concertations/{open_concertation.slug}/bilans/{job.pk}/pdf"
    assert client.get(planners_link).status_code == 403
    # Published, then withdrawn: private again.
    client.force_login(planner)
    publish(client, open_concertation, job)
    client.post(
        f"/concertations/{open_concertation.slug}/tableau-de-bord/bilan/publication/",
        {"action": "unpublish"},
    )
    client.logout()
    assert client.get(f"/concertations/{open_concertation.slug}/bilan.pdf").status_code == 404


def test_only_a_finished_bilan_of_this_concertation_is_published(
    client, open_concertation, planner, other_planner
):
    job = bilan_job_made(open_concertation, planner)
    job.status = "running"
    job.save(update_fields=["status"])
    client.force_login(planner)
    response = publish(client, open_concertation, job)
    assert "pas prêt" in response.content.decode()
    assert not BilanPublication.objects.exists()
    client.force_login(other_planner)
    assert publish(client, open_concertation, job).status_code == 403


def test_the_bilan_starts_without_javascript(client, open_concertation, planner, resident):
    url = f"/concertations/{open_concertation.slug}/tableau-de-bord/bilan/"
    assert client.post(url).status_code == 403  # the resident
    assert not Job.objects.exists()
    client.force_login(planner)
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0].endswith("/tableau-de-bord/")
    assert "bilan" in response.content.decode().split('<div role="status">')[1]
    job = Job.objects.get()
    assert (job.kind, job.params["concertation_id"]) == ("bilan", open_concertation.pk)
