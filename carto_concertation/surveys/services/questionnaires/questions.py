# SPDX-License-Identifier: AGPL-3.0-or-later
"""A questionnaire's questions: each kind with the settings it takes, created at the end
of a page, changed, moved, deleted. Once answers exist, an edit that would break them is
refused with the reason: a new kind, a narrower range or count, an optional question made
required, the "other" answer taken away, a question that has answers deleted."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ...models import Choice, Question, SurveyPage
from .common import (
    CONDITION_KINDS,
    conditions_check,
    locked,
    questionnaire_locked_for_update,
    refuse_if_locked,
    renumber,
    require_organise,
)

Kind = Question.Kind
# What an organiser sets on a question, and its value when the kind takes none.
QUESTION_FIELDS: dict[str, Any] = {
    "code": "",
    "kind": Kind.SINGLE,
    "label": "",
    "help_text": "",
    "required": False,
    "with_other": False,
    "min_count": 0,
    "max_count": 0,
    "min_value": None,
    "max_value": None,
    "min_label": "",
    "max_label": "",
    "marker_comment": False,
    "marker_choice_label": "",
}
COMMON_FIELDS = frozenset({"code", "kind", "label", "help_text", "required"})
# The kinds that take each setting (the others keep its default).
KINDS_OF_SETTING: dict[str, frozenset] = {
    "with_other": frozenset({Kind.SINGLE, Kind.MULTIPLE}),
    "min_count": frozenset({Kind.MULTIPLE, Kind.RANKING}) | Question.MAP_KINDS,
    "max_count": frozenset({Kind.MULTIPLE, Kind.RANKING}) | Question.MAP_KINDS,
    "min_value": frozenset({Kind.SCALE, Kind.NUMBER}),
    "max_value": frozenset({Kind.SCALE, Kind.NUMBER}),
    "min_label": frozenset({Kind.SCALE}),
    "max_label": frozenset({Kind.SCALE}),
    "marker_comment": Question.MAP_KINDS,
    "marker_choice_label": Question.MAP_KINDS,
}
# The only two scales residents meet.
SCALES = ((Decimal(1), Decimal(5)), (Decimal(0), Decimal(10)))


def settings_of(kind: str) -> list[str]:
    """The settings a kind of question takes, in the form's order."""
    return [
        name
        for name in QUESTION_FIELDS
        if name in COMMON_FIELDS or kind in KINDS_OF_SETTING.get(name, ())
    ]


def _check(question: Question) -> None:
    """A question's settings hold together for its kind; the first fault under its field."""
    questionnaire = question.page.questionnaire
    errors: dict[str, str] = {}
    if not question.label.strip():
        errors["label"] = _("Write the question.")
    same_code = Question.objects.filter(page__questionnaire=questionnaire, code=question.code)
    if question.code and same_code.exclude(pk=question.pk).exists():
        errors["code"] = _("Another question of this questionnaire has this code.")
    for name, kinds in KINDS_OF_SETTING.items():
        if question.kind not in kinds and getattr(question, name) != QUESTION_FIELDS[name]:
            errors.setdefault(
                name,
                _("A question of the kind “%(kind)s” does not take this setting.")
                % {"kind": question.get_kind_display()},
            )
    if question.kind == Kind.SCALE:
        bounds = (question.min_value, question.max_value)
        if bounds not in SCALES:
            errors["max_value"] = _("A scale runs from 1 to 5 or from 0 to 10.")
    if (
        question.min_value is not None
        and question.max_value is not None
        and question.min_value > question.max_value
    ):
        errors["max_value"] = _("The maximum is below the minimum.")
    if question.max_count and question.max_count < question.min_count:
        errors["max_count"] = _("The maximum count is below the minimum.")
    if question.kind == Kind.ZONES and questionnaire.zoning_document_id is None:
        errors["kind"] = _(
            "Picking zones needs the questionnaire's PLU/PLUi: choose it in the settings first."
        )
    if question.pk:
        choices = question.choices.all()
        if question.kind not in Question.CHOICE_KINDS and choices.filter(for_marker=False).exists():
            errors["kind"] = _("This question has choices: delete them before changing its kind.")
        if question.kind not in Question.MAP_KINDS and choices.filter(for_marker=True).exists():
            errors["kind"] = _(
                "This question has follow-up choices for markers: delete them before "
                "changing its kind."
            )
        used = Question.objects.filter(shown_if_question=question).exists() or (
            SurveyPage.objects.filter(shown_if_question=question).exists()
        )
        if used and question.kind not in CONDITION_KINDS:
            errors["kind"] = _(
                "A condition reads this question: it stays a single or multiple choice."
            )
    if errors:
        raise ValidationError(errors)
    try:
        question.full_clean(exclude=["page", "position"])
    except ValidationError as error:
        raise ValidationError(error.message_dict) from None


def _narrowed_bound(old, new, *, lower: bool) -> bool:
    """A bound moved inwards (or set where there was none)."""
    if new is None:
        return False
    if old is None:
        return True
    return new > old if lower else new < old


def _lock_check(before: Question, after: Question) -> None:
    """The edits that would break the answers already given, refused with the reason."""
    what = None
    field = None
    if after.kind != before.kind:
        field, what = "kind", _("changing the kind of a question")
    elif after.required and not before.required:
        field, what = "required", _("making an optional question required")
    elif before.with_other and not after.with_other:
        field, what = "with_other", _("taking the “other” answer away")
    elif after.min_count > before.min_count:
        field, what = "min_count", _("asking for more choices or markers")
    elif after.max_count and (not before.max_count or after.max_count < before.max_count):
        field, what = "max_count", _("allowing fewer choices or markers")
    elif _narrowed_bound(before.min_value, after.min_value, lower=True):
        field, what = "min_value", _("narrowing the range")
    elif _narrowed_bound(before.max_value, after.max_value, lower=False):
        field, what = "max_value", _("narrowing the range")
    if what is not None:
        refuse_if_locked(before.page.questionnaire, field, what)


def _apply(question: Question, fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(QUESTION_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: _("This setting does not exist.")})
    for name, value in fields.items():
        setattr(question, name, value)
    if question.kind == Kind.SCALE and question.min_value is None and question.max_value is None:
        question.min_value, question.max_value = SCALES[0]


def choice_rows(question: Question, labels: Iterable[str], *, for_marker: bool) -> None:
    """Add choices at the end of the question's list (labels non-empty, each once)."""
    field = "marker_choices" if for_marker else "choices"
    kinds = Question.MAP_KINDS if for_marker else Question.CHOICE_KINDS
    labels = [label.strip() for label in labels]
    if not labels:
        return
    if question.kind not in kinds:
        raise ValidationError(
            {
                field: _("A question of the kind “%(kind)s” takes no such choices.")
                % {"kind": question.get_kind_display()}
            }
        )
    existing = question.choices.filter(for_marker=for_marker)
    taken = set(existing.values_list("label", flat=True))
    position = existing.count()
    for label in labels:
        if not label or len(label) > 300:
            raise ValidationError({field: _("A choice is 1 to 300 characters long.")})
        if label in taken:
            raise ValidationError(
                {field: _("The choice “%(label)s” is given twice.") % {"label": label}}
            )
        taken.add(label)
        Choice.objects.create(
            question=question, position=position, label=label, for_marker=for_marker
        )
        position += 1


@transaction.atomic
def question_create(
    page: SurveyPage,
    *,
    user,
    choices: Iterable[str] = (),
    marker_choices: Iterable[str] = (),
    **fields: Any,
) -> Question:
    """A new question at the end of ``page``, with its choices. Once the questionnaire has
    answers, a new question is optional (the answers given did not answer it)."""
    require_organise(page, user)
    questionnaire = questionnaire_locked_for_update(page.questionnaire)
    page.questionnaire = questionnaire
    question = Question(page=page, position=page.questions.count())
    _apply(question, fields)
    if question.required and locked(questionnaire):
        refuse_if_locked(questionnaire, "required", _("adding a required question"))
    if not question.code:
        question.code = _free_code(page)
    _check(question)
    question.save()
    choice_rows(question, choices, for_marker=False)
    choice_rows(question, marker_choices, for_marker=True)
    return question


def _free_code(page: SurveyPage) -> str:
    taken = set(
        Question.objects.filter(page__questionnaire=page.questionnaire).values_list(
            "code", flat=True
        )
    )
    n = len(taken) + 1
    while f"q{n}" in taken:
        n += 1
    return f"q{n}"


@transaction.atomic
def question_update(question: Question, *, user, **fields: Any) -> Question:
    """Change a question's settings (its wording always; the rest while no answer would
    break)."""
    require_organise(question, user)
    questionnaire_locked_for_update(question.page.questionnaire)
    before = Question.objects.select_related("page__questionnaire").get(pk=question.pk)
    after = Question.objects.select_related("page__questionnaire").get(pk=question.pk)
    _apply(after, fields)
    _lock_check(before, after)
    _check(after)
    after.save()
    return after


@transaction.atomic
def question_delete(question: Question, *, user) -> None:
    """Delete a question with its choices, unless it has answers or a condition reads it."""
    require_organise(question, user)
    questionnaire_locked_for_update(question.page.questionnaire)
    if question.answers.exists():
        raise ValidationError(
            {"question": _("This question has answers: it can no longer be deleted.")}
        )
    if (
        Question.objects.filter(shown_if_question=question).exists()
        or SurveyPage.objects.filter(shown_if_question=question).exists()
    ):
        raise ValidationError(
            {"question": _("A condition reads this question: change that condition first.")}
        )
    page = question.page
    question.delete()
    renumber(list(page.questions.order_by("position")))


@transaction.atomic
def question_move(
    question: Question, *, user, position: int, page: SurveyPage | None = None
) -> Question:
    """Put a question at ``position`` (0 first) of ``page`` (its own by default). Refused
    when a condition would then read a later question."""
    require_organise(question, user)
    questionnaire = questionnaire_locked_for_update(question.page.questionnaire)
    target = page or question.page
    if target.questionnaire_id != questionnaire.pk:
        raise ValidationError({"page": _("This page is not one of the questionnaire's.")})
    source = question.page
    rows = [q for q in target.questions.order_by("position") if q.pk != question.pk]
    position = max(0, min(position, len(rows)))
    rows.insert(position, question)
    if source.pk != target.pk:
        Question.objects.filter(pk=question.pk).update(page=target, position=30000)
        renumber(list(source.questions.order_by("position")))
    renumber(rows)
    conditions_check(questionnaire, field="position")
    question.refresh_from_db()
    return question
