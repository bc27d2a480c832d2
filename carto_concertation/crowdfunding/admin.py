# SPDX-License-Identifier: AGPL-3.0-or-later
"""The crowdfunding projects in the back office: read and corrected on a map, accepted or
refused in bulk. Every write goes through the services (services/projects.py): the
status is never typed, a refusal asks its public reason on a page of its own, and a
change of the fields is checked as the portal's pages check it. Projects are submitted on
the portal (the services make the slug and find the commune), not added here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import territories_for_role
from carto_concertation.core.widgets import LocalGISModelAdmin

from .models import Project, ProjectPhoto
from .services.project_fields import (
    PORTEUR_FIELDS,
    SUPPORT_FIELDS,
    fields_cleaned,
    project_errors,
)
from .services.projects import AGENT_EDITABLE, project_accept, project_edit, project_refuse

EDITABLE_FIELDS = (*PORTEUR_FIELDS, *SUPPORT_FIELDS)


class PhotoInline(admin.TabularInline):
    model = ProjectPhoto
    extra = 0
    fields = ("image", "caption", "created_at")
    readonly_fields = ("image", "created_at")

    # Photos come through the services (re-encoded, without their metadata): the admin
    # shows them, corrects a caption, removes one.
    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ProjectAdminForm(forms.ModelForm):
    campaign_url = forms.URLField(
        label=gettext_lazy("link to the campaign"), max_length=500, assume_scheme="https"
    )

    class Meta:
        model = Project
        fields = EDITABLE_FIELDS

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.status not in AGENT_EDITABLE and self.changed_data:
            raise ValidationError(
                _("This project can no longer be changed (%(status)s).")
                % {"status": self.instance.get_status_display()}
            )
        changed = {name: cleaned[name] for name in self.changed_data if name in cleaned}
        _values, errors = fields_cleaned(changed, territory=self.instance.territory)
        after = {name: cleaned.get(name) for name in EDITABLE_FIELDS}
        errors = {**project_errors(after, required=True), **errors}
        for field, message in errors.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason of the refusal"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text=gettext_lazy("It is shown in public with each project."),
    )


@admin.register(Project)
class ProjectAdmin(LocalGISModelAdmin):
    form = ProjectAdminForm
    # ``held``: submitted by an account banned in the territory (engagement's Ban).
    list_display = ("title", "territory", "commune", "porteur_name", "modality", "status", "held")
    list_filter = ("status", "held", "modality", "theme", "territory")
    search_fields = ("title", "porteur_name", "slug")
    list_select_related = ("territory", "commune")
    inlines = [PhotoInline]
    actions = ["accept_selected", "refuse_selected"]
    readonly_fields = (
        "slug",
        "territory",
        "commune",
        "status",
        "held",
        "refusal_reason",
        "decided_at",
        "decided_by",
        "submitter",
        "raised",
        "contributors",
        "figures_updated_at",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request) -> bool:
        return False

    # The territories' planners review their projects here too.
    def has_module_permission(self, request) -> bool:
        return super().has_module_permission(request) or request.user.has_perm("crowdfunding.work")

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may_review(request, obj) or super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may_review(request, obj) or super().has_change_permission(request, obj)

    def _may_review(self, request, obj) -> bool:
        if obj is None:
            return request.user.has_perm("crowdfunding.work")
        return request.user.has_perm("crowdfunding.review", obj)

    def get_queryset(self, request):
        projects = super().get_queryset(request)
        if request.user.is_superuser:
            return projects
        planned = territories_for_role(user=request.user, role=Role.PLANNER)
        return projects.filter(territory__in=planned)

    def save_model(self, request, obj, form, change) -> None:
        data = {
            name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE_FIELDS
        }
        if not data:
            return
        # The form holds the values; the project as stored is what the service changes.
        stored = Project.objects.select_related("territory").get(pk=obj.pk)
        try:
            project_edit(user=request.user, project=stored, data=data)
        except (ValidationError, PermissionDenied) as error:
            self.message_user(request, " ".join(_messages(error)), messages.ERROR)

    @admin.action(description=gettext_lazy("Accept the selected projects on the portal"))
    def accept_selected(self, request, queryset) -> None:
        accepted = 0
        for project in queryset.select_related("territory"):
            try:
                project_accept(user=request.user, project=project)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(
                    request, f"{project.title}: {' '.join(_messages(error))}", messages.ERROR
                )
            else:
                accepted += 1
        if accepted:
            self.message_user(
                request,
                ngettext("%(count)s project accepted.", "%(count)s projects accepted.", accepted)
                % {"count": accepted},
                messages.SUCCESS,
            )

    @admin.action(description=gettext_lazy("Refuse the selected projects (with a reason)"))
    def refuse_selected(self, request, queryset):
        """First the page asking the public reason, then the refusals."""
        form = RefuseForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            refused = 0
            for project in queryset.select_related("territory"):
                try:
                    project_refuse(
                        user=request.user, project=project, reason=form.cleaned_data["reason"]
                    )
                except (ValidationError, PermissionDenied) as error:
                    self.message_user(
                        request, f"{project.title}: {' '.join(_messages(error))}", messages.ERROR
                    )
                else:
                    refused += 1
            if refused:
                self.message_user(
                    request,
                    ngettext("%(count)s project refused.", "%(count)s projects refused.", refused)
                    % {"count": refused},
                    messages.SUCCESS,
                )
            return None
        return TemplateResponse(
            request,
            "admin/crowdfunding/project/refuse.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Refuse the projects"),
                "opts": self.model._meta,
                "projects": queryset,
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
            status=400 if form.is_bound else 200,
        )


def _messages(error) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error) or _("Not allowed.")]
