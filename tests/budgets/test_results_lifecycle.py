# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results' lifecycle in a real Celery worker: the vote closed, a planner counts
through the API, the job reaches 100 %, the run is stored, published, and the projects'
statuses, the public API and the public page follow; split per district, one run per
district within its envelope."""

import re

import pytest

from carto_concertation.budgets.models import Ballot, Project, ResultRun
from carto_concertation.core.models import Job
from tests.factories.budgets import BallotFactory, ProjectFactory

from .results_world import api, post, results_world, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_count_publish_and_read_the_results(client, celery_worker):
    world = results_world()
    slug = world.edition.slug
    client.force_login(world.planner)

    response = post(client, api(slug, "/runs"), {"rule": "greedy"})
    assert response.status_code == 202, response.content
    (run_data,) = response.json()["runs"]
    assert run_data["job"]["status"] in ("pending", "running", "succeeded")

    job = wait_for(run_data["job"]["id"])
    assert job.status == Job.Status.SUCCEEDED, job.report
    assert job.progress == 100
    assert job.report["runs"][0]["ballots"] == 5

    run = ResultRun.objects.get()
    p1, p2, p3, p4, p5 = world.projects
    assert run.selected == [p1.pk, p2.pk, p4.pk]
    assert run.total_cost == 100_000
    assert run.ballots_counted == 5
    assert run.computed_at is not None
    assert run.explanations[str(p3.pk)]["reason"] == "no_room"
    assert run.explanations[str(p3.pk)]["left"] == 10_000
    assert run.explanations[str(p5.pk)]["reason"] == "no_votes"
    assert not run.is_published

    runs = client.get(api(slug, "/runs")).json()["runs"]
    assert runs[0]["job"]["progress"] == 100
    assert [row["number"] for row in runs[0]["projects"] if row["selected"]] == [1, 2, 4]

    # Before publication, nothing public: no result, the projects still on the ballot.
    assert client.get(api(slug)).status_code == 404
    assert set(Project.objects.values_list("status", flat=True)) == {Project.Status.ON_BALLOT}

    response = post(client, api(slug, "/publish"), {"runs": [run.pk]})
    assert response.status_code == 200, response.content
    statuses = dict(Project.objects.values_list("number", "status"))
    assert statuses == {1: "winner", 2: "winner", 3: "not_selected", 4: "winner", 5: "not_selected"}

    client.logout()
    public = client.get(api(slug))
    assert public.status_code == 200
    (published,) = public.json()["runs"]
    assert published["budget"] == 100_000
    assert published["ballots_counted"] == 5
    assert published["total_cost"] == 100_000
    assert "le plus voté d’abord" in published["method"]
    by_number = {row["number"]: row for row in published["projects"]}
    assert by_number[3]["selected"] is False
    # The pages and the API speak French (the default language).
    assert re.fullmatch(
        r"N’entrait plus dans l’enveloppe restante \(10.000\xa0€ restants pour 30.000\xa0€\)\.",
        by_number[3]["explanation"],
    )
    assert by_number[5]["explanation"] == "Aucun bulletin ne l’a choisi."
    assert by_number[1]["votes"] == 5

    page = client.get(f"/budgets/{slug}/resultats/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "le plus voté d’abord" in html
    assert "N’entrait plus dans l’enveloppe restante" in html


def test_split_by_district_gives_one_run_per_district(client, celery_worker):
    world = results_world(split_by_district=True, envelope=60_000)
    edition = world.edition
    north, south = edition.districts.order_by("name")
    assert north.envelope == south.envelope == 30_000
    # The world's projects lie in the first district; two more in the second.
    Project.objects.filter(edition=edition).update(district=north)
    Ballot.objects.filter(edition=edition).update(district=north)
    s1 = ProjectFactory(edition=edition, number=11, district=south, estimated_cost=20_000)
    s2 = ProjectFactory(edition=edition, number=12, district=south, estimated_cost=15_000)
    for chosen in ([s1, s2], [s1], [s2, s1]):
        BallotFactory(edition=edition, district=south, projects=chosen)
    client.force_login(world.planner)

    response = post(client, api(edition.slug, "/runs"), {})
    assert response.status_code == 202, response.content
    runs = response.json()["runs"]
    assert sorted(run["district"]["name"] for run in runs) == sorted([north.name, south.name])
    job = wait_for(runs[0]["job"]["id"])
    assert job.status == Job.Status.SUCCEEDED, job.report

    by_district = {run.district: run for run in ResultRun.objects.all()}
    assert set(by_district) == {north, south}
    for district, run in by_district.items():
        assert run.budget == district.envelope
        assert run.total_cost <= district.envelope
        winners = Project.objects.filter(pk__in=run.selected)
        assert all(project.district == district for project in winners)
    assert by_district[south].selected == [s1.pk]
    assert by_district[south].ballots_counted == 3
    # 50,000 € and 40,000 € do not fit in the north's 30,000 €; 30,000 € does, then nothing.
    assert by_district[north].selected == [world.projects[2].pk]
    assert by_district[north].explanations[str(world.projects[0].pk)]["left"] == 30_000

    # Publishing one district alone would leave the other undecided: refused.
    alone = post(client, api(edition.slug, "/publish"), {"runs": [by_district[south].pk]})
    assert alone.status_code == 400
    assert "runs" in alone.json()
    both = post(client, api(edition.slug, "/publish"), {"runs": [r["id"] for r in runs]})
    assert both.status_code == 200, both.content
    assert Project.objects.get(pk=s1.pk).status == Project.Status.WINNER
    assert Project.objects.get(pk=s2.pk).status == Project.Status.NOT_SELECTED
    assert len(client.get(api(edition.slug)).json()["runs"]) == 2
