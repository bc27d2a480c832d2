# SPDX-License-Identifier: AGPL-3.0-or-later
"""An edition's whole life through the API, across the module's parts, in a real worker:
residents propose located projects; the planner declares them admissible or not and puts
them to the vote; residents vote; the vote closes; the planner counts by the Method of
Equal Shares (a Celery job), publishes; the projects, the tiles and the public results
follow; the anonymised .pb export, imported again, counts to the same winners; the
services post news of a winner, which its follower reads."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.budgets.models import Edition, EditionPhase, Project, ResultRun
from carto_concertation.core.models import Job
from tests.factories import UserFactory
from tests.factories.accounts import user_with_role
from tests.factories.budgets import PHASE_ORDER, EditionFactory

from .projects_world import inside
from .results_world import wait_for
from .test_projects_map import tile

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]
API = "/api/v1/budgets"


def phase_now(edition: Edition, current: str | None) -> None:
    """Time passes: ``current`` is open now, the phases before it are over (None: every
    phase up to the vote is over)."""
    now = timezone.now()
    kinds = PHASE_ORDER[: PHASE_ORDER.index(current or "vote") + 1]
    edition.phases.all().delete()
    for index, kind in enumerate(reversed(kinds)):
        ends = now - timedelta(hours=1) if current is None else now + timedelta(days=7)
        if index:
            ends = now - timedelta(days=10 * index)
        EditionPhase.objects.create(
            edition=edition, kind=kind, starts_at=ends - timedelta(days=9), ends_at=ends
        )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, path: str, data: dict | None = None):
    return getattr(client, method)(path, data or {}, content_type="application/json")


def test_an_edition_from_the_first_project_to_the_news_of_its_winners(celery_worker):
    edition = EditionFactory(districts=2, phases="submission", envelope=60_000)
    first, second = edition.districts.order_by("pk")
    planner = user_with_role(Role.PLANNER, territory=edition.territory)
    residents = [UserFactory() for _ in range(6)]
    slug = edition.slug

    # Residents propose six projects, three in each district (number n costs 10,000 × n).
    for n in range(1, 7):
        district = first if n <= 3 else second
        created = send(
            signed_in(residents[n - 1]),
            "post",
            f"{API}/editions/{slug}/projects",
            {
                "title": f"Projet {n} <b>«quartier»</b>",
                "description": "Des arbres & des bancs.",
                "estimated_cost": 10_000 * n,
                "geom": json.loads(inside(district, n).json),
            },
        )
        assert created.status_code == 201, created.content
        assert created.json()["number"] == n
    assert Project.objects.get(number=4).district == second
    assert Project.objects.get(number=1).title == "Projet 1 <b>«quartier»</b>"

    # The analysis: no. 6 is not admissible (its reason is public), no. 5 costs less.
    phase_now(edition, "analysis")
    planner_client = signed_in(planner)
    for n in range(1, 6):
        body = {"admissible": True} | ({"revised_cost": 45_000} if n == 5 else {})
        decided = send(planner_client, "post", f"{API}/editions/{slug}/analysis/{n}", body)
        assert decided.status_code == 200, decided.content
    refused = send(
        planner_client,
        "post",
        f"{API}/editions/{slug}/analysis/6",
        {"admissible": False, "reason": "Hors compétence de la commune."},
    )
    assert refused.status_code == 200, refused.content
    assert send(planner_client, "post", f"{API}/editions/{slug}/ballot-open").status_code == 200
    assert dict(Project.objects.values_list("number", "status")) == {
        1: "on_ballot",
        2: "on_ballot",
        3: "on_ballot",
        4: "on_ballot",
        5: "on_ballot",
        6: "not_admissible",
    }

    # The vote: six residents; no. 6 is refused, a resident changes their ballot.
    phase_now(edition, "vote")
    ballots = ([1, 2], [1, 2], [1, 4], [3], [3, 5], [5])
    for resident, numbers in zip(residents, ballots, strict=True):
        cast = send(
            signed_in(resident),
            "put",
            f"{API}/editions/{slug}/ballot",
            {"resident": True, "of_age": True, "choices": [{"project": n} for n in numbers]},
        )
        assert cast.status_code == 200, cast.content
    not_on_ballot = send(
        signed_in(residents[0]),
        "put",
        f"{API}/editions/{slug}/ballot",
        {"resident": True, "of_age": True, "choices": [{"project": 6}]},
    )
    assert not_on_ballot.status_code == 400 and "choices" in not_on_ballot.json()
    changed = send(
        signed_in(residents[5]),
        "put",
        f"{API}/editions/{slug}/ballot",
        {"resident": True, "of_age": True, "choices": [{"project": 5}, {"project": 4}]},
    )
    assert changed.status_code == 200, changed.content
    assert edition.participations.count() == 6 and edition.ballots.count() == 6

    # The vote closes; the planner counts by the Method of Equal Shares and publishes.
    phase_now(edition, None)
    counted = send(
        planner_client,
        "post",
        f"{API}/editions/{slug}/results/runs",
        {"rule": Edition.Rule.EQUAL_SHARES},
    )
    assert counted.status_code == 202, counted.content
    (run_data,) = counted.json()["runs"]
    job = wait_for(run_data["job"]["id"])
    assert job.status == Job.Status.SUCCEEDED, job.report
    run = ResultRun.objects.get()
    assert run.rule == Edition.Rule.EQUAL_SHARES
    from carto_concertation.budgets import counting
    from carto_concertation.budgets.selectors.results import election_of

    expected = counting.count(election_of(edition), rule="equalshares")
    by_number = dict(Project.objects.values_list("number", "pk"))
    assert run.selected == [by_number[int(n)] for n in expected.selected]
    published = send(
        planner_client, "post", f"{API}/editions/{slug}/results/publish", {"runs": [run.pk]}
    )
    assert published.status_code == 200, published.content
    winners = {int(n) for n in expected.selected}
    statuses = dict(Project.objects.values_list("number", "status"))
    assert {n for n, status in statuses.items() if status == "winner"} == winners
    assert statuses[6] == "not_admissible"

    # What anyone sees: the public results with their method, the tiles' colours.
    visitor = Client()
    public = visitor.get(f"{API}/editions/{slug}/results")
    assert public.status_code == 200, public.content
    assert "equalshares" in json.dumps(public.json())
    winner = Project.objects.get(number=min(winners))
    features = tile(visitor, f"budget-{slug}", winner.geom)
    shown = {f["properties"]["number"]: f["properties"]["status"] for f in features}
    assert shown[winner.number] == "winner"

    # Anyone recounts: the anonymised export, imported again, gives the same winners.
    export = visitor.get(f"{API}/editions/{slug}/export.pb")
    assert export.status_code == 200, export.content
    text = export.content.decode()
    assert all(resident.email not in text for resident in residents)
    imported = planner_client.post(
        f"{API}/import",
        {
            "territory": edition.territory.pk,
            "file": SimpleUploadedFile("bp.pb", export.content, content_type="text/plain"),
        },
    )
    assert imported.status_code == 201, imported.content
    again = Edition.objects.exclude(pk=edition.pk).get()
    recount = counting.count(election_of(again), rule="equalshares")
    assert sorted(int(n) for n in recount.selected) == sorted(winners)

    # The follow-up: a resident follows the winner, the services post its news.
    follower = signed_in(residents[1])
    followed = follower.post(f"{API}/editions/{slug}/projects/{winner.number}/follow")
    assert followed.status_code in (200, 201), followed.content
    news = planner_client.post(
        f"{API}/editions/{slug}/projects/{winner.number}/updates",
        {
            "date": timezone.localdate().isoformat(),
            "text": "Les travaux commencent.",
            "realisation": "works",
            "progress": 20,
        },
    )
    assert news.status_code == 201, news.content
    read = visitor.get(f"{API}/editions/{slug}/projects/{winner.number}/updates").json()
    assert "Les travaux commencent." in json.dumps(read)
    winner.refresh_from_db()
    assert (winner.realisation, winner.progress) == ("works", 20)
