# SPDX-License-Identifier: AGPL-3.0-or-later
"""Admin pages that take an uploaded file and hand it to a Celery job."""

import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from carto_concertation.core.jobs import job_create

from .services import uploaded_file_keep


class UploadForm(forms.Form):
    """Base of the upload forms: the file, checked for its type and size."""

    allowed_suffixes: tuple[str, ...] = ()
    file = forms.FileField(label=_("file"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in self.allowed_suffixes:
            raise forms.ValidationError(
                _("Accepted files: %(suffixes)s.") % {"suffixes": ", ".join(self.allowed_suffixes)}
            )
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(max)s MB.")
                % {"max": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        return upload


class UploadJobAdminMixin:
    """Adds an "upload" page to a ModelAdmin that starts a job and shows its progress."""

    upload_form: type[UploadForm]
    upload_title = _("Upload")
    job_kind = ""
    upload_template = "admin/upload_job.html"

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name="{}_{}_upload".format(*info),
            ),
            *super().get_urls(),
        ]

    def may_upload(self, request) -> bool:
        return self.has_add_permission(request)

    def upload_view(self, request):
        if not self.may_upload(request):
            raise PermissionDenied
        form = self.upload_form(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            job = self.start_job(request, form)
            return redirect(reverse("admin:core_job_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": self.upload_title,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, self.upload_template, context)

    def keep_upload(self, upload) -> Path:
        return uploaded_file_keep(upload, Path(settings.MEDIA_ROOT) / "imports" / uuid.uuid4().hex)

    def start_job(self, request, form):
        raise NotImplementedError

    def create_job(self, request, *, title: str, params: dict, enqueue):
        return job_create(
            kind=self.job_kind, title=title, params=params, user=request.user, enqueue=enqueue
        )
