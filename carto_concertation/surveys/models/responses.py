# SPDX-License-Identifier: AGPL-3.0-or-later
"""The responses to a questionnaire and their answers.

A response knows its person only as far as "one answer per person" needs it:
``respondent_key`` is a keyed hash of the account, of the e-mail address of a one-time
link or of the device token (``services``), unique per questionnaire; ``user`` is kept for
signed-in respondents alone, so that they resume a draft and find it in their data. Paper
and workshop answers typed in by a relay carry no person, only the relay's idempotency key.
No export or public page shows either.
"""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from layers.fields import web_mercator_copy

from .questionnaires import Choice, Question, Questionnaire


class TextModeration(models.TextChoices):
    """Free texts are public in the results only once a moderator has read them."""

    PENDING = "pending", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    HIDDEN = "hidden", _("hidden")


class ResponseQuerySet(models.QuerySet):
    def counted(self) -> "ResponseQuerySet":
        """The responses the results count: submitted, and not a banned account's."""
        return self.filter(status=Response.Status.SUBMITTED, counted=True)


# The same, as a filter on the answers (``response__``) or their markers
# (``answer__response__``): the one rule every results read stands on.
def counted_response(prefix: str) -> Q:
    return Q(**{f"{prefix}status": Response.Status.SUBMITTED, f"{prefix}counted": True})


class Response(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        WORKSHOP = "workshop", _("in a workshop")
        PAPER = "paper", _("on paper, typed in afterwards")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft, being answered")
        SUBMITTED = "submitted", _("submitted")

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        related_name="responses",
        on_delete=models.CASCADE,
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # HMAC of the respondent's identity (account, e-mail or device); blank when a relay
    # typed the answer in.
    respondent_key = models.CharField(_("respondent key"), max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        related_name="survey_responses",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # A relay's entry: the key the tablet or the page generated (a replay finds this row),
    # the SHA-256 of the canonical payload, and who typed it in.
    key = models.UUIDField(_("idempotency key"), unique=True, null=True, blank=True)
    payload_hash = models.CharField(_("payload hash"), max_length=64, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("typed in by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # False for the response of an account banned from the questionnaire's territory by
    # its moderators (engagement's ban) when it was submitted: kept, shown to its
    # respondent, never in the results, the texts to moderate or the exports.
    counted = models.BooleanField(_("counted"), default=True, db_default=True)
    # Where a draft stands: the position of the page to resume on.
    current_page = models.PositiveSmallIntegerField(_("current page"), default=0)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["questionnaire", "started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "respondent_key"],
                condition=~Q(respondent_key=""),
                name="surveys_one_response_per_person",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="surveys_submitted_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["questionnaire", "status"], name="surveys_response_status"),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} #{self.pk}"


class ResponseLink(models.Model):
    """A one-time link sent by e-mail (questionnaires answered anonymously, one answer per
    address). The address is not kept: ``email_key`` is its keyed hash, enough to refuse
    a second link to the same address."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        related_name="links",
        on_delete=models.CASCADE,
    )
    email_key = models.CharField(_("address key"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time link")
        verbose_name_plural = _("one-time links")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "email_key"], name="surveys_one_link_per_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} — {self.pk}"


class Answer(models.Model):
    """The answer to one question: its choices (``AnswerChoice``), its text, number or
    date, or its map features (``AnswerFeature``)."""

    response = models.ForeignKey(
        Response, verbose_name=_("response"), related_name="answers", on_delete=models.CASCADE
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), related_name="answers", on_delete=models.PROTECT
    )
    # Text questions' text, or the "other" text of a choice question.
    text = models.TextField(_("text"), blank=True, max_length=5000)
    text_moderation = models.CharField(
        _("moderation of the text"),
        max_length=10,
        choices=TextModeration.choices,
        default=TextModeration.PENDING,
    )
    number = models.DecimalField(
        _("number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="surveys_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.response} — {self.question.code}"


class AnswerChoice(models.Model):
    """A choice held by an answer; ``rank`` (1 first) for a ranking."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), related_name="choices", on_delete=models.CASCADE
    )
    choice = models.ForeignKey(
        Choice, verbose_name=_("choice"), related_name="answers", on_delete=models.PROTECT
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("choice of an answer")
        verbose_name_plural = _("choices of answers")
        constraints = [
            models.UniqueConstraint(fields=["answer", "choice"], name="surveys_choice_once"),
            models.UniqueConstraint(
                fields=["answer", "rank"],
                condition=Q(rank__isnull=False),
                name="surveys_rank_once",
            ),
        ]

    def __str__(self) -> str:
        return str(self.choice)


class AnswerFeature(models.Model):
    """One marker of a map answer: a point, a line or an area (``geom``), or a picked
    PLU/PLUi zone or commune; with its follow-up choice and comment."""

    answer = models.ForeignKey(
        Answer, verbose_name=_("answer"), related_name="features", on_delete=models.CASCADE
    )
    position = models.PositiveSmallIntegerField(_("position"))
    geom = models.GeometryField(_("geometry"), srid=settings.SRID, null=True, blank=True)
    geom_3857 = web_mercator_copy(models.GeometryField)
    zone = models.ForeignKey(
        "plui_documents.Zone",
        verbose_name=_("zone"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    marker_choice = models.ForeignKey(
        Choice,
        verbose_name=_("follow-up choice"),
        related_name="markers",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    comment_moderation = models.CharField(
        _("moderation of the comment"),
        max_length=10,
        choices=TextModeration.choices,
        default=TextModeration.PENDING,
    )

    class Meta:
        verbose_name = _("map answer")
        verbose_name_plural = _("map answers")
        ordering = ["answer", "position"]
        indexes = [
            GistIndex(fields=["geom"], name="surveys_feature_geom_gist"),
            GistIndex(fields=["geom_3857"], name="surveys_feature_g3857_gist"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["answer", "position"], name="surveys_feature_once"),
            # Exactly one of: a drawn geometry, a zone, a commune.
            models.CheckConstraint(
                condition=(
                    Q(geom__isnull=False, zone__isnull=True, commune__isnull=True)
                    | Q(geom__isnull=True, zone__isnull=False, commune__isnull=True)
                    | Q(geom__isnull=True, zone__isnull=True, commune__isnull=False)
                ),
                name="surveys_feature_one_kind",
            ),
            models.CheckConstraint(
                condition=Q(geom__isnull=True) | Q(geom__isvalid=True),
                name="surveys_feature_geom_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.answer} — {self.position}"
