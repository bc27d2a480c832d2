# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib import admin

from .jobs import job_state, job_visible_to
from .models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Background jobs: their progress while they run, their report after."""

    list_display = ("title", "kind", "status", "progress", "created_by", "created_at")
    list_filter = ("kind", "status")
    change_form_template = "admin/core/job/change_form.html"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    # Whoever may start a job (a planner uploading a PLUi) follows their own jobs.
    def has_module_permission(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        if not self.has_module_permission(request):
            return False
        return obj is None or job_visible_to(obj, request.user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(created_by=request.user)

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        if obj is not None:
            context["job_state"] = job_state(obj)
            context["job_running"] = obj.status in (Job.Status.PENDING, Job.Status.RUNNING)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)
