# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas module's settings in one space: what kinds of places it takes, its moderation,
its votes and its distance for near-duplicates (issue 16: the space and the module apart).

One row per instance of the ideas module in a concertation (``concertations.SpaceModule``
named "ideas"), made with the instance (``instance_setup`` of the manifest) and gone with
it. The plan under the concertation (``plui_document``) stays on the space: every module's
map and the workshops' sheets draw its zoning.
"""

from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.utils.translation import gettext_lazy as _

# The ideas module's manifest name (core.modules), as the spaces record it.
IDEAS_MODULE = "ideas"


class GeometryKind(models.TextChoices):
    POINT = "point", _("point")
    LINE = "line", _("line")
    AREA = "area", _("area")


def all_geometry_kinds() -> list[str]:
    """Points, lines and areas: what a new ideas map takes unless told otherwise."""
    return list(GeometryKind.values)


class IdeasSettings(models.Model):
    """How the ideas map of one concertation works."""

    class Moderation(models.TextChoices):
        BEFORE = "before", _("before publication")
        AFTER = "after", _("after publication")

    class VoteMode(models.TextChoices):
        FOR_AGAINST = "for_against", _("for or against")
        SUPPORT = "support", _("support")
        RATING = "rating", _("rating from −2 to +2")

    # To the module's instance, not to the concertation: the settings are the instance's
    # (removing the ideas from a space removes them), as a Decidim component's are.
    space_module = models.OneToOneField(
        "concertations.SpaceModule",
        verbose_name=_("module of the concertation"),
        related_name="ideas_settings",
        on_delete=models.CASCADE,
    )
    accepted_geometries = ArrayField(
        models.CharField(max_length=5, choices=GeometryKind.choices),
        verbose_name=_("accepted geometries"),
        default=all_geometry_kinds,
    )
    moderation = models.CharField(
        _("moderation"), max_length=6, choices=Moderation.choices, default=Moderation.AFTER
    )
    vote_mode = models.CharField(
        _("votes"), max_length=12, choices=VoteMode.choices, default=VoteMode.SUPPORT
    )
    duplicate_distance_m = models.PositiveIntegerField(
        _("distance for near-duplicates (m)"), default=150
    )

    class Meta:
        verbose_name = _("settings of the ideas map")
        verbose_name_plural = _("settings of the ideas maps")

    def __str__(self) -> str:
        return str(self.space_module.concertation)
