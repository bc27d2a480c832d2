# SPDX-License-Identifier: AGPL-3.0-or-later
"""The campaign's figures and its clock.

The porteur or the territory's agents update the amount raised and the number of
contributors while the campaign runs, and until 30 days after its end (the platform's
final figures); each update is kept with its source, and a figure lower than the last
needs a reason, shown in public. The clock (``campaigns_advance``, run by beat) opens the
campaigns whose start date has come and closes those whose end date has passed, funded
or not, and tells the followers ("communiquer après la campagne")."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from carto_concertation.core.audit import audit_record

from ..audit import AGENT_ROLE
from ..models import FundingImport, FundingUpdate, Project
from ..notifications import followers_tell, project_url
from ..permissions import is_porteur, may_manage
from ..tiles import projects_map_changed

# The platform's final figures (refunds, late payments) may come this long after the end.
FINAL_FIGURES_DAYS = 30
REASON_MAX = 500
# Bounds of a figure typed in: far above any campaign, well within the columns.
RAISED_MAX = 10**11
CONTRIBUTORS_MAX = 10**8
# The statuses whose figures may still move (within the dates checked below).
FIGURES_STATUSES = (Project.Status.CAMPAIGN, Project.Status.FUNDED, Project.Status.NOT_FUNDED)


def _whole_number(value, *, field: str, maximum: int) -> int:
    """A figure as given (an int, or its text): whole, not negative, within bounds."""
    if isinstance(value, bool):
        raise ValidationError({field: _("Give a whole number.")})
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: _("Give a whole number.")}) from None
    if number < 0:
        raise ValidationError({field: _("A figure cannot be negative.")})
    if number > maximum:
        raise ValidationError({field: _("At most %(max)s.") % {"max": maximum}})
    return number


def figures_open(project: Project, *, today=None) -> bool:
    """Whether the figures of ``project`` may be updated today: its campaign is under way,
    or ended less than FINAL_FIGURES_DAYS ago."""
    today = today or timezone.localdate()
    return project.status in FIGURES_STATUSES and (
        project.campaign_starts_on
        <= today
        <= project.campaign_ends_on + timedelta(days=FINAL_FIGURES_DAYS)
    )


def figures_update(
    *,
    user,
    project: Project,
    raised,
    contributors,
    correction_reason: str = "",
    funding_import: FundingImport | None = None,
) -> FundingUpdate:
    """Record the amount raised and the contributors of ``project`` now (by its porteur or
    an agent; ``funding_import`` when they were read from the platform's export). A figure
    lower than the last needs ``correction_reason``. After the end, the final figures
    settle whether the campaign was funded."""
    if user is None or not may_manage(user, project):
        raise PermissionDenied(_("Only the porteur or the territory's agents update the figures."))
    raised = _whole_number(raised, field="raised", maximum=RAISED_MAX)
    contributors = _whole_number(contributors, field="contributors", maximum=CONTRIBUTORS_MAX)
    correction_reason = (correction_reason or "").strip()
    if len(correction_reason) > REASON_MAX:
        raise ValidationError(
            {"correction_reason": _("At most %(max)s characters.") % {"max": REASON_MAX}}
        )
    with transaction.atomic():
        # Locked: two updates at once compare each with the figures the other left.
        project = Project.objects.select_for_update().get(pk=project.pk)
        if not figures_open(project):
            raise ValidationError(
                {
                    "project": _(
                        "The figures are updated during the campaign and up to %(days)s days "
                        "after its end."
                    )
                    % {"days": FINAL_FIGURES_DAYS}
                }
            )
        lower = raised < project.raised or contributors < project.contributors
        if lower and not correction_reason:
            raise ValidationError(
                {
                    "correction_reason": _(
                        "The figures go down (%(raised)s € from %(contributors)s contributors "
                        "before): say why, the reason is shown in public."
                    )
                    % {"raised": project.raised, "contributors": project.contributors}
                }
            )
        if funding_import is not None:
            source = FundingUpdate.Source.PLATFORM_CSV
        elif is_porteur(user, project):
            source = FundingUpdate.Source.PORTEUR
        else:
            source = FundingUpdate.Source.AGENT
        update = FundingUpdate.objects.create(
            project=project,
            raised=raised,
            contributors=contributors,
            source=source,
            correction_reason=correction_reason,
            funding_import=funding_import,
            entered_by=user,
        )
        project.raised, project.contributors = raised, contributors
        project.figures_updated_at = update.created_at
        fields = ["raised", "contributors", "figures_updated_at", "updated_at"]
        before = project.status
        if project.status in (Project.Status.FUNDED, Project.Status.NOT_FUNDED):
            # The final figures decide (a late payment, a refund), without a new e-mail.
            project.status = _outcome(project)
            fields.append("status")
        project.save(update_fields=fields)
        _figures_audit(user, project, update, before=before)
        projects_map_changed(project)
    return update


def _figures_audit(user, project: Project, update: FundingUpdate, *, before: str) -> None:
    """An agent's figures in the staff audit journal, and the result they changed:
    figures and codes, never the reason's text (it is public on the project's page)."""
    if not user.has_perm("crowdfunding.review", project):
        return  # the porteur's: a resident's update, kept in FundingUpdate
    territory = project.territory_id
    audit_record(
        "crowdfunding.figures_updated",
        update,
        actor=user,
        territory=territory,
        role=AGENT_ROLE,
        project=project.pk,
        source=update.source,
        raised=update.raised,
        contributors=update.contributors,
        corrected=bool(update.correction_reason),
        **({"funding_import": update.funding_import_id} if update.funding_import_id else {}),
    )
    if project.status != before:
        audit_record(
            "crowdfunding.result_changed",
            project,
            actor=user,
            territory=territory,
            role=AGENT_ROLE,
            before=before,
            after=project.status,
        )


def _outcome(project: Project) -> str:
    return Project.Status.FUNDED if project.raised >= project.goal else Project.Status.NOT_FUNDED


def _tell_start(project: Project) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        followers_tell(
            project,
            subject=_("The campaign of “%(title)s” has begun") % {"title": project.title},
            body=_(
                "The crowdfunding campaign of “%(title)s” is open until %(end)s, on %(platform)s: "
                "%(campaign)s\n\nThe project's page: %(url)s"
            )
            % {
                "title": project.title,
                "end": project.campaign_ends_on.strftime("%d/%m/%Y"),
                "platform": project.platform_name or project.get_platform_display(),
                "campaign": project.campaign_url,
                "url": project_url(project),
            },
        )


def _tell_end(project: Project) -> None:
    figures = {
        "title": project.title,
        "raised": project.raised,
        "goal": project.goal,
        "percent": project.progress_percent,
        "contributors": project.contributors,
        "url": project_url(project),
    }
    with translation.override(settings.LANGUAGE_CODE):
        if project.status == Project.Status.FUNDED:
            subject = _("“%(title)s” is funded") % figures
            body = _(
                "The campaign of “%(title)s” has ended: %(raised)s € raised from %(contributors)s "
                "contributors, %(percent)s %% of its goal of %(goal)s €. Thank you!\n\n"
                "The news of the works will follow on the project's page: %(url)s"
            )
        else:
            subject = _("The campaign of “%(title)s” has ended") % figures
            body = _(
                "The campaign of “%(title)s” has ended without reaching its goal: %(raised)s € "
                "raised from %(contributors)s contributors, %(percent)s %% of %(goal)s €.\n\n"
                "What comes next is told on the project's page: %(url)s"
            )
        followers_tell(project, subject=subject, body=body % figures)


def campaigns_advance(*, today=None) -> dict[str, int]:
    """Open the accepted projects whose campaign's start date has come, close the
    campaigns whose end date has passed (funded when the amount raised reaches the goal),
    and tell their followers. Idempotent: a project moves once, each in its transaction
    (the e-mails leave once it commits). How many started and ended."""
    today = today or timezone.localdate()
    started = ended = 0
    due = Project.objects.filter(status=Project.Status.ACCEPTED, campaign_starts_on__lte=today)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            project = Project.objects.select_for_update().get(pk=pk)
            if project.status != Project.Status.ACCEPTED:
                continue
            project.status = Project.Status.CAMPAIGN
            project.save(update_fields=["status", "updated_at"])
            projects_map_changed(project)
            started += 1
            if project.campaign_ends_on >= today:
                _tell_start(project)
    over = Project.objects.filter(status=Project.Status.CAMPAIGN, campaign_ends_on__lt=today)
    for pk in over.values_list("pk", flat=True):
        with transaction.atomic():
            project = Project.objects.select_for_update().get(pk=pk)
            if project.status != Project.Status.CAMPAIGN:
                continue
            project.status = _outcome(project)
            project.save(update_fields=["status", "updated_at"])
            projects_map_changed(project)
            ended += 1
            _tell_end(project)
    return {"started": started, "ended": ended}
