# SPDX-License-Identifier: AGPL-3.0-or-later
from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GistIndex
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from layers.fields import web_mercator_copy

from .validators import INSEE_CODE_PATTERN, SIREN_PATTERN, validate_insee_code, validate_siren


class Territory(models.Model):
    """An intercommunalité (EPCI), identified by its SIREN; its outline is its communes'."""

    siren = models.CharField(_("SIREN"), max_length=9, unique=True, validators=[validate_siren])
    name = models.CharField(_("name"), max_length=200)
    geom = models.MultiPolygonField(_("outline"), srid=settings.SRID, spatial_index=False)
    geom_3857 = web_mercator_copy(models.MultiPolygonField)
    # The participation modules switched off here (their manifest names, core.modules):
    # no navigation entry, their tilesets and API answer 404 in this territory. Written by
    # services.territory_modules_switch, read by selectors.module_enabled.
    modules_off = ArrayField(
        models.CharField(max_length=50),
        verbose_name=_("modules switched off"),
        default=list,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("territory (EPCI)")
        verbose_name_plural = _("territories (EPCI)")
        ordering = ["name"]
        indexes = [
            GistIndex(fields=["geom_3857"], name="territory_geom3857_gist"),
            GistIndex(fields=["geom"], name="territory_geom_gist"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(geom__isvalid=True), name="territory_geom_valid"),
            models.CheckConstraint(
                condition=Q(siren__regex=SIREN_PATTERN), name="territory_siren_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.siren})"


class Commune(models.Model):
    insee = models.CharField(
        _("INSEE code"), max_length=5, unique=True, validators=[validate_insee_code]
    )
    name = models.CharField(_("name"), max_length=200)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory"),
        related_name="communes",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    geom = models.MultiPolygonField(_("boundary"), srid=settings.SRID, spatial_index=False)
    geom_3857 = web_mercator_copy(models.MultiPolygonField)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]
        indexes = [
            GistIndex(fields=["geom_3857"], name="commune_geom3857_gist"),
            GistIndex(fields=["geom"], name="commune_geom_gist"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(geom__isvalid=True), name="commune_geom_valid"),
            models.CheckConstraint(
                condition=Q(insee__regex=INSEE_CODE_PATTERN), name="commune_insee_format"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.insee})"
