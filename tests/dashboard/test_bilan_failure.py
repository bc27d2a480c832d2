# SPDX-License-Identifier: AGPL-3.0-or-later
"""A bilan that cannot be printed ends as a failed job, never as a job left running; the
HTML of a bilan without contributions still says so; imported and typed texts stay text."""

import pytest

from carto_concertation.contributions.planning.bilan import bilan_html
from carto_concertation.contributions.planning.tasks import bilan_task
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
    assert "could not be printed" in job.message
    assert "/bin/false" not in job.message, "the browser's command line stays in the log"


def test_a_bilan_without_contributions(open_concertation):
    steps = []
    html, maps, listed = bilan_html(
        concertation=open_concertation, progress=lambda p, m: steps.append(p)
    )
    assert (maps, listed) == (2 + open_concertation.themes.count(), 0)
    assert "No public contribution." in html
    assert steps == sorted(steps) and len(steps) >= 3


def test_a_title_stays_text_in_the_maps(open_concertation):
    from tests.factories import UserFactory
    from tests.worlds import make_idea

    title = "${document.title='pris'}`<img src=x onerror=alert(1)>\\u0041"
    make_idea(open_concertation, UserFactory(), libelle="UE", title=title)
    html, _maps, listed = bilan_html(concertation=open_concertation, progress=lambda p, m: None)
    assert listed == 1
    assert "<img src=x" not in html  # stored as typed, escaped where shown
    maps_script = html.rsplit("<script>", 1)[1]
    assert "${document" not in maps_script
    assert (
        "&#36;{document.title=&#x27;pris&#x27;}&#96;&lt;img src=x onerror=alert(1)&gt;&#92;u0041"
        in maps_script
    )


def test_imported_zone_labels_stay_text_in_the_maps(open_concertation):
    from plui_documents.models import Zone
    from tests.factories import UserFactory
    from tests.worlds import make_idea

    make_idea(open_concertation, UserFactory(), libelle="UE", title="Une idée")
    # A label comes from the planner's imported file (12 characters at most), not from
    # our forms: markup in it must not become markup in the map's tooltip.
    Zone.objects.filter(libelle="UE").update(libelle="<i>UE</i>")
    html, _maps, _listed = bilan_html(concertation=open_concertation, progress=lambda p, m: None)
    # folium writes its data as JSON with "<" as \u003c, which the script turns back
    # into markup when the tooltip opens: the label must be escaped before that.
    assert "<i>UE</i>" not in html
    assert "\\u003ci\\u003eUE" not in html
    assert "\\u0026lt;i\\u0026gt;UE" in html
