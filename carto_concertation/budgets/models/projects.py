# SPDX-License-Identifier: AGPL-3.0-or-later
"""A project proposed for an edition, its photos and its supporters."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from layers.fields import web_mercator_copy

from .editions import District, Edition


class Project(models.Model):
    """A project: a place (point or area) in the territory, so its district follows from
    it; analysed by the services, put to the vote, then followed once it wins."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("budget project", "proposed")
        ADMISSIBLE = "admissible", pgettext_lazy("budget project", "admissible")
        NOT_ADMISSIBLE = "not_admissible", pgettext_lazy("budget project", "not admissible")
        MERGED = "merged", pgettext_lazy("budget project", "merged into another")
        ON_BALLOT = "on_ballot", pgettext_lazy("budget project", "put to the vote")
        WINNER = "winner", pgettext_lazy("budget project", "winner")
        NOT_SELECTED = "not_selected", pgettext_lazy("budget project", "not selected")
        DONE = "done", pgettext_lazy("budget project", "completed")

    class Realisation(models.TextChoices):
        # The follow-up of a winner ("redevabilité").
        STUDY = "study", _("under study")
        WORKS = "works", _("works under way")
        DONE = "done", pgettext_lazy("budget project realisation", "completed")
        ABANDONED = "abandoned", _("abandoned")

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), related_name="projects", on_delete=models.CASCADE
    )
    # The project's number in the edition: its id in the ballots and the .pb export.
    number = models.PositiveIntegerField(_("number"))
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        related_name="projects",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    estimated_cost = models.PositiveBigIntegerField(_("estimated cost (euros)"))
    # Set by the services during the analysis; the vote and the rules use it when set.
    revised_cost = models.PositiveBigIntegerField(_("revised cost (euros)"), null=True, blank=True)
    # None for a project imported from a .pb file without coordinates.
    geom = models.GeometryField(_("place"), srid=settings.SRID, null=True, blank=True)
    geom_3857 = web_mercator_copy(models.GeometryField)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        related_name="budget_projects",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # When the project is carried by an association, its name is shown instead.
    association = models.CharField(_("association"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED
    )
    # The public reason of the services' decision (admissible or not, merged).
    analysis_reason = models.TextField(_("reason of the decision"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        related_name="merged_projects",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    realisation = models.CharField(
        _("realisation"), max_length=10, choices=Realisation.choices, blank=True
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # The project_id of an imported .pb file (services/pabulib_io.py).
    source_id = models.CharField(_("id in the imported file"), max_length=64, blank=True)
    abandon_reason = models.TextField(_("reason for abandoning"), blank=True)
    # Proposed by an account banned from the territory by its moderators (engagement's
    # ban): out of every public read but its submitter's, who sees it as any project of
    # theirs, until the services' analysis decides on it (services/analysis.py).
    held = models.BooleanField(_("awaiting moderation"), default=False, db_default=False)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("budget project")
        verbose_name_plural = _("budget projects")
        ordering = ["edition", "number"]
        indexes = [
            GistIndex(fields=["geom"], name="budgets_project_geom_gist"),
            GistIndex(fields=["geom_3857"], name="budgets_project_g3857_gist"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "number"], name="budgets_project_number_once"
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="budgets_project_progress_percent"
            ),
            models.CheckConstraint(
                condition=Q(geom__isnull=True) | Q(geom__isvalid=True),
                name="budgets_project_geom_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def cost(self) -> int:
        """What the vote and the rules count: the revised cost once the services set it."""
        return self.revised_cost if self.revised_cost is not None else self.estimated_cost


class ProjectPhoto(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), related_name="photos", on_delete=models.CASCADE
    )
    image = models.ImageField(_("photo"), upload_to="budgets/projects/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("project photo")
        verbose_name_plural = _("project photos")
        ordering = ["project", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.project} — {self.pk}"


class ProjectSupporter(models.Model):
    """A resident who supports a proposed project; a merge keeps them on the project kept."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), related_name="supporters", on_delete=models.CASCADE
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supporter"),
        related_name="budget_supports",
        on_delete=models.CASCADE,
    )
    # False for the support of an account banned from the territory by its moderators
    # (engagement's ban): kept, shown to its supporter, never in the counts.
    counted = models.BooleanField(_("counted"), default=True, db_default=True)
    created_at = models.DateTimeField(_("supported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="budgets_support_once"),
        ]

    def __str__(self) -> str:
        return f"{self.project} — {self.user}"
