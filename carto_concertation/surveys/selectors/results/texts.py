# SPDX-License-Identifier: AGPL-3.0-or-later
"""The moderators' reading of the free texts: the texts of text questions and of "other"
answers, and the markers' comments, of submitted responses, per question."""

from ...models import Answer, AnswerFeature, Questionnaire, counted_response
from ..questionnaires import questionnaire_questions


def texts_to_moderate(questionnaire: Questionnaire, *, status: str | None = None) -> list[dict]:
    """Per question with free texts (in order): its texts, each with what it is
    (``answer`` or ``feature``), its id and moderation, the oldest first; only those in
    ``status`` when given. No respondent."""
    answers = Answer.objects.filter(
        counted_response("response__"), response__questionnaire=questionnaire
    ).exclude(text="")
    features = AnswerFeature.objects.filter(
        counted_response("answer__response__"), answer__response__questionnaire=questionnaire
    ).exclude(comment="")
    if status:
        answers = answers.filter(text_moderation=status)
        features = features.filter(comment_moderation=status)
    texts: dict[int, list[dict]] = {}
    for pk, question, text, moderation in answers.order_by("pk").values_list(
        "pk", "question", "text", "text_moderation"
    ):
        texts.setdefault(question, []).append(
            {"kind": "answer", "id": pk, "text": text, "moderation": moderation}
        )
    for pk, question, text, moderation in features.order_by("pk").values_list(
        "pk", "answer__question", "comment", "comment_moderation"
    ):
        texts.setdefault(question, []).append(
            {"kind": "feature", "id": pk, "text": text, "moderation": moderation}
        )
    return [
        {"question": question, "texts": texts[question.pk]}
        for question in questionnaire_questions(questionnaire)
        if question.pk in texts
    ]
