# SPDX-License-Identifier: AGPL-3.0-or-later
"""A report, its photos, its history and its followers."""

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layers.fields import web_mercator_copy

from .clients import ApiClient
from .routing import Category, Service


class Report(models.Model):
    """A signalement. Public surfaces show only confirmed, public, not hidden reports
    (``selectors.reports_public``), and never the reporter's name or address."""

    class State(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("not confirmed")
        # In context: the concertations' "open" is feminine ("ouverte"), a report is "ouvert".
        OPEN = "open", pgettext_lazy("report state", "open")
        ACKNOWLEDGED = "acknowledged", _("taken into account")
        IN_PROGRESS = "in_progress", _("in progress")
        FIXED = "fixed", _("fixed")
        NOT_FIXED = "not_fixed", _("not fixed")
        NOT_RESPONSIBLE = "not_responsible", _("not our responsibility")
        DUPLICATE = "duplicate", _("duplicate")

    OPEN_STATES = (State.OPEN, State.ACKNOWLEDGED, State.IN_PROGRESS)
    CLOSED_STATES = (State.FIXED, State.NOT_FIXED, State.NOT_RESPONSIBLE, State.DUPLICATE)

    class Source(models.TextChoices):
        WEB = "web", _("website")
        OPEN311 = "open311", _("Open311 application")
        AGENT = "agent", _("typed in by an agent")

    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        related_name="reports",
        on_delete=models.PROTECT,
    )
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        related_name="reports",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), related_name="reports", on_delete=models.PROTECT
    )
    service = models.ForeignKey(
        Service,
        verbose_name=_("service"),
        related_name="reports",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    geom = models.PointField(_("place"), srid=settings.SRID, spatial_index=False)
    geom_3857 = web_mercator_copy(models.PointField)
    address = models.CharField(_("address"), max_length=250, blank=True)
    description = models.TextField(_("description"), max_length=3000)
    # Answers to the category's extra questions, by question code.
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        related_name="reports_filed",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # The address of a reporter without an account (confirmed by a link); never public.
    email = models.EmailField(_("reporter's e-mail address"), blank=True)
    is_public = models.BooleanField(_("public"), default=True)
    # A banned sender's report: kept, shown to no one but the services.
    is_hidden = models.BooleanField(_("hidden"), default=False)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.UNCONFIRMED
    )
    # Why "not fixed", or the body to contact for "not our responsibility".
    state_reason = models.TextField(_("reason"), blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        related_name="duplicates",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.WEB
    )
    api_client = models.ForeignKey(
        ApiClient,
        verbose_name=_("Open311 application"),
        related_name="reports",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # Open311's token for a request posted before it has an id of its own.
    token = models.UUIDField(_("token"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("taken into account at"), null=True, blank=True)
    fixed_at = models.DateTimeField(_("fixed at"), null=True, blank=True)
    # When the reporter was asked "est-ce réparé ?" (four weeks after "fixed").
    fixed_check_sent_at = models.DateTimeField(_("asked whether fixed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            GistIndex(fields=["geom"], name="report_geom_gist"),
            GistIndex(fields=["geom_3857"], name="report_geom3857_gist"),
            models.Index(fields=["territory", "state"], name="report_territory_state"),
            models.Index(fields=["service", "state"], name="report_service_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="duplicate") | Q(duplicate_of__isnull=False),
                name="report_duplicate_names_original",
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=models.F("id")), name="report_not_own_duplicate"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.category.name}"


def report_photo_path(instance: "ReportPhoto", filename: str) -> str:
    """A random name: the original's name says nothing about the reporter."""
    return f"reports/{uuid.uuid4().hex}.jpg"


class ReportPhoto(models.Model):
    """A photo of a report, re-encoded as JPEG without any metadata (core.photos)."""

    report = models.ForeignKey(Report, related_name="photos", on_delete=models.CASCADE)
    image = models.ImageField(_("image"), upload_to=report_photo_path)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["report", "id"]


class ReportUpdate(models.Model):
    """A step of a report's history: its public text and what changed. The acting agent
    (``author``) is kept for the services, never published: the public reads the service."""

    class Kind(models.TextChoices):
        CREATED = "created", _("filed")
        CONFIRMED = "confirmed", _("confirmed")
        STATE = "state", _("state changed")
        REROUTED = "rerouted", _("sent to another service")
        DUPLICATE = "duplicate", _("marked as a duplicate")
        REOPENED = "reopened", _("reopened by the reporter")
        FIXED_CHECK = "fixed_check", _("reporter asked whether fixed")

    report = models.ForeignKey(
        Report, verbose_name=_("report"), related_name="updates", on_delete=models.CASCADE
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    state_before = models.CharField(
        _("state before"), max_length=20, choices=Report.State.choices, blank=True
    )
    state_after = models.CharField(
        _("state after"), max_length=20, choices=Report.State.choices, blank=True
    )
    service_before = models.ForeignKey(
        Service,
        verbose_name=_("service before"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    service_after = models.ForeignKey(
        Service,
        verbose_name=_("service after"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    text = models.TextField(_("public text"), max_length=3000, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("history")
        ordering = ["report", "created_at", "id"]


class ReportFollower(models.Model):
    """A "me too" on a report: a follower, told of its updates. An account or a confirmed
    address; the count is public, who follows is not."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), related_name="followers", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        related_name="reports_followed",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "user"],
                condition=Q(user__isnull=False),
                name="report_follower_user_once",
            ),
            models.UniqueConstraint(
                fields=["report", "email"],
                condition=~Q(email=""),
                name="report_follower_email_once",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="report_follower_names_someone"
            ),
        ]
