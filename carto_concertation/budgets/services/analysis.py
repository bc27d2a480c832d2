# SPDX-License-Identifier: AGPL-3.0-or-later
"""The services' analysis of the proposed projects: admissible or not (with the public
reason), merged into another, then put to the vote. One transaction each; a refusal is a
ValidationError naming the field, and nothing is written."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.core.audit import audit_record

from ..models import Edition, EditionPhase, Project, ProjectSupporter
from ..tiles import edition_map_changed, projects_map_changed
from .editions import MAX_EUROS, require_run, vote_opened

REASON_MAX = 2000
# A project the analysis may still decide on (a decision can be revised until the vote).
UNDECIDED_OR_DECIDED = (
    Project.Status.PROPOSED,
    Project.Status.ADMISSIBLE,
    Project.Status.NOT_ADMISSIBLE,
)


def _check_analysis_time(edition: Edition) -> None:
    """From the start of the analysis phase until the vote opens."""
    started = edition.phases.filter(
        kind=EditionPhase.Kind.ANALYSIS, starts_at__lte=timezone.now()
    ).exists()
    if not started:
        raise ValidationError(
            {"status": _("The analysis phase has not begun: projects are decided during it.")}
        )
    if vote_opened(edition):
        raise ValidationError(
            {"status": _("The vote has opened: the analysis of the projects is closed.")}
        )


def _clean_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {
                "reason": _("The reason is too long (%(max)s characters at most).")
                % {"max": REASON_MAX}
            }
        )
    return reason


@transaction.atomic
def project_decide(
    project: Project, *, user, admissible: bool, reason: str, revised_cost: int | None = None
) -> Project:
    """Declare a project admissible (possibly at a revised cost) or not (with a reason)."""
    require_run(project.edition, user)
    project = Project.objects.select_for_update().select_related("edition").get(pk=project.pk)
    _check_analysis_time(project.edition)
    if project.status not in UNDECIDED_OR_DECIDED:
        raise ValidationError(
            {
                "status": _("This project is “%(status)s”: it is no longer decided on.")
                % {"status": project.get_status_display()}
            }
        )
    reason = _clean_reason(reason)
    if not admissible and not reason:
        raise ValidationError(
            {"reason": _("Say why the project is not admissible: the reason is made public.")}
        )
    if revised_cost is not None and not 0 < revised_cost <= MAX_EUROS:
        raise ValidationError(
            {"revised_cost": _("The revised cost must be more than 0 euros, and realistic.")}
        )
    project.status = Project.Status.ADMISSIBLE if admissible else Project.Status.NOT_ADMISSIBLE
    project.analysis_reason = reason
    project.revised_cost = revised_cost if admissible else None
    # A banned account's project, held until now: the services' decision publishes it.
    project.held = False
    project.save(update_fields=["status", "analysis_reason", "revised_cost", "held", "updated_at"])
    audit_record(
        "budgets.project_decided",
        project,
        actor=user,
        territory=project.edition.territory_id,
        admissible=admissible,
    )
    if project.geom is not None:
        projects_map_changed(project.edition, after=[project.geom])
    return project


@transaction.atomic
def projects_merge(*, keep: Project, merged: list[Project], user, reason: str) -> Project:
    """Merge ``merged`` into ``keep``: their supporters join it (once each), they become
    MERGED with the reason and point to it."""
    require_run(keep.edition, user)
    reason = _clean_reason(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why the projects are merged: it is made public.")})
    ids = {p.pk for p in merged}
    if not ids:
        raise ValidationError({"merged": _("Choose the projects to merge into this one.")})
    if keep.pk in ids:
        raise ValidationError({"merged": _("A project cannot be merged into itself.")})
    rows = list(Project.objects.select_for_update().filter(pk__in=ids | {keep.pk}).order_by("pk"))
    keep = next(p for p in rows if p.pk == keep.pk)
    others = [p for p in rows if p.pk != keep.pk]
    if any(p.edition_id != keep.edition_id for p in others):
        raise ValidationError({"merged": _("Only projects of the same edition can be merged.")})
    _check_analysis_time(keep.edition)
    for project in [keep, *others]:
        if project.status not in UNDECIDED_OR_DECIDED:
            raise ValidationError(
                {
                    "merged": _("The project no. %(number)s is “%(status)s”: it cannot be merged.")
                    % {"number": project.number, "status": project.get_status_display()}
                }
            )
    already = set(keep.supporters.values_list("user_id", flat=True))
    moving = ProjectSupporter.objects.filter(project__in=others).order_by("pk")
    for support in moving:
        if support.user_id in already:
            support.delete()
        else:
            already.add(support.user_id)
            support.project = keep
            support.save(update_fields=["project"])
    if keep.held:  # the services chose it to carry the others: it is published
        keep.held = False
        keep.save(update_fields=["held", "updated_at"])
    Project.objects.filter(pk__in=[p.pk for p in others]).update(
        status=Project.Status.MERGED,
        merged_into=keep,
        analysis_reason=reason,
        updated_at=timezone.now(),
    )
    audit_record(
        "budgets.projects_merged",
        keep,
        actor=user,
        territory=keep.edition.territory_id,
        merged=sorted(ids),
    )
    edition_map_changed(keep.edition)
    return keep


@transaction.atomic
def edition_ballot_open(edition: Edition, *, user) -> int:
    """Put every admissible project on the ballot (the others stay as they are); how many."""
    require_run(edition, user)
    admissible = Project.objects.select_for_update().filter(
        edition=edition, status=Project.Status.ADMISSIBLE
    )
    count = admissible.update(status=Project.Status.ON_BALLOT, updated_at=timezone.now())
    if not count:
        raise ValidationError(
            {"status": _("No project is admissible: decide on the projects before the vote.")}
        )
    audit_record(
        "budgets.ballot_opened", edition, actor=user, territory=edition.territory_id, projects=count
    )
    edition_map_changed(edition)
    return count
