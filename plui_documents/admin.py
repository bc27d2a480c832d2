# SPDX-License-Identifier: AGPL-3.0-or-later
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from carto_concertation.accounts.models import Role
from carto_concertation.accounts.selectors import territories_for_role
from carto_concertation.core.audit import audit_origin
from carto_concertation.core.widgets import LocalGISModelAdmin
from layers.admin_upload import UploadForm, UploadJobAdminMixin

from . import services
from .models import DocumentPiece, DocumentVersion, Information, Prescription, UrbanDocument, Zone
from .reporting import report_lines
from .tasks import plui_import_task


class PluiUploadForm(UploadForm):
    allowed_suffixes = (".zip", ".gpkg", ".geojson", ".json")
    file = forms.FileField(
        label=_("CNIG delivery"),
        help_text=_(
            "The zip of the Géoportail de l'Urbanisme, a GeoPackage or a GeoJSON of ZONE_URBA."
        ),
    )
    idurba = forms.CharField(label="IDURBA", max_length=30, required=False)
    source_srid = forms.IntegerField(
        label=_("source EPSG code"),
        required=False,
        help_text=_("Only when the files declare no CRS."),
    )


class DocumentVersionInline(admin.TabularInline):
    model = DocumentVersion
    fields = ("number", "cnig_version", "etat", "datappro", "source_name", "imported_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(UrbanDocument)
class UrbanDocumentAdmin(UploadJobAdminMixin, admin.ModelAdmin):
    list_display = ("idurba", "typedoc", "siren", "territory", "current_version")
    search_fields = ("idurba", "siren", "insee")
    readonly_fields = ("idurba", "typedoc", "siren", "insee", "territory", "current_version")
    inlines = (DocumentVersionInline,)
    change_list_template = "admin/plui_documents/urbandocument/change_list.html"
    upload_form = PluiUploadForm
    upload_title = _("Import a PLU/PLUi (CNIG standard)")
    job_kind = "plui_import"

    def has_add_permission(self, request) -> bool:
        return False

    def may_upload(self, request) -> bool:
        return request.user.has_perm("plui_documents.import")

    # Planners see the documents of their territories (read-only, like everyone).
    def _planned(self, request):
        return territories_for_role(user=request.user, role=Role.PLANNER)

    def has_module_permission(self, request) -> bool:
        return super().has_module_permission(request) or self.may_upload(request)

    def has_view_permission(self, request, obj=None) -> bool:
        if super().has_view_permission(request, obj):
            return True
        if obj is None:
            return request.user.has_perm("plui_documents.import")
        return request.user.has_perm("plui_documents.read", obj)

    def get_queryset(self, request):
        documents = super().get_queryset(request)
        if super().has_view_permission(request):
            return documents
        return documents.filter(territory__in=self._planned(request))

    def start_job(self, request, form):
        upload = form.cleaned_data["file"]
        path = self.keep_upload(upload)
        return self.create_job(
            request,
            title=str(_("PLU/PLUi import: %(name)s") % {"name": Path(upload.name).name}),
            params={
                "path": str(path),
                "idurba": form.cleaned_data.get("idurba") or "",
                "source_srid": form.cleaned_data.get("source_srid"),
                # The importer's address and browser, for the audit journal.
                "origin": audit_origin(),
            },
            enqueue=plui_import_task.delay,
        )


@admin.register(DocumentVersion)
class DocumentVersionAdmin(LocalGISModelAdmin):
    list_display = ("document", "number", "cnig_version", "datappro", "imported_at")
    list_filter = ("cnig_version",)
    exclude = ("report",)
    readonly_fields = (
        "document",
        "number",
        "cnig_version",
        "etat",
        "nomproc",
        "datappro",
        "datefin",
        "nomreg",
        "urlreg",
        "nomplan",
        "urlplan",
        "siteweb",
        "communes",
        "source_name",
        "source_srs",
        "imported_by",
        "imported_at",
        "import_report",
    )

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["perimeter"].disabled = True
        return form

    def save_model(self, request, obj, form, change) -> None:
        return None  # everything shown is read-only: a version changes by a new import

    @admin.display(description=_("import report"))
    def import_report(self, obj: DocumentVersion) -> str:
        return "\n".join(report_lines(obj.report)) if obj.report else ""


class ImportedFeatureAdmin(LocalGISModelAdmin):
    """Imported features are read on a map; they change by importing a new version."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        for field in form.base_fields.values():
            field.disabled = True
        return form

    def save_model(self, request, obj, form, change) -> None:
        messages.info(request, _("Imported features are changed by importing a new version."))

    def save_related(self, request, form, formsets, change) -> None:
        return None


@admin.register(Zone)
class ZoneAdmin(ImportedFeatureAdmin):
    list_display = ("libelle", "typezone", "libelong", "version")
    list_filter = ("typezone", "version__document")
    search_fields = ("libelle", "libelong")


@admin.register(Prescription)
class PrescriptionAdmin(ImportedFeatureAdmin):
    list_display = ("libelle", "typepsc", "stypepsc", "kind", "version")
    list_filter = ("kind", "typepsc", "version__document")


@admin.register(Information)
class InformationAdmin(ImportedFeatureAdmin):
    list_display = ("libelle", "typeinf", "stypeinf", "kind", "version")
    list_filter = ("kind", "typeinf", "version__document")


class PieceForm(forms.ModelForm):
    class Meta:
        model = DocumentPiece
        fields = ("version", "file")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() != ".pdf" or upload.read(5) != b"%PDF-":
            raise forms.ValidationError(_("Upload a PDF file."))
        upload.seek(0)
        return upload


@admin.register(DocumentPiece)
class DocumentPieceAdmin(admin.ModelAdmin):
    """The règlement and other PDFs; a new one is read and linked to the zones."""

    form = PieceForm
    list_display = ("filename", "kind", "version", "page_count")
    list_filter = ("kind",)

    def get_readonly_fields(self, request, obj=None):
        return ("version", "file", "kind", "filename", "page_count", "sha256") if obj else ()

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        upload = form.cleaned_data["file"]
        piece = services.piece_attach(
            version=obj.version, pdf=upload, filename=Path(upload.name).name
        )
        obj.pk = piece.pk
