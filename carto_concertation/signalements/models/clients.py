# SPDX-License-Identifier: AGPL-3.0-or-later
"""Who may post through Open311, and whose reports are hidden without telling them."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
