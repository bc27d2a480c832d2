# SPDX-License-Identifier: AGPL-3.0-or-later
"""An edition of the participatory budget, its districts and its phases."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from layers.fields import web_mercator_copy


class Edition(models.Model):
    """A territory's participatory budget of one year: its envelope, its rules and its
    phases, all public once ``is_published`` (before the vote opens)."""

    class BallotType(models.TextChoices):
        # Pabulib's vote_type names, so that a .pb file maps onto an edition.
        APPROVAL = "approval", _("approval (choose projects)")
        CUMULATIVE = "cumulative", _("cumulative (share points)")
        ORDINAL = "ordinal", _("ordinal (rank projects)")

    class Rule(models.TextChoices):
        GREEDY = "greedy", _("greedy: most votes first, within the budget")
        KNAPSACK = "knapsack", _("exact knapsack: greatest satisfaction within the budget")
        EQUAL_SHARES = "equalshares", _("Method of Equal Shares (with Add1 completion)")

    class Satisfaction(models.TextChoices):
        # How an approval ballot counts under the knapsack and MES rules
        # (reference/participatory-budget.md); points and ranks count as given.
        COST = "cost", _("the cost of the approved projects that win")
        CARDINALITY = "cardinality", _("the number of approved projects that win")

    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        related_name="budget_editions",
        on_delete=models.PROTECT,
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    # Whole euros, as every real edition states it (Pabulib's budgets are integers too).
    envelope = models.PositiveBigIntegerField(_("envelope (euros)"))
    # Each district has its own envelope (District.envelope) and its own vote.
    split_by_district = models.BooleanField(_("envelope split per district"), default=False)
    ballot_type = models.CharField(
        _("ballot type"), max_length=12, choices=BallotType.choices, default=BallotType.APPROVAL
    )
    # Approval: how many projects a ballot may hold; 0 means no limit.
    min_choices = models.PositiveSmallIntegerField(_("minimum number of choices"), default=1)
    max_choices = models.PositiveSmallIntegerField(_("maximum number of choices"), default=0)
    # Approval: the chosen projects must fit in the envelope (CONSUL's "knapsack" ballot).
    within_envelope = models.BooleanField(_("choices must fit in the envelope"), default=False)
    # Cumulative ballots.
    max_points_per_project = models.PositiveSmallIntegerField(
        _("maximum points per project"), default=0
    )
    max_points_total = models.PositiveSmallIntegerField(_("points to share"), default=0)
    counting_rule = models.CharField(
        _("counting rule"), max_length=12, choices=Rule.choices, default=Rule.GREEDY
    )
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Satisfaction.choices, default=Satisfaction.COST
    )
    # MES: compare the completed outcome with greedy's (Pabulib's add1-comparison).
    mes_comparison = models.BooleanField(_("compare with greedy (MES)"), default=False)
    # Who may vote: every resident of the territory (declared), from this age.
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    # The voter declares an address, which must fall in one of the districts.
    address_in_district_required = models.BooleanField(
        _("address inside a district required"), default=False
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("participatory budget edition")
        verbose_name_plural = _("participatory budget editions")
        ordering = ["-year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_choices=0) | Q(max_choices__gte=F("min_choices")),
                name="budgets_edition_choices_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EditionPhase(models.Model):
    """One of the five phases of an edition, with its dates (both inclusive)."""

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("submission of projects")
        ANALYSIS = "analysis", _("analysis of admissibility")
        VOTE = "vote", _("vote")
        RESULTS = "results", _("results")
        REALISATION = "realisation", _("realisation")

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), related_name="phases", on_delete=models.CASCADE
    )
    kind = models.CharField(_("phase"), max_length=12, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["edition", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "kind"], name="budgets_phase_once"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="budgets_phase_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} — {self.get_kind_display()}"


class District(models.Model):
    """A commune or quartier of an edition: a project falls in the district of its place,
    a voter votes in the district of their declared address."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), related_name="districts", on_delete=models.CASCADE
    )
    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=40, blank=True)
    geom = models.MultiPolygonField(_("outline"), srid=settings.SRID, spatial_index=False)
    geom_3857 = web_mercator_copy(models.MultiPolygonField)
    # Its share of the edition's envelope, when the envelope is split per district.
    envelope = models.PositiveBigIntegerField(_("envelope (euros)"), null=True, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["edition", "name"]
        indexes = [
            GistIndex(fields=["geom"], name="budgets_district_geom_gist"),
            GistIndex(fields=["geom_3857"], name="budgets_district_g3857_gist"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["edition", "name"], name="budgets_district_name_once"),
            models.CheckConstraint(
                condition=Q(geom__isvalid=True), name="budgets_district_geom_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name
