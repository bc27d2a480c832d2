# SPDX-License-Identifier: AGPL-3.0-or-later
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from carto_concertation.engagement.models import LogRelation
from layers.fields import web_mercator_copy

from .space_settings import IDEAS_MODULE, GeometryKind, IdeasSettings  # noqa: F401


class Contribution(models.Model):
    """An idea pinned on the map, with its public status and the collectivité's answer."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("awaiting moderation")
        PUBLISHED = "published", _("published")
        UNDER_STUDY = "under_study", _("under study")
        RETAINED = "retained", _("retained")
        PARTLY_RETAINED = "partly_retained", _("partly retained")
        NOT_RETAINED = "not_retained", _("not retained")
        WITHDRAWN = "withdrawn", _("withdrawn by its author")
        HIDDEN = "hidden", _("hidden by moderation")
        MERGED = "merged", _("merged into another idea")

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        WORKSHOP = "workshop", _("workshop")
        PAPER = "paper", _("paper")
        OTHER = "other", _("other")

    CLOSING = (Status.RETAINED, Status.PARTLY_RETAINED, Status.NOT_RETAINED)

    concertation = models.ForeignKey(
        "concertations.Concertation",
        verbose_name=_("concertation"),
        related_name="contributions",
        on_delete=models.CASCADE,
    )
    title = models.CharField(_("title"), max_length=140)
    text = models.TextField(_("text"), max_length=5000)
    themes = models.ManyToManyField(
        "concertations.Theme", verbose_name=_("themes"), related_name="contributions", blank=True
    )
    geom = models.GeometryField(_("place"), srid=settings.SRID, spatial_index=False)
    geom_3857 = web_mercator_copy(models.GeometryField)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        related_name="contributions",
        on_delete=models.SET_NULL,
        null=True,
    )
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.ONLINE
    )
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.PUBLISHED
    )
    answer = models.TextField(_("official answer"), blank=True)
    answer_service = models.CharField(_("answered by (service)"), max_length=120, blank=True)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    # The service the planners gave the idea to study (internal, never in a public
    # field: datasets.IDEAS does not declare it). Free text until services are records.
    assigned_service = models.CharField(_("assigned to (service)"), max_length=120, blank=True)
    # Vote tallies, moved with F() in the vote's own transaction (never read-modify-write).
    votes_for = models.PositiveIntegerField(_("for / support"), default=0)
    votes_against = models.PositiveIntegerField(_("against"), default=0)
    rating_sum = models.IntegerField(_("sum of ratings"), default=0)
    rating_count = models.PositiveIntegerField(_("ratings"), default=0)
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        related_name="contributions",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # Moderation: the public reason of a hiding, the status to go back to on restoring,
    # and the idea a merged one now points to.
    moderation_reason = models.TextField(_("reason given by moderation"), blank=True)
    status_before_moderation = models.CharField(
        _("status before moderation"), max_length=15, choices=Status.choices, blank=True
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        related_name="merged_ideas",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # French full-text search on the title (weight A) and the text (weight B).
    search = models.GeneratedField(
        expression=SearchVector("title", weight="A", config="french")
        + SearchVector("text", weight="B", config="french"),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Engagement (carto_concertation.engagement): the votes, comments and reports on the
    # idea (gone with it), and its lines of the moderation log (kept); queries such as
    # ``Comment.objects.filter(contribution__concertation=…)`` read through them.
    votes = GenericRelation("engagement.Vote", related_query_name="contribution")
    comments = GenericRelation("engagement.Comment", related_query_name="contribution")
    reports = GenericRelation("engagement.Report", related_query_name="contribution")
    moderation_actions = LogRelation(related_query_name="contribution")

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-created_at"]
        indexes = [
            GistIndex(fields=["geom"], name="contribution_geom_gist"),
            GistIndex(fields=["geom_3857"], name="contribution_geom3857_gist"),
            models.Index(fields=["concertation", "status"], name="contribution_status"),
            GinIndex(fields=["search"], name="contribution_search_gin"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(geom__isvalid=True), name="contribution_geom_valid"),
            # A closing status always carries the collectivité's answer, its date and its service.
            models.CheckConstraint(
                condition=~Q(status__in=["retained", "partly_retained", "not_retained"])
                | (~Q(answer="") & ~Q(answer_service="") & Q(answered_at__isnull=False)),
                name="contribution_closing_has_answer",
            ),
            # Hidden: always with its public reason; merged: always pointing somewhere.
            models.CheckConstraint(
                condition=~Q(status="hidden") | ~Q(moderation_reason=""),
                name="contribution_hidden_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="contribution_merged_has_target",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ContributionZone(models.Model):
    """The PLUi zones a contribution touches, with the share of it in each."""

    contribution = models.ForeignKey(
        Contribution, related_name="zone_links", on_delete=models.CASCADE
    )
    zone = models.ForeignKey(
        "plui_documents.Zone", related_name="contribution_links", on_delete=models.CASCADE
    )
    share = models.FloatField(_("share"))

    class Meta:
        verbose_name = _("zone of a contribution")
        verbose_name_plural = _("zones of contributions")
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "zone"], name="contributionzone_unique"
            ),
            models.CheckConstraint(
                condition=Q(share__gte=0) & Q(share__lte=1.000001), name="contributionzone_share"
            ),
        ]


def photo_path(instance: "ContributionPhoto", filename: str) -> str:
    """A random name: the uploaded file's own name never leaves the request."""
    return f"contributions/{instance.contribution.concertation_id}/{uuid.uuid4().hex}.jpg"


class ContributionPhoto(models.Model):
    """A photo of a contribution, re-encoded as JPEG without any metadata (photos.py)."""

    contribution = models.ForeignKey(Contribution, related_name="photos", on_delete=models.CASCADE)
    image = models.ImageField(_("image"), upload_to=photo_path)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["contribution", "id"]


class AnswerTemplate(models.Model):
    """A ready answer the planners apply to one contribution or to several at once (the
    planning tools, planning/answer_templates.py). Moved from the concertations app with
    its rows (migrations contributions 0005, concertations 0004)."""

    class Status(models.TextChoices):
        """The statuses an answer may give (contributions.moderation.NEXT_STATUSES)."""

        UNDER_STUDY = "under_study", _("under study")
        RETAINED = "retained", _("retained")
        PARTLY_RETAINED = "partly_retained", _("partly retained")
        NOT_RETAINED = "not_retained", _("not retained")

    concertation = models.ForeignKey(
        "concertations.Concertation", related_name="answer_templates", on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=120)
    status = models.CharField(_("status given"), max_length=15, choices=Status.choices)
    text = models.TextField(_("answer"), max_length=5000, blank=True)
    service = models.CharField(_("answering service"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")
        ordering = ["concertation", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["concertation", "title"], name="answertemplate_unique_title"
            ),
            # A closing status always carries its answer and its service, as on the
            # contribution itself (contribution_closing_has_answer).
            models.CheckConstraint(
                condition=Q(status="under_study") | (~Q(text="") & ~Q(service="")),
                name="answertemplate_closing_has_answer",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class InternalNote(models.Model):
    """A planner's note on an idea, for the planners alone: never on a public surface
    (API, tiles, exports, pages, moderation log, someone else's personal data)."""

    contribution = models.ForeignKey(
        Contribution, related_name="internal_notes", on_delete=models.CASCADE
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("text"), max_length=5000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["contribution", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class BilanPublication(models.Model):
    """The bilan of a concertation made public (Code de l'urbanisme art. L.103-6): which
    generated bilan (a succeeded job), when, and who published it (kept internal)."""

    concertation = models.OneToOneField(
        "concertations.Concertation", related_name="bilan_publication", on_delete=models.CASCADE
    )
    job = models.ForeignKey("core.Job", related_name="+", on_delete=models.PROTECT)
    published_at = models.DateTimeField(_("published on"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("published bilan")
        verbose_name_plural = _("published bilans")

    def __str__(self) -> str:
        return str(self.concertation)


class Follow(models.Model):
    """A person follows an idea: an e-mail when it is answered or changes status
    (follow.py). Gone with the idea or the person."""

    contribution = models.ForeignKey(Contribution, related_name="follows", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="followed_ideas", on_delete=models.CASCADE
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("followed idea")
        verbose_name_plural = _("followed ideas")
        constraints = [
            models.UniqueConstraint(fields=["contribution", "user"], name="follow_unique"),
        ]
