# SPDX-License-Identifier: AGPL-3.0-or-later
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Workshop(models.Model):
    """A map workshop run by a relay in one commune, where participants' ideas are
    captured on a tablet or on paper maps typed in afterwards."""

    concertation = models.ForeignKey(
        "concertations.Concertation",
        verbose_name=_("concertation"),
        related_name="workshops",
        on_delete=models.CASCADE,
    )
    commune = models.ForeignKey(
        "territories.Commune",
        verbose_name=_("commune"),
        related_name="workshops",
        on_delete=models.PROTECT,
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200)
    facilitator = models.CharField(_("facilitator"), max_length=120)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["commune", "-starts_at"], name="workshop_commune_date")]

    def __str__(self) -> str:
        return f"{self.place} ({self.starts_at:%d/%m/%Y})"


class WorkshopCapture(models.Model):
    """One idea captured in a workshop, under the key the tablet generated for it: a
    second sync of the same capture finds this row instead of creating a twin."""

    class Channel(models.TextChoices):
        WORKSHOP = "workshop", _("workshop")
        PAPER = "paper", _("paper")

    workshop = models.ForeignKey(
        Workshop, verbose_name=_("workshop"), related_name="captures", on_delete=models.CASCADE
    )
    key = models.UUIDField(_("idempotency key"), unique=True)
    contribution = models.OneToOneField(
        "contributions.Contribution",
        verbose_name=_("contribution"),
        related_name="workshop_capture",
        on_delete=models.CASCADE,
    )
    # SHA-256 of the canonical payload: the same key with another payload is a conflict.
    payload_hash = models.CharField(_("payload hash"), max_length=64)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # Kept for the relay's own follow-up, never published (the idea shows no author).
    participant = models.CharField(_("participant (pseudonym)"), max_length=40, blank=True)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("captured by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("workshop capture")
        verbose_name_plural = _("workshop captures")
        ordering = ["workshop", "created_at"]

    def __str__(self) -> str:
        return str(self.key)
