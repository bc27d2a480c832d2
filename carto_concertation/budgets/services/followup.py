# SPDX-License-Identifier: AGPL-3.0-or-later
"""The follow-up of the winners ("redevabilité"): the services set where a winning project
stands (its realisation and progress) and publish dated news with a photo; residents
follow a winner and hear of each news (notification kind ``budget_project_news``).

Each write is one transaction; the photo is stored under a random name and deleted again
if the transaction fails; the followers' e-mails are queued after the commit."""

import secrets
from datetime import date as Date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.core.photos import photo_prepare, removed_on_error

from ..models import Project, ProjectFollower, ProjectUpdate
from ..tiles import projects_map_changed

# The statuses a follow-up applies to: the winners, and those already completed.
FOLLOWED_STATUSES = (Project.Status.WINNER, Project.Status.DONE)
TEXT_MAX = 5000
REASON_MAX = 2000


def _run_check(project: Project, user) -> None:
    if user is None or not user.has_perm("budgets.run", project.edition):
        raise PermissionDenied(_("Only the services of this edition follow up its projects."))


def _winner_check(project: Project) -> None:
    if project.status not in FOLLOWED_STATUSES:
        raise ValidationError(
            {"project": _("Only a winning project has a follow-up: this one did not win.")}
        )


def _clean_progress(progress) -> int | None:
    if progress is None or progress == "":
        return None
    try:
        value = int(progress)
    except (TypeError, ValueError):
        raise ValidationError({"progress": _("The progress is a whole number.")}) from None
    if not 0 <= value <= 100:
        raise ValidationError({"progress": _("The progress is between 0 and 100 %.")})
    return value


def _apply(
    project: Project, *, realisation: str, progress: int | None, abandon_reason: str
) -> None:
    """Move the project's realisation and progress (checked), not saved."""
    if realisation and realisation not in Project.Realisation.values:
        raise ValidationError({"realisation": _("This realisation does not exist.")})
    abandon_reason = (abandon_reason or "").strip()
    if len(abandon_reason) > REASON_MAX:
        raise ValidationError(
            {"abandon_reason": _("At most %(max)s characters.") % {"max": REASON_MAX}}
        )
    if realisation == Project.Realisation.ABANDONED:
        if not abandon_reason and not project.abandon_reason:
            raise ValidationError(
                {"abandon_reason": _("Say publicly why the project is abandoned.")}
            )
        project.abandon_reason = abandon_reason or project.abandon_reason
    elif realisation:
        project.abandon_reason = ""
    if realisation == Project.Realisation.DONE:
        # Completed is completed: 100 %, and the project's status says so too.
        progress = 100
        project.status = Project.Status.DONE
    elif realisation and project.status == Project.Status.DONE:
        project.status = Project.Status.WINNER
    if realisation:
        project.realisation = realisation
    if progress is not None:
        project.progress = progress


@transaction.atomic
def project_realisation_set(
    project: Project,
    *,
    user,
    realisation: str,
    progress: int | None = None,
    abandon_reason: str = "",
) -> Project:
    """Where a winner stands: under study, works, completed (100 %), abandoned (with a
    public reason)."""
    _run_check(project, user)
    project = Project.objects.select_for_update().get(pk=project.pk)
    _winner_check(project)
    if not realisation:
        raise ValidationError({"realisation": _("Choose the realisation.")})
    _apply(
        project,
        realisation=realisation,
        progress=_clean_progress(progress),
        abandon_reason=abandon_reason,
    )
    project.save()
    if project.geom is not None:
        projects_map_changed(project.edition, after=[project.geom])
    return project


@transaction.atomic
def project_update_add(
    project: Project,
    *,
    user,
    date: Date,
    text: str,
    photo=None,
    realisation: str = "",
    progress: int | None = None,
    abandon_reason: str = "",
) -> ProjectUpdate:
    """A dated public news of a winner, with an optional photo (re-encoded without its
    metadata); it may move the realisation and progress at once. Its followers hear of it."""
    _run_check(project, user)
    project = Project.objects.select_for_update().get(pk=project.pk)
    _winner_check(project)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the news.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("At most %(max)s characters.") % {"max": TEXT_MAX}})
    if not isinstance(date, Date):
        raise ValidationError({"date": _("Give the date of the news.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("The news cannot be dated in the future.")})
    progress = _clean_progress(progress)
    prepared = photo_prepare(upload=photo, field="photo") if photo else None
    if realisation or progress is not None:
        _apply(project, realisation=realisation, progress=progress, abandon_reason=abandon_reason)
        project.save()
        if project.geom is not None:
            projects_map_changed(project.edition, after=[project.geom])
    update = ProjectUpdate(
        project=project,
        date=date,
        text=text,
        realisation=realisation,
        progress=project.progress if (realisation or progress is not None) else None,
        author=user,
    )
    with removed_on_error() as stored:
        if prepared is not None:
            update.photo.save(
                f"{secrets.token_hex(12)}.jpg", ContentFile(prepared.content), save=False
            )
            stored.append(update.photo.name)
        update.save()
    from ..tasks import project_news_notify

    update_id = update.pk
    transaction.on_commit(lambda: project_news_notify.delay(update_id))
    return update


def _followable(project: Project, user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to follow a project."))
    if project.status not in FOLLOWED_STATUSES or not project.edition.is_published:
        raise ValidationError({"project": _("Only a winning project can be followed.")})


@transaction.atomic
def project_follow(project: Project, *, user) -> ProjectFollower:
    """Follow a winner: hear of its news. Following twice is following."""
    _followable(project, user)
    try:
        with transaction.atomic():
            return ProjectFollower.objects.create(project=project, user=user)
    except IntegrityError:
        return ProjectFollower.objects.get(project=project, user=user)


@transaction.atomic
def project_unfollow(project: Project, *, user) -> None:
    """Stop following a project (nothing when one did not follow it)."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to stop following a project."))
    ProjectFollower.objects.filter(project=project, user=user).delete()
