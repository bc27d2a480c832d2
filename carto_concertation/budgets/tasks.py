# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's background work: the count of an edition's ballots (a core
Job, followed from the agents' results page), the sealing of closed votes and the news of
the winners to their followers."""

from collections.abc import Iterator
from contextlib import contextmanager

from celery import shared_task
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from carto_concertation.core.jobs import JobTask, job_finish, job_progress, job_started
from carto_concertation.core.models import Job

from . import counting
from .models import ResultRun
from .selectors.results import election_of
from .services.ballots import ballots_seal_closed
from .services.results import fraction_json, result_run_store


@shared_task(base=JobTask, autoretry_for=())
def budget_results_task(job_id: str) -> dict:
    """Count each run of the job (one per district when the envelope is split), its
    progress shared between them; an unexpected error fails the job (JobTask)."""
    job = Job.objects.get(pk=job_id)
    job_started(job_id)
    with translation.override(settings.LANGUAGE_CODE):
        runs = list(
            ResultRun.objects.filter(pk__in=job.params["runs"])
            .select_related("edition", "district")
            .order_by("district__name", "pk")
        )
        report = {"runs": []}
        for index, run in enumerate(runs):
            where = run.district.name if run.district else run.edition.title
            job_progress(
                job_id,
                100 * index // len(runs),
                _("Reading the ballots of %(where)s") % {"where": where},
            )
            election = election_of(run.edition, run.district)

            def progress(percent: int, index: int = index, where: str = where) -> None:
                # The count's own percent, as a slice of the whole job.
                overall = (100 * index + max(0, min(100, percent))) // len(runs)
                job_progress(job_id, min(overall, 99), _("Counting %(where)s") % {"where": where})

            outcome = counting.count(
                election,
                rule=run.rule,
                satisfaction=run.satisfaction,
                comparison=run.mes_comparison,
                progress=progress,
            )
            result_run_store(run, election=election, outcome=outcome)
            report["runs"].append(
                {
                    "run": run.pk,
                    "district": run.district.name if run.district else None,
                    "ballots": len(election.ballots),
                    "winners": len(outcome.selected),
                    "total_cost": outcome.total_cost,
                    # MES with Add1: the voter's share the completion stopped at.
                    "voter_share": fraction_json(outcome.voter_share),
                }
            )
        job_finish(job_id, succeeded=True, message=_("The results are computed."), report=report)
    return report


@shared_task
def ballots_seal_closed_task() -> int:
    """Erase the voter keys of the editions whose vote has ended (services/ballots.py)."""
    return ballots_seal_closed()


@contextmanager
def _queued_where_taken(app, queue: str | None) -> Iterator[None]:
    """Tasks sent meanwhile go to ``queue``: the queue this task was taken from, which the
    workers serving the module read (a worker reading only its own queue, as the tests'
    does, then sends the e-mails too)."""
    before = app.conf.task_default_queue
    if queue:
        app.conf.task_default_queue = queue
    try:
        yield
    finally:
        app.conf.task_default_queue = before


@shared_task(bind=True)
def project_news_notify(self, update_id: int) -> int:
    """Tell the followers of a winner of one news of it (queued after the news commits);
    each e-mail goes through accounts.notifications.notify. How many were told."""
    from .models import ProjectUpdate
    from .notifications import project_news_tell

    update = ProjectUpdate.objects.select_related("project__edition").filter(pk=update_id).first()
    if update is None:
        return 0
    queue = (self.request.delivery_info or {}).get("routing_key")
    with _queued_where_taken(self.app, queue):
        return project_news_tell(update)
