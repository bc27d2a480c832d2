# SPDX-License-Identifier: AGPL-3.0-or-later
"""Signalements: reports about public space, filed on a territory, routed by the
compétences (commune × category → service), answered in public (docs/signalements.md).

A report belongs to its territory, not to a space: the services, the routing and the
Open311 API are the territory's. A space that holds the module shows the territory's
public reports inside its perimeter."""

import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layers.fields import web_mercator_copy


class Category(models.Model):
    """A kind of problem in the territory's tree (voirie › nid-de-poule). Its ``code`` is
    the Open311 ``service_code``. Reports are filed on a leaf or on a category without
    children."""

    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        related_name="report_categories",
        on_delete=models.CASCADE,
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        related_name="children",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    code = models.SlugField(_("code"), max_length=60, help_text=_("Open311 service_code."))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    # Time the services have to take a report of this category into account (e.g. 48 h
    # for a danger); an older open report is shown overdue on their dashboard.
    sla_hours = models.PositiveIntegerField(
        _("time to take into account (hours)"), null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("report category")
        verbose_name_plural = _("report categories")
        ordering = ["territory", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["territory", "code"], name="report_category_code_once"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="report_category_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name


class CategoryQuestion(models.Model):
    """An extra question of a category (an Open311 attribute): a choice, a number or a text."""

    class Kind(models.TextChoices):
        CHOICE = "choice", _("a choice")
        NUMBER = "number", _("a number")
        TEXT = "text", _("a text")

    category = models.ForeignKey(
        Category, verbose_name=_("category"), related_name="questions", on_delete=models.CASCADE
    )
    code = models.SlugField(_("code"), max_length=60)
    label = models.CharField(_("question"), max_length=200)
    kind = models.CharField(_("kind of answer"), max_length=10, choices=Kind.choices)
    # For a choice: [{"key": "...", "name": "..."}], in the order shown.
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")
        ordering = ["category", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="report_question_code_once"),
        ]

    def __str__(self) -> str:
        return self.label


class Service(models.Model):
    """A service that handles reports: a commune's (``commune`` set) or the EPCI's. The
    territory's triage service receives what the routing table does not place."""

    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        related_name="report_services",
        on_delete=models.CASCADE,
    )
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        related_name="report_services",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text=_("Empty for a service of the intercommunalité."),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agents"),
        related_name="report_services",
        blank=True,
    )
    is_triage = models.BooleanField(_("triage of the intercommunalité"), default=False)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["territory", "commune__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory"], condition=Q(is_triage=True), name="report_service_one_triage"
            ),
            models.CheckConstraint(
                condition=Q(is_triage=False) | Q(commune__isnull=True),
                name="report_service_triage_is_the_epci",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune.name})" if self.commune_id else self.name


class Route(models.Model):
    """One line of the routing table: in this commune, this category goes to this service."""

    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        related_name="report_routes",
        on_delete=models.CASCADE,
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), related_name="routes", on_delete=models.CASCADE
    )
    service = models.ForeignKey(
        Service, verbose_name=_("service"), related_name="routes", on_delete=models.CASCADE
    )

    class Meta:
        verbose_name = _("route")
        verbose_name_plural = _("routing table")
        ordering = ["commune__name", "category__name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "category"], name="report_route_once"),
        ]

    def __str__(self) -> str:
        return f"{self.commune} · {self.category} → {self.service}"


class ApiClient(models.Model):
    """A partner application allowed to post requests through Open311 (its ``api_key``).
    Only the key's SHA-256 is kept; the key is shown once, when it is issued."""

    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        related_name="open311_clients",
        on_delete=models.CASCADE,
    )
    name = models.CharField(_("application"), max_length=200)
    contact = models.EmailField(_("contact"), blank=True)
    key_digest = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 application")
        verbose_name_plural = _("Open311 applications")
        ordering = ["territory", "name"]

    def __str__(self) -> str:
        return self.name


class BannedSender(models.Model):
    """A sender whose reports are hidden without telling them (an account or an address)."""

    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        related_name="banned_senders",
        on_delete=models.CASCADE,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        related_name="+",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("banned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("banned sender")
        verbose_name_plural = _("banned senders")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(email=""), name="banned_sender_names_someone"
            ),
        ]

    def __str__(self) -> str:
        return self.email or str(self.user)


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
