# SPDX-License-Identifier: AGPL-3.0-or-later
from django.conf import settings
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class Notice(models.Model):
    """A short notice pinned on the map of a space."""

    # A module keys its rows to the space it takes place in: the space app is the one
    # package a module may import besides the backbone.
    space = models.ForeignKey(
        "concertations.Concertation", related_name="notices", on_delete=models.CASCADE
    )
    # SET_NULL: a deleted account's notices stay, signed by nobody (as the ideas do).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="notices", on_delete=models.SET_NULL, null=True
    )
    text = models.CharField(_("text"), max_length=280)
    location = models.PointField(_("location"), srid=settings.SRID)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]
