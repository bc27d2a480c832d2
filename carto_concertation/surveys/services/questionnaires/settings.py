# SPDX-License-Identifier: AGPL-3.0-or-later
"""A questionnaire's own settings: its creation (on a territory, or on a concertation
whose territory and PLU/PLUi it takes), title, slug, dates, who answers, publication.
Once answers exist, who answers, the territory, the concertation and the PLU/PLUi no
longer change, and the dates only widen."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from carto_concertation.core.modules import space_get
from carto_concertation.territories.models import Territory
from plui_documents.models import UrbanDocument

from ...models import Question, Questionnaire
from .common import locked, require_organise

# What an organiser sets on a questionnaire (the rest is the house's).
SETTINGS_FIELDS = (
    "title",
    "slug",
    "description",
    "opens_at",
    "closes_at",
    "respondents",
    "concertation_id",
    "zoning_document_id",
)
# Paths of the consultation's pages that a slug would shadow (or be shadowed by, under
# gestion/).
RESERVED_SLUGS = frozenset({"gestion", "saisie", "importer"})
# What the answers already given were asked under.
FROZEN_ONCE_ANSWERED = ("respondents", "concertation_id", "zoning_document_id")


def _frozen_reason(field: str) -> str:
    reasons = {
        "respondents": _("changing who answers"),
        "concertation_id": _("changing the concertation (its perimeter bounds the map answers)"),
        "zoning_document_id": _("changing the PLU/PLUi (the zones picked are its own)"),
    }
    return reasons[field]


def slug_free(base: str, *, exclude_pk: int | None = None) -> str:
    """``base`` as a slug no other questionnaire holds (suffixed -2, -3, … if needed)."""
    base = slugify(base)[:70] or "questionnaire"
    if base in RESERVED_SLUGS:
        base = f"{base}-questionnaire"
    others = Questionnaire.objects.exclude(pk=exclude_pk)
    slug, n = base, 2
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check(questionnaire: Questionnaire) -> None:
    """The settings hold together; every fault under its field, all at once."""
    errors: dict[str, str] = {}
    if not questionnaire.title.strip():
        errors["title"] = _("Give the questionnaire a title.")
    if questionnaire.slug in RESERVED_SLUGS:
        errors["slug"] = _(
            "“%(slug)s” is the name of a page of the consultations: choose another."
        ) % {"slug": questionnaire.slug}
    elif (
        Questionnaire.objects.exclude(pk=questionnaire.pk).filter(slug=questionnaire.slug).exists()
    ):
        errors["slug"] = _("Another questionnaire has this slug.")
    if questionnaire.opens_at is None:
        errors["opens_at"] = _("Give the opening date.")
    if questionnaire.closes_at is None:
        errors["closes_at"] = _("Give the closing date.")
    elif questionnaire.opens_at is not None and questionnaire.closes_at <= questionnaire.opens_at:
        errors["closes_at"] = _("The questionnaire must close after it opens.")
    if questionnaire.concertation_id is not None:
        space = space_get(questionnaire.concertation_id)
        if space is None:
            errors["concertation"] = _("This concertation does not exist.")
        elif space.territory_id != questionnaire.territory_id:
            errors["concertation"] = _("This concertation is on another territory.")
    if questionnaire.zoning_document_id is not None:
        document = UrbanDocument.objects.filter(pk=questionnaire.zoning_document_id).first()
        if document is None or document.territory_id != questionnaire.territory_id:
            errors["zoning_document"] = _("Choose a PLU/PLUi of the questionnaire's territory.")
    elif (
        questionnaire.pk
        and Question.objects.filter(
            page__questionnaire=questionnaire, kind=Question.Kind.ZONES
        ).exists()
    ):
        errors["zoning_document"] = _(
            "A question asks to pick PLU/PLUi zones: the questionnaire needs its PLU/PLUi."
        )
    if errors:
        raise ValidationError(errors)


def _save(questionnaire: Questionnaire) -> Questionnaire:
    _check(questionnaire)
    try:
        questionnaire.full_clean()
    except ValidationError as error:
        # The model names the keys by their field (concertation, zoning_document).
        raise ValidationError(error.message_dict) from None
    questionnaire.save()
    return questionnaire


def _apply(questionnaire: Questionnaire, fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(SETTINGS_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: _("This setting does not exist.")})
    for name, value in fields.items():
        setattr(questionnaire, name, value)


@transaction.atomic
def questionnaire_create(
    *, user, territory: Territory | None = None, **fields: Any
) -> Questionnaire:
    """A new draft questionnaire. On a concertation (``concertation_id``) it takes the
    concertation's territory and, unless one is given, its PLU/PLUi; else on ``territory``.
    Without a slug, one is made from the title."""
    concertation_id = fields.get("concertation_id")
    space = space_get(concertation_id) if concertation_id is not None else None
    if concertation_id is not None and space is None:
        raise ValidationError({"concertation": _("This concertation does not exist.")})
    if territory is None:
        if space is None:
            raise ValidationError({"territory": _("Choose a territory or a concertation.")})
        territory = Territory.objects.get(pk=space.territory_id)
    questionnaire = Questionnaire(territory=territory, is_published=False)
    require_organise(questionnaire, user)
    # The command line's import has no account to name.
    questionnaire.created_by = user if getattr(user, "pk", None) else None
    _apply(questionnaire, fields)
    if space is not None and "zoning_document_id" not in fields:
        questionnaire.zoning_document_id = space.zoning_document_id
    if not questionnaire.slug:
        questionnaire.slug = slug_free(questionnaire.title or "")
    return _save(questionnaire)


@transaction.atomic
def questionnaire_update(questionnaire: Questionnaire, *, user, **fields: Any) -> Questionnaire:
    """Change some settings. Once answered: who answers, the concertation and the PLU/PLUi
    are fixed, and the dates may only widen (open earlier, close later)."""
    require_organise(questionnaire, user)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked(questionnaire):
        for field in FROZEN_ONCE_ANSWERED:
            if field in fields and fields[field] != getattr(questionnaire, field):
                raise ValidationError(
                    {
                        field.removesuffix("_id"): _(
                            "The questionnaire has answers: %(what)s would break them."
                        )
                        % {"what": _frozen_reason(field)}
                    }
                )
        if fields.get("opens_at") and fields["opens_at"] > questionnaire.opens_at:
            raise ValidationError(
                {"opens_at": _("The questionnaire has answers: its opening can only move earlier.")}
            )
        if fields.get("closes_at") and fields["closes_at"] < questionnaire.closes_at:
            raise ValidationError(
                {"closes_at": _("The questionnaire has answers: its closing can only move later.")}
            )
    _apply(questionnaire, fields)
    return _save(questionnaire)


def publication_check(questionnaire: Questionnaire) -> None:
    """What residents would meet holds together: questions, choices to choose from, a
    PLU/PLUi for the zones, a follow-up question for the markers' choices."""
    questions = list(
        Question.objects.filter(page__questionnaire=questionnaire).prefetch_related("choices")
    )
    if not questions:
        raise ValidationError({"is_published": _("Add a question before publishing.")})
    for question in questions:
        answer_choices = [c for c in question.choices.all() if not c.for_marker]
        marker_choices = [c for c in question.choices.all() if c.for_marker]
        if question.kind in Question.CHOICE_KINDS and len(answer_choices) < 2:
            raise ValidationError(
                {
                    "is_published": _("Question “%(code)s” needs at least two choices.")
                    % {"code": question.code}
                }
            )
        if marker_choices and not question.marker_choice_label.strip():
            raise ValidationError(
                {
                    "is_published": _(
                        "Question “%(code)s” has follow-up choices for its markers: give "
                        "the follow-up question."
                    )
                    % {"code": question.code}
                }
            )
    _check(questionnaire)


@transaction.atomic
def questionnaire_publish(questionnaire: Questionnaire, *, user) -> Questionnaire:
    """Residents see it (and answer it between its dates)."""
    require_organise(questionnaire, user)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    publication_check(questionnaire)
    questionnaire.is_published = True
    questionnaire.save(update_fields=["is_published", "updated_at"])
    return questionnaire


@transaction.atomic
def questionnaire_unpublish(questionnaire: Questionnaire, *, user) -> Questionnaire:
    """Back to a draft only the organisers see; the answers given stay."""
    require_organise(questionnaire, user)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    questionnaire.is_published = False
    questionnaire.save(update_fields=["is_published", "updated_at"])
    return questionnaire
