# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results' writes: publish the results with the organisers' collective answer, or
take them back; moderate the free texts (the texts of text questions and "other"
answers, the markers' comments), each or a question's waiting ones at once. One
transaction each; the object-level permission checked first."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carto_concertation.core.text import plain_text

from ..models import Answer, AnswerFeature, Question, Questionnaire, counted_response
from ..models.responses import TextModeration

DECISIONS = (TextModeration.PUBLISHED, TextModeration.HIDDEN)
# Only counted responses' texts are read by the moderators (a draft may still change; a
# banned account's response is never published, so never put before them).
COUNTED, OF_ANSWER = counted_response("response__"), counted_response("answer__response__")


def _check(user, action: str, questionnaire: Questionnaire) -> None:
    if not user.has_perm(f"surveys.{action}", questionnaire):
        if action == "organise":
            raise PermissionDenied(_("Only the organisers of this questionnaire may do that."))
        raise PermissionDenied(_("Only the moderators of this questionnaire may do that."))


@transaction.atomic
def results_publish(questionnaire: Questionnaire, *, user, summary: str) -> Questionnaire:
    """Make the results public with the collective answer (required: the guide asks for
    one after a consultation)."""
    _check(user, "organise", questionnaire)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    summary = plain_text(summary or "").strip()
    if not summary:
        raise ValidationError(
            {"summary": _("Write the collective answer shown above the results.")}
        )
    if len(summary) > 20000:
        raise ValidationError({"summary": _("At most 20,000 characters.")})
    questionnaire.results_summary = summary
    questionnaire.results_published = True
    questionnaire.save(update_fields=["results_summary", "results_published", "updated_at"])
    return questionnaire


@transaction.atomic
def results_unpublish(questionnaire: Questionnaire, *, user) -> Questionnaire:
    """Take the results back (the collective answer is kept for the next publication)."""
    _check(user, "organise", questionnaire)
    questionnaire = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    questionnaire.results_published = False
    questionnaire.save(update_fields=["results_published", "updated_at"])
    return questionnaire


def _decision(decision: str) -> str:
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose to publish or to hide.")})
    return decision


@transaction.atomic
def texts_moderate(
    questionnaire: Questionnaire,
    *,
    user,
    decision: str,
    answers: list[int] = (),
    features: list[int] = (),
) -> int:
    """Publish or hide these texts (answers' texts, markers' comments) of the
    questionnaire's submitted responses; a text of another questionnaire, of a draft, or
    an empty one, refuses the whole batch. How many texts were moderated."""
    _check(user, "moderate", questionnaire)
    decision = _decision(decision)
    answers, features = set(answers), set(features)
    if not answers and not features:
        raise ValidationError({"answers": _("Choose at least one text.")})
    answer_rows = Answer.objects.filter(
        COUNTED, pk__in=answers, response__questionnaire=questionnaire
    ).exclude(text="")
    feature_rows = AnswerFeature.objects.filter(
        OF_ANSWER, pk__in=features, answer__response__questionnaire=questionnaire
    ).exclude(comment="")
    found_answers = set(answer_rows.values_list("pk", flat=True))
    found_features = set(feature_rows.values_list("pk", flat=True))
    if found_answers != answers:
        missing = ", ".join(str(pk) for pk in sorted(answers - found_answers))
        raise ValidationError({"answers": _("No such text here: %(ids)s.") % {"ids": missing}})
    if found_features != features:
        missing = ", ".join(str(pk) for pk in sorted(features - found_features))
        raise ValidationError({"features": _("No such comment here: %(ids)s.") % {"ids": missing}})
    return answer_rows.update(text_moderation=decision) + feature_rows.update(
        comment_moderation=decision
    )


@transaction.atomic
def texts_moderate_question(question: Question, *, user, decision: str) -> int:
    """Publish or hide every text of ``question`` still waiting for moderation (those
    already decided keep their decision). How many texts were moderated."""
    _check(user, "moderate", question.page.questionnaire)
    decision = _decision(decision)
    pending = TextModeration.PENDING
    answers = Answer.objects.filter(COUNTED, question=question, text_moderation=pending).exclude(
        text=""
    )
    features = AnswerFeature.objects.filter(
        OF_ANSWER, answer__question=question, comment_moderation=pending
    ).exclude(comment="")
    return answers.update(text_moderation=decision) + features.update(comment_moderation=decision)
