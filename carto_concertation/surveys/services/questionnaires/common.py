# SPDX-License-Identifier: AGPL-3.0-or-later
"""What every builder write shares: who may build, and whether answers lock the
questionnaire (from the first response on, an edit that would break earlier answers is
refused with the reason)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from ...models import Question, Questionnaire
from ...selectors.questionnaires import questionnaire_has_answers

# Questions a condition may read: one answer among choices.
CONDITION_KINDS = frozenset({Question.Kind.SINGLE, Question.Kind.MULTIPLE})


def require_organise(obj, user) -> None:
    """Only the territory's planners (and administrators) build a questionnaire."""
    if user is None or not user.has_perm("surveys.organise", obj):
        raise PermissionDenied(
            _("Only the planners of the territory may build this questionnaire.")
        )


def locked(questionnaire: Questionnaire) -> bool:
    """A response exists (even a draft): earlier answers must keep their meaning."""
    return questionnaire.pk is not None and questionnaire_has_answers(questionnaire)


def refuse_if_locked(questionnaire: Questionnaire, field: str, what: str) -> None:
    """Refuse ``what`` (an edit that would break earlier answers) once answers exist."""
    if locked(questionnaire):
        raise ValidationError(
            {field: _("The questionnaire has answers: %(what)s would break them.") % {"what": what}}
        )


def questionnaire_locked_for_update(questionnaire: Questionnaire) -> Questionnaire:
    """The questionnaire's row, locked: two organisers' edits of its structure (positions,
    conditions) run one after the other."""
    return Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)


def order_key(question: Question) -> tuple[int, int]:
    return (question.page.position, question.position)


def conditions_check(questionnaire: Questionnaire, *, field: str = "shown_if_question") -> None:
    """Every condition of the questionnaire reads an earlier single or multiple choice
    question of its own, and choices of that question; the first fault, named."""
    pages = list(questionnaire.pages.order_by("position"))
    questions = list(
        Question.objects.filter(page__questionnaire=questionnaire).select_related("page")
    )
    by_pk = {q.pk: q for q in questions}
    for page in pages:
        if page.shown_if_question_id is not None:
            source = by_pk.get(page.shown_if_question_id)
            if source is None or source.page.position >= page.position:
                raise ValidationError(
                    {
                        field: _(
                            "Page %(page)s is shown only for an answer to a question of a "
                            "later page or of itself: a page's condition reads a question "
                            "of an earlier page."
                        )
                        % {"page": page.position + 1}
                    }
                )
    for question in questions:
        if question.shown_if_question_id is not None:
            source = by_pk.get(question.shown_if_question_id)
            if source is None or order_key(source) >= order_key(question):
                raise ValidationError(
                    {
                        field: _(
                            "Question “%(code)s” is shown only for an answer to a later "
                            "question: a condition reads an earlier question."
                        )
                        % {"code": question.code}
                    }
                )


def renumber(rows: list, *, start_gap: int = 10000) -> None:
    """Give ``rows`` (one page's questions, one questionnaire's pages, one question's
    choices) the positions 0, 1, … in this order; through positions out of the way first,
    since the positions are unique together."""
    model = type(rows[0]) if rows else None
    if model is None:
        return
    for index, row in enumerate(rows):
        model.objects.filter(pk=row.pk).update(position=start_gap + index)
    for index, row in enumerate(rows):
        model.objects.filter(pk=row.pk).update(position=index)
        row.position = index
