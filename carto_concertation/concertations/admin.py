# SPDX-License-Identifier: AGPL-3.0-or-later
from django import forms
from django.contrib import admin

from carto_concertation.core.modules import modules
from carto_concertation.core.widgets import LocalGISModelAdmin
from carto_concertation.territories.models import Territory
from carto_concertation.territories.selectors import territory_extents

from . import services
from .models import Concertation, Phase, SpaceLayer, SpaceModule, Theme


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


def _module_choices() -> list[tuple[str, str]]:
    return [(manifest.name, str(manifest.label)) for manifest in modules()]


class SpaceModuleForm(forms.ModelForm):
    module = forms.ChoiceField(label=SpaceModule._meta.get_field("module").verbose_name)

    class Meta:
        model = SpaceModule
        fields = ("module", "position")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].choices = _module_choices()
        if self.instance.pk:  # an instance keeps its module: its settings are that module's
            self.fields["module"].disabled = True


class SpaceModuleInline(admin.TabularInline):
    """The modules of the concertation (each module's settings are in its own admin)."""

    model = SpaceModule
    form = SpaceModuleForm
    extra = 0


class ConcertationForm(forms.ModelForm):
    """A perimeter left empty is the territory's communes (concertation_save, which
    checks the constraints on it then): the form does not check "a valid perimeter" on
    nothing, which the database cannot answer."""

    def _get_validation_exclusions(self) -> set[str]:
        excluded = super()._get_validation_exclusions()
        if not self.cleaned_data.get("perimeter"):
            excluded.add("perimeter")
        return excluded


class SpaceLayerInline(admin.TabularInline):
    """The uploaded context layers and raster plans its map shows, in order (each row one
    or the other); the style and the legend list them with a toggle each."""

    model = SpaceLayer
    extra = 0
    fields = ("context_layer", "raster_layer", "position")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("context_layer", "raster_layer"):
            kwargs["queryset"] = db_field.related_model.objects.filter(status="ready")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Concertation)
class ConcertationAdmin(LocalGISModelAdmin):
    form = ConcertationForm
    list_display = ("title", "territory", "status")
    list_filter = ("status", "territory")
    search_fields = ("title",)
    prepopulated_fields = {"slug": ("title",)}
    inlines = (PhaseInline, ThemeInline, SpaceModuleInline, SpaceLayerInline)

    def get_changeform_initial_data(self, request) -> dict:
        # With one territory (a collectivité's own server), the new concertation is on it.
        initial = super().get_changeform_initial_data(request)
        if "territory" not in initial:
            only = list(Territory.objects.values_list("pk", flat=True)[:2])
            if len(only) == 1:
                initial["territory"] = only[0]
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        perimeter = form.base_fields.get("perimeter")
        if perimeter is not None:
            # The perimeter's map opens on the chosen territory, and follows the choice.
            perimeter.widget.fit_extents = territory_extents()
            perimeter.widget.fit_field = "id_territory"
        return form

    def get_inlines(self, request, obj):
        # A new concertation holds the modules of a new space (concertation_save); the
        # others are added once it exists.
        return self.inlines if obj is not None else (PhaseInline, ThemeInline, SpaceLayerInline)

    def save_model(self, request, obj, form, change) -> None:
        services.concertation_save(concertation=obj, user=request.user)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not SpaceModule:
            return super().save_formset(request, form, formset, change)
        instances = formset.save(commit=False)
        for removed in formset.deleted_objects:
            services.space_module_remove(space_module=removed)
        for instance in instances:
            if instance.pk is None:
                services.space_module_add(
                    concertation=form.instance, module=instance.module, position=instance.position
                )
            else:
                services.space_module_move(space_module=instance, position=instance.position)
