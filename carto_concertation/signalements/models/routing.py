# SPDX-License-Identifier: AGPL-3.0-or-later
"""The territory's category tree, its services and the routing table."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
