# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results' writes: ask for a count (a Celery job), store what it found, publish a set
of runs (the winners become WINNER, the others NOT_SELECTED). One transaction each."""

from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.core.audit import audit_record
from carto_concertation.core.jobs import job_create

from .. import counting
from ..models import Edition, Project, ResultRun
from ..selectors.results import COUNTED_STATUSES, vote_closed
from ..tiles import edition_map_changed

JOB_KIND = "budget_results"


def _check_run(user, edition: Edition) -> None:
    if not user.has_perm("budgets.run", edition):
        raise PermissionDenied(_("Only the planners of this edition's territory may do that."))


def _choice(value: str | None, default: str, choices, field: str) -> str:
    value = default if value in (None, "") else value
    if value not in choices.values:
        raise ValidationError({field: _("Unknown value: %(value)s.") % {"value": value}})
    return value


@transaction.atomic
def results_compute(
    edition: Edition,
    *,
    user,
    rule: str | None = None,
    satisfaction: str | None = None,
    comparison: bool | None = None,
) -> list[ResultRun]:
    """Ask the worker to count the edition's ballots by ``rule`` (the edition's own rule and
    settings by default): one run for the edition, or one per district when its envelope
    is split, all computed by one job. Only once the vote has closed."""
    _check_run(user, edition)
    rule = _choice(rule, edition.counting_rule, Edition.Rule, "rule")
    satisfaction = _choice(satisfaction, edition.satisfaction, Edition.Satisfaction, "satisfaction")
    comparison = edition.mes_comparison if comparison is None else bool(comparison)
    if not vote_closed(edition):
        raise ValidationError({"edition": _("The vote has not closed yet: count once it has.")})
    districts: list = [None]
    if edition.split_by_district:
        districts = list(edition.districts.order_by("name"))
        if not districts:
            raise ValidationError({"districts": _("The envelope is split but has no districts.")})
        missing = [district.name for district in districts if district.envelope is None]
        if missing:
            raise ValidationError(
                {
                    "districts": _("These districts have no envelope: %(names)s.")
                    % {"names": ", ".join(missing)}
                }
            )
    # Imported here: tasks.py imports this module's store function.
    from ..tasks import budget_results_task

    runs = [
        ResultRun.objects.create(
            edition=edition,
            district=district,
            rule=rule,
            satisfaction=satisfaction,
            mes_comparison=comparison,
            budget=(district.envelope if district is not None else edition.envelope),
            created_by=user,
        )
        for district in districts
    ]
    job = job_create(
        kind=JOB_KIND,
        title=_("Results of %(edition)s") % {"edition": edition.title},
        params={"edition_id": edition.pk, "runs": [run.pk for run in runs]},
        user=user,
        enqueue=budget_results_task.delay,
    )
    ResultRun.objects.filter(pk__in=[run.pk for run in runs]).update(job=job)
    for run in runs:
        run.job = job
    return runs


def fraction_json(value: Fraction | None) -> dict | None:
    """An exact amount as "p/q" (what the count found) and a float (what a page shows)."""
    if value is None:
        return None
    value = Fraction(value)
    return {"exact": f"{value.numerator}/{value.denominator}", "value": float(value)}


def _left_at_turn(outcome: counting.Outcome, budget: int, score: int, project_id: str) -> int:
    """What was left of the envelope when a project that did not fit came up, for a rule
    that takes the projects by score: the envelope less the winners scored at least as
    high (bought before it)."""
    spent = sum(
        explanation.cost
        for explanation in outcome.explanations.values()
        if explanation.selected
        and explanation.stage == "rule"
        # Ties go by project id, as the count breaks them.
        and (
            explanation.score > score
            or (explanation.score == score and explanation.project < project_id)
        )
    )
    return budget - spent


def explanations_of(
    outcome: counting.Outcome, election: counting.Election, pks: dict[str, int]
) -> dict[str, dict]:
    """The outcome's explanations, keyed by project pk, as JSON the pages word."""
    stored = {}
    for project_id, explanation in outcome.explanations.items():
        entry = {
            "number": int(project_id) if project_id.isdigit() else project_id,
            "cost": explanation.cost,
            "votes": explanation.votes,
            "score": explanation.score,
            "selected": explanation.selected,
            "reason": explanation.reason,
            "step": explanation.step,
            "stage": explanation.stage,
            "supporters_money_left": fraction_json(explanation.supporters_money_left),
            "price_per_satisfaction": fraction_json(explanation.price_per_satisfaction),
        }
        if explanation.reason == "no_room":
            entry["left"] = _left_at_turn(
                outcome, election.budget, explanation.score, explanation.project
            )
        stored[str(pks[project_id])] = entry
    return stored


@transaction.atomic
def result_run_store(
    run: ResultRun, *, election: counting.Election, outcome: counting.Outcome
) -> ResultRun:
    """Keep what a count found: the winners (project pks, in the order bought), the total,
    the explanations, the ballots counted."""
    # The projects the count read (their status may have moved since), by number.
    numbers = [int(project.id) for project in election.projects]
    pks = {
        str(number): pk
        for pk, number in Project.objects.filter(
            edition=run.edition, number__in=numbers
        ).values_list("pk", "number")
    }
    run.selected = [pks[project_id] for project_id in outcome.selected]
    run.total_cost = outcome.total_cost
    run.budget = election.budget
    run.ballots_counted = len(election.ballots)
    run.explanations = explanations_of(outcome, election, pks)
    run.computed_at = timezone.now()
    run.save(
        update_fields=[
            "selected",
            "total_cost",
            "budget",
            "ballots_counted",
            "explanations",
            "computed_at",
        ]
    )
    return run


@transaction.atomic
def results_publish(
    runs: list[ResultRun], *, user, edition: Edition | None = None
) -> list[ResultRun]:
    """Publish a computed set of runs as the edition's results (one run, or one per
    district when the envelope is split), replacing any published before: the winners
    become WINNER, the other projects of the vote NOT_SELECTED."""
    if not runs:
        raise ValidationError({"runs": _("Choose the results to publish.")})
    edition = edition or runs[0].edition
    if any(run.edition_id != edition.pk for run in runs):
        raise ValidationError({"runs": _("These results are of another edition.")})
    _check_run(user, edition)
    if any(run.computed_at is None for run in runs):
        raise ValidationError({"runs": _("These results are still being computed.")})
    if edition.split_by_district:
        covered = sorted(run.district_id or 0 for run in runs)
        expected = sorted(edition.districts.values_list("pk", flat=True))
        if covered != expected:
            raise ValidationError(
                {"runs": _("Publish one result per district, for every district.")}
            )
    elif len(runs) != 1 or runs[0].district_id is not None:
        raise ValidationError({"runs": _("Publish one result for the whole edition.")})
    # Lock the edition: two agents publishing at once end with one set, not a mix.
    Edition.objects.select_for_update().get(pk=edition.pk)
    now = timezone.now()
    ResultRun.objects.filter(edition=edition, is_published=True).update(
        is_published=False, published_at=None
    )
    ids = [run.pk for run in runs]
    ResultRun.objects.filter(pk__in=ids).update(is_published=True, published_at=now)
    audit_record(
        "budgets.results_published", edition, actor=user, territory=edition.territory_id, runs=ids
    )
    winners = {pk for run in runs for pk in run.selected}
    decided = Project.objects.filter(edition=edition, status__in=COUNTED_STATUSES)
    decided.filter(pk__in=winners).update(status=Project.Status.WINNER, updated_at=now)
    decided.exclude(pk__in=winners).update(status=Project.Status.NOT_SELECTED, updated_at=now)
    for run in runs:
        run.is_published, run.published_at = True, now
    edition_map_changed(edition)
    return runs
