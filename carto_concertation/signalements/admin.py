# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements in the back office: the administrators set up each territory's
category tree with its questions, its services and their agents, the routing table and
the banned senders; reports are read here, and handled by the services on their desk
(every change of state goes through the workflow's services, which notify and log)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.widgets import LocalGISModelAdmin

from .models import BannedSender, Category, CategoryQuestion, Report, Route, Service


class QuestionForm(forms.ModelForm):
    """The choices of a question typed as JSON: ``[{"key": "...", "name": "..."}]``."""

    class Meta:
        model = CategoryQuestion
        fields = ("code", "label", "kind", "choices", "required", "position")
        help_texts = {
            "choices": _('For a choice: [{"key": "small", "name": "Small"}, …], in order.'),
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        choices, kind = cleaned.get("choices") or [], cleaned.get("kind")
        well_formed = isinstance(choices, list) and all(
            isinstance(choice, dict)
            and set(choice) == {"key", "name"}
            and all(isinstance(value, str) and value.strip() for value in choice.values())
            for choice in choices
        )
        if not well_formed:
            self.add_error("choices", _('Give a list of {"key": …, "name": …}.'))
        elif kind == CategoryQuestion.Kind.CHOICE and not choices:
            self.add_error("choices", _("A choice needs its choices."))
        elif kind != CategoryQuestion.Kind.CHOICE and choices:
            self.add_error("choices", _("Only a choice has choices."))
        return cleaned


class QuestionInline(admin.TabularInline):
    model = CategoryQuestion
    form = QuestionForm
    extra = 0


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("__str__", "code", "territory", "sla_hours", "active")
    list_filter = ("territory", "active", "parent")
    search_fields = ("name", "code", "keywords")
    inlines = [QuestionInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":  # a tree of two levels: a parent has no parent
            kwargs["queryset"] = Category.objects.filter(parent__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "commune", "territory", "email", "is_triage")
    list_filter = ("territory", "is_triage", "commune")
    search_fields = ("name", "email", "commune__name")
    filter_horizontal = ("members",)


class RouteForm(forms.ModelForm):
    class Meta:
        model = Route
        fields = ("commune", "category", "service")

    def clean(self) -> dict:
        cleaned = super().clean()
        parts = (cleaned.get(name) for name in ("commune", "category", "service"))
        if len({part.territory_id for part in parts if part is not None}) > 1:
            raise ValidationError(
                _("The commune, the category and the service must be of one territory.")
            )
        return cleaned


@admin.register(Route)
class RouteAdmin(admin.ModelAdmin):
    """The routing table: which service receives a category in a commune."""

    form = RouteForm
    list_display = ("commune", "category", "service")
    list_filter = ("commune", "category", "service")
    search_fields = ("commune__name", "category__name", "service__name")
    list_select_related = ("commune", "category__parent", "service__commune")


@admin.register(Report)
class ReportAdmin(LocalGISModelAdmin):
    """Read only: the services act on their desk, the reporters on the report's page."""

    list_display = (
        "__str__",
        "territory",
        "commune",
        "state",
        "service",
        "is_public",
        "created_at",
    )
    list_filter = ("territory", "state", "is_public", "is_hidden", "source", "category")
    search_fields = ("description", "address", "commune__name")
    date_hierarchy = "created_at"
    list_select_related = ("category__parent", "commune", "territory", "service__commune")
    readonly_fields = ("history",)

    @admin.display(description=_("history"))
    def history(self, report: Report) -> str:
        """Every step, as written by the services: date, what changed, the public text and
        the acting agent (kept for the administrators, never published)."""
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{} · {}{} · {} {}</li>",
                (
                    (
                        date_format(update.created_at, "SHORT_DATETIME_FORMAT"),
                        update.get_kind_display(),
                        f" → {update.get_state_after_display()}" if update.state_after else "",
                        update.text,
                        f"({update.author})" if update.author_id else "",
                    )
                    for update in report.updates.select_related("author")
                ),
            ),
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(BannedSender)
class BannedSenderAdmin(admin.ModelAdmin):
    list_display = ("__str__", "territory", "reason", "created_at")
    list_filter = ("territory",)
    search_fields = ("email", "user__email", "reason")
    raw_id_fields = ("user",)


from . import admin_open311  # noqa: E402, F401 (registers the Open311 applications)
