# SPDX-License-Identifier: AGPL-3.0-or-later
"""A project before its campaign: a porteur submits it, edits it while it waits; the
territory's agents edit it (its support too) until the campaign starts, and accept it on
the portal or refuse it with a public reason (docs/crowdfunding.md, "Submission and
review").

Every check runs before anything is written, each write is one transaction, and a photo
stored by a write that fails is deleted again (core.photos.removed_on_error)."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carto_concertation.core.audit import audit_record
from carto_concertation.core.photos import PreparedPhoto, photo_prepare, removed_on_error
from carto_concertation.crowdfunding import MODULE
from carto_concertation.engagement.selectors import account_banned
from carto_concertation.territories.models import Territory
from carto_concertation.territories.selectors import module_on_in

from ..models import Project, ProjectPhoto
from ..permissions import is_porteur
from ..tiles import projects_map_changed
from .project_fields import (
    PORTEUR_FIELDS,
    SUPPORT_FIELDS,
    commune_of,
    fields_cleaned,
    project_errors,
)

MAX_PHOTOS = 5
REFUSAL_MAX = 2000
SLUG_BASE_MAX = 70
# Statuses in which the porteur, and the agents, may still change the project.
PORTEUR_EDITABLE = (Project.Status.SUBMITTED,)
AGENT_EDITABLE = (Project.Status.SUBMITTED, Project.Status.ACCEPTED)


def project_submit(*, user, territory: Territory, data: dict, photos: Sequence = ()) -> Project:
    """A signed-in person submits a project in a territory where the portal is on. The
    support fields are the agents' (project_edit): a porteur does not give them. A banned
    account's project waits as any other, marked ``held`` for the agents, unannounced."""
    if user is None or not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to submit a project."))
    if not isinstance(territory, Territory) or not module_on_in(territory, MODULE):
        raise ValidationError({"territory": _("The crowdfunding portal is not open there.")})
    support = sorted(set(data) & set(SUPPORT_FIELDS))
    if support:
        raise PermissionDenied(_("Only the local authority's agents set its support."))
    values, errors = fields_cleaned(data, territory=territory)
    errors = {**project_errors(values, required=True), **errors}
    ends = values.get("campaign_ends_on")
    if ends and ends < timezone.localdate():
        errors.setdefault("campaign_ends_on", _("This campaign has already ended."))
    prepared, photo_errors = _photos_prepared(photos)
    errors.update(photo_errors)
    if errors:
        raise ValidationError(errors)
    with removed_on_error() as files:
        return _project_create(
            values={
                **values,
                "territory": territory,
                "commune": commune_of(territory, values["geom"]),
                "submitter": user,
                "status": Project.Status.SUBMITTED,
                "held": account_banned(user=user, territory_id=territory.pk),
            },
            photos=prepared,
            files=files,
        )


def project_edit(*, user, project: Project, data: dict) -> Project:
    """Change a project before its campaign: its porteur while it waits for the decision,
    the territory's agents until the campaign starts (they alone set the support). The
    slug stays (links already given keep working); the commune follows the place."""
    is_agent = user.has_perm("crowdfunding.review", project)
    if not is_agent and not is_porteur(user, project):
        raise PermissionDenied(_("Only its porteur or the territory's agents may change it."))
    if set(data) & set(SUPPORT_FIELDS) and not is_agent:
        raise PermissionDenied(_("Only the local authority's agents set its support."))
    editable = AGENT_EDITABLE if is_agent else PORTEUR_EDITABLE
    if project.status not in editable:
        raise ValidationError(
            {
                "status": _("This project can no longer be changed (%(status)s).")
                % {"status": project.get_status_display()}
            }
        )
    values, errors = fields_cleaned(data, territory=project.territory)
    after = {field: getattr(project, field) for field in (*PORTEUR_FIELDS, *SUPPORT_FIELDS)}
    after.update(values)
    errors = {**project_errors(after, required=True), **errors}
    if errors:
        raise ValidationError(errors)
    return _project_update(project=project, values=values)


def project_accept(*, user, project: Project) -> Project:
    """An agent accepts a submitted project on the portal: its campaign is to come, or
    under way at once when it starts today or started already."""
    _decision_check(user=user, project=project)
    started = project.campaign_starts_on <= timezone.localdate()
    status = Project.Status.CAMPAIGN if started else Project.Status.ACCEPTED
    return _decision_write(project=project, user=user, status=status, reason="")


def project_refuse(*, user, project: Project, reason: str) -> Project:
    """An agent refuses a submitted project; the reason is shown in public."""
    _decision_check(user=user, project=project)
    if not isinstance(reason, str) or "\x00" in reason:
        raise ValidationError({"reason": _("Enter a text.")})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason of the refusal: it is public.")})
    if len(reason) > REFUSAL_MAX:
        raise ValidationError({"reason": _("At most %(max)s characters.") % {"max": REFUSAL_MAX}})
    return _decision_write(project=project, user=user, status=Project.Status.REFUSED, reason=reason)


def _decision_check(*, user, project: Project) -> None:
    if not user.has_perm("crowdfunding.review", project):
        raise PermissionDenied(_("Only the territory's agents decide on its projects."))
    if project.status != Project.Status.SUBMITTED:
        raise ValidationError({"status": _("This project is no longer waiting for a decision.")})


@transaction.atomic
def _decision_write(*, project: Project, user, status: str, reason: str) -> Project:
    # The row is the lock: of two decisions at once, the second finds it decided.
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.status != Project.Status.SUBMITTED:
        raise ValidationError({"status": _("This project is no longer waiting for a decision.")})
    locked.status = status
    locked.refusal_reason = reason
    locked.decided_at = timezone.now()
    locked.decided_by = user
    locked.save(
        update_fields=["status", "refusal_reason", "decided_at", "decided_by", "updated_at"]
    )
    audit_record(
        "crowdfunding.refused" if status == Project.Status.REFUSED else "crowdfunding.accepted",
        locked,
        actor=user,
        territory=locked.territory_id,
    )
    projects_map_changed(locked)
    return locked


@transaction.atomic
def _project_update(*, project: Project, values: dict) -> Project:
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if locked.status != project.status:  # decided meanwhile: the checks ran on another state
        raise ValidationError({"status": _("This project changed meanwhile: reload it.")})
    for field, value in values.items():
        setattr(locked, field, value)
    changed = list(values)
    if "geom" in values:
        locked.commune = commune_of(locked.territory, values["geom"])
        changed.append("commune")
    locked.save(update_fields=[*changed, "updated_at"])
    projects_map_changed(locked, before=project.geom, after=locked.geom)
    return locked


def _photos_prepared(photos: Sequence) -> tuple[list[PreparedPhoto], dict]:
    if len(photos) > MAX_PHOTOS:
        return [], {"photos": _("At most %(max)s photos per project.") % {"max": MAX_PHOTOS}}
    try:
        return [photo_prepare(upload=upload) for upload in photos], {}
    except ValidationError as error:
        return [], error.message_dict


@transaction.atomic
def _project_create(*, values: dict, photos: list[PreparedPhoto], files: list[str]) -> Project:
    project = _created_with_free_slug(values)
    for prepared in photos:
        photo = ProjectPhoto(project=project)
        photo.image.save("photo.jpg", ContentFile(prepared.content), save=False)
        files.append(photo.image.name)
        photo.save()
    return project


def _created_with_free_slug(values: dict) -> Project:
    """The project under the first free slug made of its title. Two submissions of one
    title at once: the second's insert waits for the first, then finds the slug taken
    and takes the next one (a savepoint each, so the transaction goes on)."""
    base = slugify(values["title"])[:SLUG_BASE_MAX].strip("-") or "projet"
    taken = set(Project.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidates = [base, *(f"{base}-{n}" for n in range(2, len(taken) + 3))]
    free = [slug for slug in candidates if slug not in taken]
    # A random tail last, should every free one be taken by submissions under way.
    for slug in [*free[:3], f"{base}-{get_random_string(6).lower()}"]:
        try:
            with transaction.atomic():
                return Project.objects.create(slug=slug, **values)
        except IntegrityError:
            if not Project.objects.filter(slug=slug).exists():
                raise
    raise ValidationError({"title": _("Too many projects of this title at once: send it again.")})
