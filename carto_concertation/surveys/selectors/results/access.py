# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who reaches a questionnaire's results: everyone once they are published (on a public
questionnaire), its organisers always (a draft's too)."""

from ...models import Question, Questionnaire
from ..questionnaires import questionnaire_public


def results_questionnaire(slug: str, user) -> Questionnaire | None:
    """The questionnaire whose results ``user`` may read (None: a 404, nothing told)."""
    questionnaire = Questionnaire.objects.select_related("territory").filter(slug=slug).first()
    if questionnaire is not None and user.has_perm("surveys.organise", questionnaire):
        return questionnaire
    questionnaire = questionnaire_public(slug)
    if questionnaire is not None and questionnaire.results_published:
        return questionnaire
    return None


def staff_questionnaire(slug: str, user, action: str) -> Questionnaire | None:
    """The questionnaire if ``user`` may do ``action`` (``organise``, ``moderate``) on it."""
    questionnaire = Questionnaire.objects.select_related("territory").filter(slug=slug).first()
    if questionnaire is not None and user.has_perm(f"surveys.{action}", questionnaire):
        return questionnaire
    return None


def question_by_code(questionnaire: Questionnaire, code: str) -> Question | None:
    return (
        Question.objects.filter(page__questionnaire=questionnaire, code=code)
        .select_related("page__questionnaire")
        .order_by("page__position", "position")
        .first()
    )
