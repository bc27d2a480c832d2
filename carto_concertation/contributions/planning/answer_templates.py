# SPDX-License-Identifier: AGPL-3.0-or-later
"""Answer templates of a concertation and the answer given to several contributions at
once: writes, one transaction each, checked before anything is written."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation
from carto_concertation.core.text import plain_text

from ..models import AnswerTemplate, Contribution
from ..moderation import contribution_answer
from .permissions import planner_check

BULK_MAX = 500


def answer_template_list(*, concertation: Concertation) -> QuerySet[AnswerTemplate]:
    return AnswerTemplate.objects.filter(concertation=concertation).order_by("title")


def _checked(*, title: str, status: str, text: str, service: str) -> dict:
    values = {
        "title": plain_text(title)[:120],
        "status": status,
        "text": plain_text(text)[:5000],
        "service": plain_text(service)[:120],
    }
    errors = {}
    if not values["title"]:
        errors["title"] = _("Give the template a title.")
    if status in Contribution.CLOSING:
        if not values["text"]:
            errors["text"] = _("A closing status needs the official answer.")
        if not values["service"]:
            errors["service"] = _("Name the service that answers.")
    if errors:
        raise ValidationError(errors)
    return values


def _saved(template: AnswerTemplate) -> AnswerTemplate:
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError:
        raise ValidationError(
            {"title": _("This concertation already has a template with this title.")}
        ) from None
    return template


@transaction.atomic
def answer_template_create(
    *, concertation: Concertation, user, title: str, status: str, text: str = "", service: str = ""
) -> AnswerTemplate:
    planner_check(concertation=concertation, user=user)
    values = _checked(title=title, status=status, text=text, service=service)
    return _saved(AnswerTemplate(concertation=concertation, **values))


@transaction.atomic
def answer_template_update(
    *, template: AnswerTemplate, user, title: str, status: str, text: str = "", service: str = ""
) -> AnswerTemplate:
    planner_check(concertation=template.concertation, user=user)
    for field, value in _checked(title=title, status=status, text=text, service=service).items():
        setattr(template, field, value)
    return _saved(template)


@transaction.atomic
def answer_template_delete(*, template: AnswerTemplate, user) -> None:
    planner_check(concertation=template.concertation, user=user)
    template.delete()


@transaction.atomic
def contribution_answer_bulk(
    *,
    concertation: Concertation,
    user,
    template: AnswerTemplate,
    contribution_ids: Sequence[int],
) -> list[Contribution]:
    """Apply one template to several contributions, each through the single answer
    (same workflow, public log and notification to its author). All or nothing: one
    refused contribution and none is answered, the errors naming each one."""
    planner_check(concertation=concertation, user=user)
    ids = list(dict.fromkeys(contribution_ids))
    if not ids:
        raise ValidationError({"ids": _("Choose at least one contribution.")})
    if len(ids) > BULK_MAX:
        raise ValidationError(
            {"ids": _("At most %(max)s contributions at once.") % {"max": BULK_MAX}}
        )
    if template.concertation_id != concertation.pk:
        raise ValidationError({"template": _("This template belongs to another concertation.")})
    found = Contribution.objects.filter(concertation=concertation, pk__in=ids).in_bulk()
    errors = [
        _("No contribution %(id)s in this concertation.") % {"id": pk}
        for pk in ids
        if pk not in found
    ]
    answered = []
    if not errors:
        for pk in ids:
            try:
                answered.append(
                    contribution_answer(
                        contribution=found[pk],
                        actor=user,
                        status=template.status,
                        answer=template.text,
                        answer_service=template.service,
                    )
                )
            except ValidationError as exc:
                errors.extend(
                    _("Contribution %(id)s: %(reason)s") % {"id": pk, "reason": message}
                    for message in exc.messages
                )
    if errors:
        # Raising rolls the whole transaction back: the answers given above, their log
        # lines and their notifications (sent on commit only) vanish with it.
        raise ValidationError({"ids": errors})
    return answered
