# SPDX-License-Identifier: AGPL-3.0-or-later
"""After the campaign ("communiquer après la campagne", the collectivités' guide): the
porteur or the territory's agents publish dated news of the works with a photo, the
last one marking the inauguration; residents follow a project and hear of each news
(notification kind ``crowdfunding_project_news``).

A banned account's news (engagement's Ban, in the project's territory) is kept hidden:
its author sees it as any other, no one else does, its followers hear nothing and it
marks nothing inaugurated, until an agent who reviewed it publishes it (news_publish).

Each write is one transaction; the photo is stored under a random name and deleted again
if the transaction fails; the followers' e-mails leave after the commit (notify)."""

import secrets
from datetime import date as Date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from carto_concertation.core.audit import audit_record
from carto_concertation.core.photos import photo_prepare, removed_on_error
from carto_concertation.engagement.selectors import account_banned

from ..audit import AGENT_ROLE
from ..models import Project, ProjectFollower, WorksUpdate
from ..notifications import followers_tell, project_url
from ..permissions import may_manage
from ..tiles import projects_map_changed

# A news of the works follows a funded campaign (or an inauguration, for later news).
NEWS_STATUSES = (Project.Status.FUNDED, Project.Status.INAUGURATED)
# What the public may follow: what the collectivité accepted, not a refusal.
FOLLOWABLE_STATUSES = tuple(s for s in Project.PUBLIC_STATUSES if s != Project.Status.REFUSED)
TEXT_MAX = 5000


def _news_checked(project: Project, *, date, text: str, inaugurated: bool) -> str:
    """The news' text, stripped, or a ValidationError naming the field."""
    if project.status not in NEWS_STATUSES:
        raise ValidationError(
            {"project": _("News of the works follow a funded campaign: this one is not funded.")}
        )
    if inaugurated and project.status == Project.Status.INAUGURATED:
        raise ValidationError({"inaugurated": _("This project is already inaugurated.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the news.")})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": _("At most %(max)s characters.") % {"max": TEXT_MAX}})
    if not isinstance(date, Date):
        raise ValidationError({"date": _("Give the date of the news.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("The news cannot be dated in the future.")})
    if date < project.campaign_ends_on:
        raise ValidationError(
            {
                "date": _("The works follow the campaign: date the news from %(day)s on.")
                % {"day": date_format(project.campaign_ends_on, "DATE_FORMAT")}
            }
        )
    return text


def _followers_told(update: WorksUpdate) -> int:
    """The news to the project's followers, in the site's language (not the author's)."""
    project = update.project
    with translation.override(settings.LANGUAGE_CODE):
        if update.inaugurated:
            subject = _("“%(title)s” is inaugurated") % {"title": project.title}
        else:
            subject = _("News of the works: “%(title)s”") % {"title": project.title}
        body = "\n".join(
            [
                _("News of the project “%(title)s” (%(porteur)s), dated %(date)s:")
                % {
                    "title": project.title,
                    "porteur": project.porteur_name,
                    "date": date_format(update.date, "DATE_FORMAT"),
                },
                "",
                update.text,
                "",
                _("The project's page: %(url)s") % {"url": project_url(project)},
            ]
        )
    return followers_tell(project, subject=subject, body=body, author_id=update.author_id)


@transaction.atomic
def works_news_post(
    *,
    user,
    project: Project,
    date: Date,
    text: str,
    photo=None,
    inaugurated: bool = False,
) -> WorksUpdate:
    """A dated news of the works by the porteur or an agent, with an optional photo
    (re-encoded without its metadata); ``inaugurated`` marks the project inaugurated,
    once. Its followers hear of it, the author excepted; a banned author's news is kept
    hidden, unannounced."""
    if user is None or not may_manage(user, project):
        raise PermissionDenied(_("Only the porteur and the territory's agents post its news."))
    project = Project.objects.select_for_update().get(pk=project.pk)
    text = _news_checked(project, date=date, text=text, inaugurated=inaugurated)
    prepared = photo_prepare(upload=photo, field="photo") if photo else None
    hidden = account_banned(user=user, territory_id=project.territory_id)
    if inaugurated and not hidden:
        project.status = Project.Status.INAUGURATED
        project.save(update_fields=["status", "updated_at"])
        projects_map_changed(project)
    update = WorksUpdate(
        project=project,
        date=date,
        text=text,
        inaugurated=inaugurated,
        author=user,
        hidden=hidden,
    )
    with removed_on_error() as stored:
        if prepared is not None:
            update.photo.save(
                f"{secrets.token_hex(12)}.jpg", ContentFile(prepared.content), save=False
            )
            stored.append(update.photo.name)
        update.save()
    if hidden:
        return update
    if inaugurated and user.has_perm("crowdfunding.review", project):
        audit_record(
            "crowdfunding.inaugurated",
            project,
            actor=user,
            territory=project.territory_id,
            role=AGENT_ROLE,
            news=update.pk,
        )
    _followers_told(update)
    return update


def _news_audited(action: str, *, user, project: Project, update: WorksUpdate) -> None:
    """An agent's act on a news, in the journal: the news and its project, never its text."""
    audit_record(
        action,
        ("crowdfunding.worksupdate", update.pk),
        actor=user,
        territory=project.territory_id,
        role=AGENT_ROLE,
        project=project.pk,
        inaugurated=update.inaugurated,
    )


@transaction.atomic
def news_publish(*, user, update: WorksUpdate) -> WorksUpdate:
    """Publish a banned author's hidden news after review (the territory's agents only):
    shown to all, told to the followers, and the inauguration it says marked, as if it
    had been published then."""
    project = Project.objects.select_for_update().get(pk=update.project_id)
    if user is None or not user.has_perm("crowdfunding.review", project):
        raise PermissionDenied(_("Only the territory's agents publish a hidden news."))
    update = WorksUpdate.objects.select_for_update().get(pk=update.pk)
    if not update.hidden:
        return update  # published already (a second click)
    update.hidden = False
    update.save(update_fields=["hidden"])
    if update.inaugurated and project.status == Project.Status.FUNDED:
        project.status = Project.Status.INAUGURATED
        project.save(update_fields=["status", "updated_at"])
        projects_map_changed(project)
    _news_audited("crowdfunding.news_published", user=user, project=project, update=update)
    _followers_told(update)
    return update


@transaction.atomic
def news_delete(*, user, update: WorksUpdate) -> None:
    """Take a news back (a mistake): the territory's agents only. Taking back the news of
    the inauguration takes the project back to funded, unless another one says so."""
    project = Project.objects.select_for_update().get(pk=update.project_id)
    if user is None or not user.has_perm("crowdfunding.review", project):
        raise PermissionDenied(_("Only the territory's agents take a news back."))
    photo_name = update.photo.name if update.photo else ""
    WorksUpdate.objects.filter(pk=update.pk).delete()
    _news_audited("crowdfunding.news_deleted", user=user, project=project, update=update)
    if (
        project.status == Project.Status.INAUGURATED
        and not project.works_updates.filter(inaugurated=True).exists()
    ):
        project.status = Project.Status.FUNDED
        project.save(update_fields=["status", "updated_at"])
        projects_map_changed(project)
    _files_deleted_after_commit([photo_name] if photo_name else [])


def _followable(project: Project, user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to follow a project."))
    if project.status not in FOLLOWABLE_STATUSES:
        raise ValidationError({"project": _("Only a project on the portal can be followed.")})


@transaction.atomic
def project_follow(*, user, project: Project) -> ProjectFollower:
    """Follow a project: hear of its news. Following twice is following."""
    _followable(project, user)
    try:
        with transaction.atomic():
            return ProjectFollower.objects.create(project=project, user=user)
    except IntegrityError:
        return ProjectFollower.objects.get(project=project, user=user)


@transaction.atomic
def project_unfollow(*, user, project: Project) -> None:
    """Stop following a project (nothing when one did not follow it)."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to stop following a project."))
    ProjectFollower.objects.filter(project=project, user=user).delete()


def _files_deleted_after_commit(names: list[str]) -> None:
    """Delete stored files once the rows naming them are gone for good."""

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    if names:
        transaction.on_commit(delete)


@transaction.atomic
def submitted_projects_forget(user) -> None:
    """Account deletion (manifest ``on_account_deletion``, in its transaction): the
    projects the person submitted that the collectivité has not decided on yet go with
    the account (no one else would carry them). A public project stays: its porteur is
    named by its organisation, its contributors have given on the platform, and the
    territory's agents keep its figures and news up to date."""
    projects = Project.objects.filter(submitter=user, status=Project.Status.SUBMITTED)
    photo_names = [
        name
        for name in projects.values_list("photos__image", flat=True)
        if name  # a project without photos gives one None
    ]
    projects.delete()
    _files_deleted_after_commit(photo_names)
