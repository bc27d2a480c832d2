# SPDX-License-Identifier: AGPL-3.0-or-later
"""A questionnaire: dated, in pages of questions, some of them asked on the map."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Questionnaire(models.Model):
    """A consultation's questionnaire, on a concertation or standing alone on a territory.
    Drafts are seen by the organisers only; once published it takes answers between its
    dates, and its results are public once ``results_published``."""

    class Respondents(models.TextChoices):
        # How "one answer per person" is held, said publicly on the questionnaire's page.
        ACCOUNT = "account", _("signed-in residents, one answer per account")
        EMAIL_LINK = "email_link", _("anonymous, one answer per one-time link sent by e-mail")
        DEVICE = "device", _("anonymous, one answer per device")

    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        related_name="questionnaires",
        on_delete=models.PROTECT,
    )
    # The concertation it belongs to, if any: its perimeter bounds the map answers.
    concertation = models.ForeignKey(
        "concertations.Concertation",
        verbose_name=_("concertation"),
        related_name="questionnaires",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # The PLU/PLUi whose zones the zone questions and the counts per zone use.
    zoning_document = models.ForeignKey(
        "plui_documents.UrbanDocument",
        verbose_name=_("PLU/PLUi"),
        related_name="questionnaires",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    respondents = models.CharField(
        _("who answers"), max_length=12, choices=Respondents.choices, default=Respondents.ACCOUNT
    )
    is_published = models.BooleanField(_("published"), default=False)
    results_published = models.BooleanField(_("results published"), default=False)
    # The organisers' collective answer, shown above the public results.
    results_summary = models.TextField(_("collective answer"), blank=True, max_length=20000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["-opens_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="surveys_dates_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyPage(models.Model):
    """A page of questions; shown only when ``shown_if_question``'s answer holds one of
    ``shown_if_choices`` (no condition: always shown)."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        related_name="pages",
        on_delete=models.CASCADE,
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    shown_if_question = models.ForeignKey(
        "Question",
        verbose_name=_("shown only if the answer to"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    shown_if_choices = models.ManyToManyField(
        "Choice", verbose_name=_("is one of"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="surveys_page_position_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.questionnaire} — {self.position}"


class Question(models.Model):
    """One question of a page. Map questions take geometries (points, a line, an area) or
    picks (PLU/PLUi zones, communes); each marker may carry the follow-up choices
    (``Choice.for_marker``) and a comment."""

    class Kind(models.TextChoices):
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        SHORT_TEXT = "short_text", _("short text")
        LONG_TEXT = "long_text", _("long text")
        SCALE = "scale", _("scale")
        RANKING = "ranking", _("ranking")
        NUMBER = "number", _("number")
        DATE = "date", _("date")
        POINTS = "points", _("place one or several points")
        LINE = "line", _("draw a line")
        AREA = "area", _("outline an area")
        ZONES = "zones", _("pick PLU/PLUi zones")
        COMMUNES = "communes", _("pick communes")

    CHOICE_KINDS = frozenset({Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING})
    TEXT_KINDS = frozenset({Kind.SHORT_TEXT, Kind.LONG_TEXT})
    GEOMETRY_KINDS = frozenset({Kind.POINTS, Kind.LINE, Kind.AREA})
    PICK_KINDS = frozenset({Kind.ZONES, Kind.COMMUNES})
    MAP_KINDS = GEOMETRY_KINDS | PICK_KINDS

    page = models.ForeignKey(
        SurveyPage, verbose_name=_("page"), related_name="questions", on_delete=models.CASCADE
    )
    position = models.PositiveSmallIntegerField(_("position"))
    # A short stable name: the CSV column and the GeoPackage layer of the question.
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    label = models.CharField(_("question"), max_length=500)
    help_text = models.TextField(_("help"), blank=True, max_length=2000)
    required = models.BooleanField(_("answer required"), default=False)
    # Single and multiple choice: an "autre" box with its own text.
    with_other = models.BooleanField(_("with an “other” answer"), default=False)
    # Multiple choice and map questions: how many choices, markers or picks (0: no limit).
    min_count = models.PositiveSmallIntegerField(_("at least"), default=0)
    max_count = models.PositiveSmallIntegerField(_("at most (0: no limit)"), default=0)
    # Scale (1–5 or 0–10) and number bounds; the scale's ends may carry words.
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    min_label = models.CharField(_("label of the minimum"), max_length=80, blank=True)
    max_label = models.CharField(_("label of the maximum"), max_length=80, blank=True)
    # Map questions: each marker may carry a comment (its choice: Choice.for_marker rows).
    marker_comment = models.BooleanField(_("a comment on each marker"), default=False)
    marker_choice_label = models.CharField(
        _("follow-up question on each marker"), max_length=300, blank=True
    )
    shown_if_question = models.ForeignKey(
        "self",
        verbose_name=_("shown only if the answer to"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    shown_if_choices = models.ManyToManyField(
        "Choice", verbose_name=_("is one of"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["page__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["page", "position"], name="surveys_question_position"),
            models.CheckConstraint(
                condition=Q(max_count=0) | Q(max_count__gte=F("min_count")),
                name="surveys_question_count_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_map(self) -> bool:
        return self.kind in self.MAP_KINDS


class Choice(models.Model):
    """A choice of a choice question or ranking, or (``for_marker``) a follow-up choice
    of a map question's markers."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), related_name="choices", on_delete=models.CASCADE
    )
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("label"), max_length=300)
    for_marker = models.BooleanField(_("follow-up choice of a marker"), default=False)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "for_marker", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "for_marker", "position"], name="surveys_choice_position"
            ),
        ]

    def __str__(self) -> str:
        return self.label
