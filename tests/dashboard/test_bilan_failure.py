# SPDX-License-Identifier: AGPL-3.0-or-later
"""A bilan that cannot be printed ends as a failed job with its reason, never as a job
left running; the HTML of a bilan without contributions still says so."""

import pytest

from carto_concertation.concertations.bilan import bilan_html
from carto_concertation.concertations.tasks import bilan_task
from carto_concertation.core.jobs import job_create
from carto_concertation.core.models import Job

pytestmark = pytest.mark.django_db


def test_a_printing_failure_is_reported_on_the_job(open_concertation, settings):
    settings.BILAN_CHROMIUM = "/bin/false"
    job = job_create(
        kind="bilan",
        title="Bilan",
        params={"concertation_id": open_concertation.pk, "language": "fr"},
        enqueue=lambda job_id: None,
    )
    result = bilan_task.apply(args=[str(job.pk)])
    assert result.failed()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "/bin/false" in job.message


def test_a_bilan_without_contributions(open_concertation):
    steps = []
    html, maps, listed = bilan_html(
        concertation=open_concertation, progress=lambda p, m: steps.append(p)
    )
    assert (maps, listed) == (2 + open_concertation.themes.count(), 0)
    assert "No public contribution." in html
    assert steps == sorted(steps) and len(steps) >= 3


def test_a_title_stays_text_in_the_maps(open_concertation):
    from tests.contributions.conftest import make_idea
    from tests.factories import UserFactory

    title = "${document.title='pris'}`<img src=x onerror=alert(1)>\\u0041"
    make_idea(open_concertation, UserFactory(), libelle="UE", title=title)
    html, _maps, listed = bilan_html(concertation=open_concertation, progress=lambda p, m: None)
    assert listed == 1
    assert "<img src=x" not in html  # stored as plain text already
    maps_script = html.rsplit("<script>", 1)[1]
    assert "${document" not in maps_script
    assert "&#36;{document.title=&#x27;pris&#x27;}&#96;&#92;u0041" in maps_script
