# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's demo (the ``demo`` slot of the manifest), on the demo
territory: its communes as districts; a past edition (2025), counted by greedy from a few
hundred ballots, its results published and its winners followed up in every realisation
with dated news; and a current edition (2026), its envelope split per district, in its
vote phase, with projects in every status of the analysis and paper ballots already in.

The rows are written through the models (the editions', projects' and ballots' services
are other parts of the module), the count through ``counting.count``. The ballots are
paper ballots typed in at a polling station: they name nobody, so no account is made for
them. Drawn from ``random.Random(SEED)``: the same demo every time."""

import io
import random
from datetime import datetime, timedelta

from django.contrib.gis.geos import Point
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from carto_concertation.core.modules import DemoBackbone
from carto_concertation.territories.models import Commune, Territory

from .. import counting
from ..models import (
    Ballot,
    BallotChoice,
    District,
    Edition,
    EditionPhase,
    Project,
    ProjectFollower,
    ProjectUpdate,
    ResultRun,
)
from ..selectors.results import election_of
from ..services.results import result_run_store, results_publish
from .content import (
    ABANDON_REASON,
    CURRENT_PROJECTS,
    DISTRICT_INSEE,
    NEWS,
    PAST_PROJECTS,
)

SEED = 19
PAST_BALLOTS = 320
CURRENT_BALLOTS = 180
SPACING = 300  # metres between the projects of one commune
# The past edition's winners take these realisations in turn: every one is shown.
REALISATIONS = ("done", "works", "study", "abandoned")
PROGRESS = {"study": 10, "works": 55, "done": 100, "abandoned": 20}
PHOTO_COLOURS = {"works": (230, 159, 0), "done": (0, 158, 115)}


def budgets_demo(backbone: DemoBackbone) -> str | None:
    """Once, on the demo territory only."""
    territory = backbone.territory
    if territory is None or Edition.objects.filter(territory=territory).exists():
        return None
    rng = random.Random(SEED)  # noqa: S311 (a demo, drawn the same every time)
    communes = _communes(territory)
    planner = backbone.accounts.get("planner")
    past = _edition(territory, 2025, communes, split=False, envelope=150_000)
    _past_phases(past)
    past_projects = _projects_past(past)
    _ballots(past, past_projects, rng, PAST_BALLOTS)
    winners = _count(past, past_projects, planner)
    _followup(winners, backbone, rng)
    current = _edition(territory, 2026, communes, split=True, envelope=160_000)
    _current_phases(current)
    on_ballot = _projects_current(current)
    _ballots(current, on_ballot, rng, CURRENT_BALLOTS)
    return _(
        "Demo participatory budget: edition %(past)s (%(winners)s winners followed up) and "
        "edition %(current)s (vote open, %(projects)s projects), in %(districts)s districts"
    ) % {
        "past": past.year,
        "winners": len(winners),
        "current": current.year,
        "projects": current.projects.count(),
        "districts": len(communes),
    }


def _communes(territory: Territory) -> list[Commune]:
    communes = list(Commune.objects.filter(territory=territory, insee__in=DISTRICT_INSEE))
    if len(communes) < 2:
        communes = list(Commune.objects.filter(territory=territory).order_by("insee")[:4])
    return sorted(communes, key=lambda c: c.insee)


def _edition(
    territory: Territory, year: int, communes: list[Commune], *, split: bool, envelope: int
) -> Edition:
    edition = Edition.objects.create(
        territory=territory,
        title=f"Budget participatif {year}",
        slug=f"budget-participatif-{year}",
        year=year,
        description=_("The residents propose projects for their commune, then vote for them."),
        envelope=envelope,
        split_by_district=split,
        max_choices=0 if not split else 3,
        is_published=True,
    )
    share = envelope // len(communes)
    District.objects.bulk_create(
        District(
            edition=edition,
            name=commune.name,
            code=commune.insee,
            geom=commune.geom,
            envelope=share if split else None,
        )
        for commune in communes
    )
    return edition


def _phase_rows(edition: Edition, dates: list[tuple[datetime, datetime | None]]) -> None:
    kinds = [kind for kind, _label in EditionPhase.Kind.choices]
    EditionPhase.objects.bulk_create(
        EditionPhase(edition=edition, kind=kind, starts_at=starts, ends_at=ends)
        for kind, (starts, ends) in zip(kinds, dates, strict=True)
    )


def _past_phases(edition: Edition) -> None:
    def day(month: int, d: int) -> datetime:
        return timezone.make_aware(datetime(edition.year, month, d))

    _phase_rows(
        edition,
        [
            (day(1, 15), day(3, 15)),
            (day(3, 16), day(5, 15)),
            (day(5, 20), day(6, 20)),
            (day(6, 25), day(9, 30)),
            (day(10, 1), None),
        ],
    )


def _current_phases(edition: Edition) -> None:
    """Dated from now, so that the vote is open whenever the demo is loaded."""
    now = timezone.now()

    def at(days: int) -> datetime:
        return now + timedelta(days=days)

    _phase_rows(
        edition,
        [(at(-70), at(-40)), (at(-39), at(-2)), (at(-1), at(21)), (at(22), at(40)), (at(41), None)],
    )


def _place(district: District, n: int) -> Point:
    """The n-th place of a district: around a point inside it, SPACING apart, inside it."""
    centre = district.geom.point_on_surface
    for ring in range(n, n + 40):
        dx, dy = (ring % 5 - 2) * SPACING, (ring // 5 % 5 - 2) * SPACING
        point = Point(centre.x + dx, centre.y + dy, srid=district.geom.srid)
        if district.geom.covers(point):
            return point
    return centre


def _located(edition: Edition, index: int) -> dict:
    districts = list(edition.districts.order_by("code"))
    district = districts[index % len(districts)]
    return {"district": district, "geom": _place(district, 7 + index // len(districts) * 3)}


def _projects_past(edition: Edition) -> list[Project]:
    return [
        Project.objects.create(
            edition=edition,
            number=index + 1,
            title=title,
            description=description,
            estimated_cost=cost,
            status=Project.Status.ON_BALLOT,
            analysis_reason=_("Admissible: in the budget's scope and feasible."),
            **_located(edition, index),
        )
        for index, (title, description, cost) in enumerate(PAST_PROJECTS)
    ]


def _projects_current(edition: Edition) -> list[Project]:
    """Its projects in every status of the analysis; those put to the vote."""
    made: list[Project] = []
    for index, (title, description, cost, status, reason) in enumerate(CURRENT_PROJECTS):
        made.append(
            Project.objects.create(
                edition=edition,
                number=index + 1,
                title=title,
                description=description,
                estimated_cost=cost,
                # The services revised a few costs during the analysis.
                revised_cost=cost + 1_500 if index % 4 == 1 else None,
                status=status,
                analysis_reason=reason,
                merged_into=made[0] if status == Project.Status.MERGED else None,
                **_located(edition, index),
            )
        )
    return [p for p in made if p.status == Project.Status.ON_BALLOT]


def _ballots(edition: Edition, projects: list[Project], rng: random.Random, n: int) -> None:
    """``n`` paper ballots: each project is approved with its own popularity; a split
    edition's ballot holds projects of one district only (at most its max_choices)."""
    popularity = {p.pk: rng.uniform(0.12, 0.6) for p in projects}
    by_district: dict[int | None, list[Project]] = {}
    for project in projects:
        by_district.setdefault(project.district_id if edition.split_by_district else None, [])
        by_district[project.district_id if edition.split_by_district else None].append(project)
    keys = sorted(by_district, key=lambda k: k or 0)
    drawn: list[tuple[int | None, list[Project]]] = []
    for index in range(n):
        district = keys[index % len(keys)]
        choices = [p for p in by_district[district] if rng.random() < popularity[p.pk]]
        choices = choices or [rng.choice(by_district[district])]
        if edition.max_choices:
            choices = choices[: edition.max_choices]
        drawn.append((district, choices))
    ballots = Ballot.objects.bulk_create(
        Ballot(edition=edition, district_id=district, channel=Ballot.Channel.PAPER)
        for district, _choices in drawn
    )
    BallotChoice.objects.bulk_create(
        BallotChoice(ballot=ballot, project=project)
        for ballot, (_district, choices) in zip(ballots, drawn, strict=True)
        for project in choices
    )


def _count(edition: Edition, projects: list[Project], planner) -> list[Project]:
    """Greedy over the ballots, as the results job counts, published by the planner."""
    election = election_of(edition)
    run = ResultRun.objects.create(
        edition=edition,
        rule=Edition.Rule.GREEDY,
        satisfaction=Edition.Satisfaction.COST,
        created_by=planner,
    )
    run = result_run_store(
        run, election=election, outcome=counting.count(election, rule=Edition.Rule.GREEDY)
    )
    results_publish([run], user=planner)
    winners = [project for project in projects if project.pk in run.selected]
    for project in winners:
        project.refresh_from_db()
    return winners


def _photo(colour: tuple[int, int, int]) -> ContentFile:
    image = Image.new("RGB", (320, 200), colour)
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=80)
    return ContentFile(output.getvalue())


def _followup(winners: list[Project], backbone: DemoBackbone, rng: random.Random) -> None:
    """The winners in every realisation in turn, each with its news; the demo resident
    follows those under works."""
    today = timezone.localdate()
    planner = backbone.accounts.get("planner")
    resident = backbone.accounts.get("resident")
    for index, project in enumerate(winners):
        realisation = REALISATIONS[index % len(REALISATIONS)]
        project.realisation = realisation
        project.progress = PROGRESS[realisation]
        if realisation == "done":
            project.status = Project.Status.DONE
        if realisation == "abandoned":
            project.abandon_reason = ABANDON_REASON
        project.save()
        news = NEWS[realisation]
        for step, (days, text) in enumerate(news):
            last = step == len(news) - 1
            update = ProjectUpdate(
                project=project,
                date=today - timedelta(days=days + rng.randint(0, 5)),
                text=text,
                realisation=realisation if last else "",
                progress=project.progress if last else None,
                author=planner,
            )
            if last and realisation in PHOTO_COLOURS:
                update.photo.save("demo.jpg", _photo(PHOTO_COLOURS[realisation]), save=False)
            update.save()
        if realisation == "works" and resident is not None:
            ProjectFollower.objects.create(project=project, user=resident)
