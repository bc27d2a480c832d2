# SPDX-License-Identifier: AGPL-3.0-or-later
"""A questionnaire's pages, the choices of its questions, and the conditions that show a
page or a question only for some answers. A condition reads an earlier single or multiple
choice question of the same questionnaire, and some of its own choices; once answers
exist, conditions no longer change, and a page or choice that has answers stays."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ...models import (
    Answer,
    AnswerChoice,
    AnswerFeature,
    Choice,
    Question,
    Questionnaire,
    SurveyPage,
)
from .common import (
    CONDITION_KINDS,
    conditions_check,
    questionnaire_locked_for_update,
    refuse_if_locked,
    renumber,
    require_organise,
)
from .questions import choice_rows


def _texts(title: str, description: str) -> None:
    if len(title) > 200:
        raise ValidationError({"title": _("A page's title is at most 200 characters long.")})
    if len(description) > 5000:
        raise ValidationError({"description": _("At most 5,000 characters.")})


@transaction.atomic
def page_create(
    questionnaire: Questionnaire, *, user, title: str = "", description: str = ""
) -> SurveyPage:
    """A new page at the end of the questionnaire."""
    require_organise(questionnaire, user)
    questionnaire = questionnaire_locked_for_update(questionnaire)
    _texts(title, description)
    return SurveyPage.objects.create(
        questionnaire=questionnaire,
        position=questionnaire.pages.count(),
        title=title.strip(),
        description=description.strip(),
    )


@transaction.atomic
def page_update(page: SurveyPage, *, user, title: str, description: str = "") -> SurveyPage:
    """A page's wording."""
    require_organise(page, user)
    _texts(title, description)
    page.title, page.description = title.strip(), description.strip()
    page.save(update_fields=["title", "description"])
    return page


@transaction.atomic
def page_delete(page: SurveyPage, *, user) -> None:
    """Delete a page and its questions, unless one has answers or a condition elsewhere
    reads one of them."""
    require_organise(page, user)
    questionnaire = questionnaire_locked_for_update(page.questionnaire)
    questions = page.questions.all()
    if Answer.objects.filter(question__in=questions).exists():
        raise ValidationError(
            {"page": _("A question of this page has answers: the page can no longer be deleted.")}
        )
    outside = Question.objects.filter(shown_if_question__in=questions).exclude(page=page)
    if (
        outside.exists()
        or SurveyPage.objects.filter(shown_if_question__in=questions).exclude(pk=page.pk).exists()
    ):
        raise ValidationError(
            {"page": _("A condition elsewhere reads a question of this page: change it first.")}
        )
    # Conditions inside the page go with it (their keys protect the questions they read).
    questions.update(shown_if_question=None)
    SurveyPage.objects.filter(pk=page.pk).update(shown_if_question=None)
    page.delete()
    renumber(list(questionnaire.pages.order_by("position")))


@transaction.atomic
def page_move(page: SurveyPage, *, user, position: int) -> SurveyPage:
    """Put a page at ``position`` (0 first); refused when a condition would then read a
    later question."""
    require_organise(page, user)
    questionnaire = questionnaire_locked_for_update(page.questionnaire)
    rows = [p for p in questionnaire.pages.order_by("position") if p.pk != page.pk]
    rows.insert(max(0, min(position, len(rows))), page)
    renumber(rows)
    conditions_check(questionnaire, field="position")
    page.refresh_from_db()
    return page


def _choice_in_use(choice: Choice) -> str | None:
    if (
        AnswerChoice.objects.filter(choice=choice).exists()
        or AnswerFeature.objects.filter(marker_choice=choice).exists()
    ):
        return _("This choice has answers: it can no longer be deleted.")
    if (
        Question.objects.filter(shown_if_choices=choice).exists()
        or SurveyPage.objects.filter(shown_if_choices=choice).exists()
    ):
        return _("A condition reads this choice: change that condition first.")
    return None


@transaction.atomic
def choice_create(question: Question, *, user, label: str, for_marker: bool = False) -> Choice:
    """A new choice at the end of the question's (or of its markers' follow-up) list;
    allowed even once answered."""
    require_organise(question, user)
    questionnaire_locked_for_update(question.page.questionnaire)
    choice_rows(question, [label], for_marker=for_marker)
    return question.choices.filter(for_marker=for_marker).order_by("position").last()


@transaction.atomic
def choice_update(choice: Choice, *, user, label: str) -> Choice:
    """A choice's wording."""
    require_organise(choice.question, user)
    label = label.strip()
    if not label or len(label) > 300:
        raise ValidationError({"label": _("A choice is 1 to 300 characters long.")})
    siblings = Choice.objects.filter(question=choice.question, for_marker=choice.for_marker)
    if siblings.exclude(pk=choice.pk).filter(label=label).exists():
        raise ValidationError({"label": _("Another choice of this question has this label.")})
    choice.label = label
    choice.save(update_fields=["label"])
    return choice


@transaction.atomic
def choice_delete(choice: Choice, *, user) -> None:
    """Delete a choice no answer holds and no condition reads."""
    require_organise(choice.question, user)
    questionnaire_locked_for_update(choice.question.page.questionnaire)
    reason = _choice_in_use(choice)
    if reason:
        raise ValidationError({"choice": reason})
    question, for_marker = choice.question, choice.for_marker
    choice.delete()
    renumber(list(question.choices.filter(for_marker=for_marker).order_by("position")))


@transaction.atomic
def choice_move(choice: Choice, *, user, position: int) -> Choice:
    """Put a choice at ``position`` (0 first) of its list."""
    require_organise(choice.question, user)
    questionnaire_locked_for_update(choice.question.page.questionnaire)
    siblings = choice.question.choices.filter(for_marker=choice.for_marker).order_by("position")
    rows = [c for c in siblings if c.pk != choice.pk]
    rows.insert(max(0, min(position, len(rows))), choice)
    renumber(rows)
    choice.refresh_from_db()
    return choice


@transaction.atomic
def condition_set(
    target: SurveyPage | Question,
    *,
    user,
    question: Question | None,
    choices: Iterable[Choice] = (),
) -> SurveyPage | Question:
    """Show ``target`` (a page or a question) only when the answer to ``question`` holds
    one of ``choices``; ``question=None`` shows it always. Conditions are fixed once the
    questionnaire has answers."""
    require_organise(target, user)
    questionnaire = (
        target.questionnaire if isinstance(target, SurveyPage) else target.page.questionnaire
    )
    questionnaire = questionnaire_locked_for_update(questionnaire)
    choices = list(choices)
    current = (target.shown_if_question_id, {c.pk for c in target.shown_if_choices.all()})
    wanted = (question.pk if question else None, {c.pk for c in choices})
    if current == wanted:
        return target
    refuse_if_locked(questionnaire, "shown_if_question", _("changing a condition"))
    if question is None:
        if choices:
            raise ValidationError(
                {"shown_if_question": _("Choose the question the choices are of.")}
            )
    else:
        if question.page.questionnaire_id != questionnaire.pk:
            raise ValidationError(
                {"shown_if_question": _("This question is not one of the questionnaire's.")}
            )
        if question.kind not in CONDITION_KINDS:
            raise ValidationError(
                {"shown_if_question": _("A condition reads a single or multiple choice question.")}
            )
        if not choices:
            raise ValidationError(
                {"shown_if_choices": _("Choose at least one choice of that question.")}
            )
        if any(c.question_id != question.pk or c.for_marker for c in choices):
            raise ValidationError(
                {"shown_if_choices": _("Choose among the choices of that question.")}
            )
    target.shown_if_question = question
    target.save(update_fields=["shown_if_question"])
    target.shown_if_choices.set(choices)
    conditions_check(questionnaire)
    return target
