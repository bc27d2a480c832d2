# SPDX-License-Identifier: AGPL-3.0-or-later
"""A crowdfunding project of the territory: who carries it, where, how it is funded
(the modality and its terms), its campaign on a regulated platform, the collectivité's
support, and where it stands. Its photos."""

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carto_concertation.territories.models import Commune, Territory
from layers.fields import web_mercator_copy


class Project(models.Model):
    """A located project whose campaign runs on a platform; the portal federates it.

    Its status moves through the services only (services/): submitted by a porteur,
    accepted on the portal or refused with a public reason, in campaign between its
    dates, then funded or not, and at last inaugurated once the works are done."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("crowdfunding project", "submitted")
        REFUSED = "refused", pgettext_lazy("crowdfunding project", "refused")
        ACCEPTED = "accepted", pgettext_lazy("crowdfunding project", "campaign to come")
        CAMPAIGN = "campaign", pgettext_lazy("crowdfunding project", "campaign under way")
        FUNDED = "funded", pgettext_lazy("crowdfunding project", "funded")
        NOT_FUNDED = "not_funded", pgettext_lazy("crowdfunding project", "not funded")
        INAUGURATED = "inaugurated", pgettext_lazy("crowdfunding project", "inaugurated")

    class PorteurKind(models.TextChoices):
        COLLECTIVITE = "collectivite", _("local authority")
        ASSOCIATION = "association", _("association")
        BUSINESS = "business", _("business")
        CITIZENS = "citizens", _("citizens' group")

    class Modality(models.TextChoices):
        # The modalities of the collectivités' guide: don, prêt, investissement.
        DONATION = "donation", _("donation without reward")
        DONATION_REWARD = "donation_reward", _("donation with rewards")
        LOAN = "loan", _("interest-free loan")
        LOAN_INTEREST = "loan_interest", _("loan with interest")
        EQUITY = "equity", _("investment in the capital")

    class Theme(models.TextChoices):
        ENERGY = "energy", _("energy")
        FOOD = "food", _("farming and food")
        ENVIRONMENT = "environment", _("environment and biodiversity")
        HERITAGE = "heritage", _("heritage")
        CULTURE = "culture", _("culture and sport")
        SOLIDARITY = "solidarity", _("solidarity")
        SHOPS = "shops", _("shops and crafts")
        MOBILITY = "mobility", _("mobility")

    class Platform(models.TextChoices):
        COLLECTICITY = "collecticity", "Collecticity"
        MIIMOSA = "miimosa", "Miimosa"
        ULULE = "ulule", "Ulule"
        WEDOGOOD = "wedogood", "WeDoGood"
        KISSKISSBANKBANK = "kisskissbankbank", "KissKissBankBank"
        LENDOSPHERE = "lendosphere", "Lendosphere"
        ENERFIP = "enerfip", "Enerfip"
        OTHER = "other", _("another platform")

    LOAN_MODALITIES = (Modality.LOAN, Modality.LOAN_INTEREST)
    # What the public sees: everything the collectivité accepted.
    PUBLIC_STATUSES = (
        Status.REFUSED,
        Status.ACCEPTED,
        Status.CAMPAIGN,
        Status.FUNDED,
        Status.NOT_FUNDED,
        Status.INAUGURATED,
    )

    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        related_name="crowdfunding_projects",
        on_delete=models.CASCADE,
    )
    # The commune its place lies in (its point on surface for an area), set by the services.
    commune = models.ForeignKey(
        Commune,
        verbose_name=_("commune"),
        related_name="crowdfunding_projects",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    # Submitted by an account banned from the territory (engagement's Ban): it waits for
    # the agents' decision as every project does, marked for them alone.
    held = models.BooleanField(_("submitted by a banned account"), default=False)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), max_length=10000)
    theme = models.CharField(_("theme"), max_length=16, choices=Theme.choices)
    geom = models.GeometryField(_("place"), srid=settings.SRID)
    geom_3857 = web_mercator_copy(models.GeometryField)

    # The porteur: named in public (a business or an association carries the project by
    # its name); the account that submitted it stays private.
    porteur_kind = models.CharField(
        _("kind of porteur"), max_length=16, choices=PorteurKind.choices
    )
    porteur_name = models.CharField(_("porteur"), max_length=200)
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        related_name="crowdfunding_projects",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    # How it is funded.
    modality = models.CharField(_("modality"), max_length=16, choices=Modality.choices)
    # A loan with interest: its yearly rate (%) and its length (months).
    interest_rate = models.DecimalField(
        _("interest rate (% a year)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    loan_months = models.PositiveSmallIntegerField(
        _("length of the loan (months)"), null=True, blank=True
    )
    goal = models.PositiveIntegerField(_("goal (euros)"))
    # The whole budget of the project: the goal's share of it is shown.
    total_budget = models.PositiveBigIntegerField(_("whole budget (euros)"), null=True, blank=True)

    # The campaign, on the platform.
    campaign_starts_on = models.DateField(_("campaign starts on"))
    campaign_ends_on = models.DateField(_("campaign ends on"))
    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    platform_name = models.CharField(_("name of the platform"), max_length=100, blank=True)
    campaign_url = models.URLField(_("link to the campaign"), max_length=500)
    # The last figures (FundingUpdate keeps each of them).
    raised = models.PositiveBigIntegerField(_("amount raised (euros)"), default=0)
    contributors = models.PositiveIntegerField(_("contributors"), default=0)
    figures_updated_at = models.DateTimeField(_("figures updated at"), null=True, blank=True)

    # The collectivité's support.
    supported = models.BooleanField(_("“supported by” label"), default=False)
    cofunding = models.PositiveIntegerField(
        _("co-funding by the local authority (euros)"), null=True, blank=True
    )
    public_meeting_on = models.DateField(_("public meeting on"), null=True, blank=True)
    public_meeting_place = models.CharField(
        _("place of the public meeting"), max_length=200, blank=True
    )

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    # The public reason of a refusal.
    refusal_reason = models.TextField(_("reason of the refusal"), max_length=2000, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("crowdfunding project")
        verbose_name_plural = _("crowdfunding projects")
        ordering = ["-campaign_starts_on", "pk"]
        indexes = [
            GistIndex(fields=["geom"], name="crowdfunding_project_geom_gist"),
            GistIndex(fields=["geom_3857"], name="crowdfunding_project_g3857_gist"),
            models.Index(fields=["territory", "status"], name="crowdfunding_terr_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(goal__gt=0), name="crowdfunding_goal_positive"),
            models.CheckConstraint(
                condition=Q(campaign_ends_on__gte=F("campaign_starts_on")),
                name="crowdfunding_campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(campaign_url__startswith="https://"),
                name="crowdfunding_campaign_url_https",
            ),
            models.CheckConstraint(
                condition=Q(geom__isvalid=True), name="crowdfunding_project_geom_valid"
            ),
            # A loan with interest states its rate and its length.
            models.CheckConstraint(
                # NULL > 0 is not false: CHECK would let an empty rate through.
                condition=~Q(modality="loan_interest")
                | Q(
                    interest_rate__isnull=False,
                    interest_rate__gt=0,
                    loan_months__isnull=False,
                    loan_months__gt=0,
                ),
                name="crowdfunding_loan_interest_terms",
            ),
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="crowdfunding_refusal_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def progress_percent(self) -> int:
        """The share of the goal raised, in whole per cent (over 100 once exceeded)."""
        return self.raised * 100 // self.goal if self.goal else 0

    @property
    def goal_share_percent(self) -> int | None:
        """The share of the whole budget the campaign's goal covers."""
        if not self.total_budget:
            return None
        return round(self.goal * 100 / self.total_budget)


class ProjectPhoto(models.Model):
    project = models.ForeignKey(
        Project, verbose_name=_("project"), related_name="photos", on_delete=models.CASCADE
    )
    image = models.ImageField(_("photo"), upload_to="crowdfunding/projects/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("project photo")
        verbose_name_plural = _("project photos")
        ordering = ["project", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.project} — {self.pk}"
