# SPDX-License-Identifier: AGPL-3.0-or-later
from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from layers.fields import web_mercator_copy


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
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-created_at"]
        indexes = [
            GistIndex(fields=["geom"], name="contribution_geom_gist"),
            GistIndex(fields=["geom_3857"], name="contribution_geom3857_gist"),
            models.Index(fields=["concertation", "status"], name="contribution_status"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(geom__isvalid=True), name="contribution_geom_valid"),
            # A closing status always carries the collectivité's answer, its date and its service.
            models.CheckConstraint(
                condition=~Q(status__in=["retained", "partly_retained", "not_retained"])
                | (~Q(answer="") & ~Q(answer_service="") & Q(answered_at__isnull=False)),
                name="contribution_closing_has_answer",
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


class Vote(models.Model):
    """One opinion per person and contribution: +1/−1 (for/against), +1 (support),
    or −2…+2 (rating), as the concertation chose."""

    contribution = models.ForeignKey(Contribution, related_name="votes", on_delete=models.CASCADE)
    # SET_NULL: a deleted account's votes stay counted, without a link to the person.
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="votes", on_delete=models.SET_NULL, null=True
    )
    value = models.SmallIntegerField(_("value"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.UniqueConstraint(fields=["contribution", "voter"], name="vote_one_per_voter"),
            models.CheckConstraint(
                condition=Q(value__gte=-2) & Q(value__lte=2) & ~Q(value=0), name="vote_value_range"
            ),
        ]
