# SPDX-License-Identifier: AGPL-3.0-or-later
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.modules import slug_is_reserved


class Concertation(models.Model):
    """A public concertation on a territory's map, over a PLU/PLUi: the participatory
    space (territory, perimeter, phases, status, themes, the plan it is about). What
    residents do there comes from the modules it holds (``modules``: SpaceModule)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        ARCHIVED = "archived", _("archived")

    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        related_name="concertations",
        on_delete=models.PROTECT,
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("HTML, sanitised."))
    charter = models.TextField(_("participation charter"), blank=True)
    perimeter = models.MultiPolygonField(
        _("perimeter"),
        srid=settings.SRID,
        spatial_index=False,
        blank=True,
        help_text=_("Empty: the communes of the territory."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # The plan under the concertation: its zoning is drawn under every module's map and
    # printed on the workshops' sheets, so it belongs to the space, not to a module.
    plui_document = models.ForeignKey(
        "plui_documents.UrbanDocument",
        verbose_name=_("PLU/PLUi concerned"),
        related_name="concertations",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The space's public moderation log (carto_concertation.engagement), gone with it.
    moderation_log = GenericRelation(
        "engagement.ModerationAction",
        content_type_field="space_type",
        object_id_field="space_id",
        related_query_name="concertation",
    )

    class Meta:
        verbose_name = _("concertation")
        verbose_name_plural = _("concertations")
        ordering = ["-created_at"]
        indexes = [GistIndex(fields=["perimeter"], name="concertation_perimeter_gist")]
        constraints = [
            models.CheckConstraint(
                condition=Q(perimeter__isvalid=True), name="concertation_perimeter_valid"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # The modules' site-wide tilesets take this suffix (core.modules.SITE_WIDE).
        if slug_is_reserved(self.slug):
            raise ValidationError({"slug": _("This address is reserved for the site's maps.")})


class SpaceModule(models.Model):
    """A participation module's instance in a concertation (as a Decidim component in its
    space): ``module`` is the name of a registered manifest (core.modules), checked by
    ``space_module_add``. A space holds one instance of each module: the modules' URLs
    name the space (``/concertations/<slug>/``), not the instance. The module keeps the
    instance's settings in its own tables (the ideas' ``contributions.IdeasSettings``)."""

    concertation = models.ForeignKey(
        Concertation,
        verbose_name=_("concertation"),
        related_name="modules",
        on_delete=models.CASCADE,
    )
    module = models.CharField(_("module"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("module of the concertation")
        verbose_name_plural = _("modules of the concertation")
        ordering = ["concertation", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["concertation", "module"], name="spacemodule_unique_module"
            )
        ]

    def __str__(self) -> str:
        return self.module


class Phase(models.Model):
    """A dated step of a concertation; contributions are accepted only in the open one."""

    class Kind(models.TextChoices):
        INFORMATION = "information", _("information")
        CONTRIBUTIONS = "contributions", _("contributions open")
        ANALYSIS = "analysis", _("analysis")
        BILAN = "bilan", _("bilan published")

    concertation = models.ForeignKey(Concertation, related_name="phases", on_delete=models.CASCADE)
    kind = models.CharField(_("phase"), max_length=13, choices=Kind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["concertation", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["concertation", "kind"], name="phase_unique_kind"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="phase_dates",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def is_current(self, at=None) -> bool:
        at = at or timezone.now()
        return self.starts_at <= at and (self.ends_at is None or at < self.ends_at)


class Theme(models.Model):
    concertation = models.ForeignKey(Concertation, related_name="themes", on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=80)
    colour = models.CharField(_("colour"), max_length=7, default="#3366cc")
    icon = models.CharField(_("icon"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["concertation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["concertation", "name"], name="theme_unique_name"),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="theme_colour_hex"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SpaceLayer(models.Model):
    """An uploaded layer the concertation's map shows (chosen by a planner or an
    administrator in its admin page): a context layer or a raster plan, in ``position``
    order, drawn above the zoning in the style and listed with a toggle in its legend
    (layers.spaces reads the choice for the backbone)."""

    concertation = models.ForeignKey(
        Concertation,
        verbose_name=_("concertation"),
        related_name="map_layers",
        on_delete=models.CASCADE,
    )
    context_layer = models.ForeignKey(
        "layers.ContextLayer",
        verbose_name=_("context layer"),
        related_name="+",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    raster_layer = models.ForeignKey(
        "layers.RasterLayer",
        verbose_name=_("raster plan"),
        related_name="+",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("layer of the map")
        verbose_name_plural = _("layers of the map")
        ordering = ["concertation", "position", "pk"]
        constraints = [
            # One layer per row: a context layer or a raster plan.
            models.CheckConstraint(
                condition=Q(context_layer__isnull=True) ^ Q(raster_layer__isnull=True),
                name="spacelayer_one_layer",
            ),
            models.UniqueConstraint(
                fields=["concertation", "context_layer"], name="spacelayer_unique_context"
            ),
            models.UniqueConstraint(
                fields=["concertation", "raster_layer"], name="spacelayer_unique_raster"
            ),
        ]

    def __str__(self) -> str:
        return str(self.context_layer or self.raster_layer)
