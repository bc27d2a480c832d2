# SPDX-License-Identifier: AGPL-3.0-or-later
"""/admin/journal/: the staff audit journal (core.audit), for administrators only —
filtered by action, actor and days, a page at a time, or the whole selection as CSV."""

import csv
from collections.abc import Iterator

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carto_concertation.accounts.selectors import user_is_administrator
from carto_concertation.core.audit import audit_actions, audit_entries
from carto_concertation.core.text import spreadsheet_cell

PAGE_SIZE = 50


class JournalFilter(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    actor = forms.CharField(
        label=gettext_lazy("Who (e-mail address, or part of it)"), required=False, max_length=254
    )
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        actions = sorted(
            ((code, str(label)) for code, label in audit_actions().items()),
            key=lambda choice: choice[1],
        )
        self.fields["action"].choices = [("", _("Every action")), *actions]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError({"until": _("The end date is before the start date.")})
        return cleaned


def journal_view(admin_site, request: HttpRequest) -> HttpResponse:
    """The journal's page (the admin site wraps it: signed-in staff only; then
    administrators only)."""
    if not user_is_administrator(user=request.user):
        raise PermissionDenied
    form = JournalFilter(request.GET or None)
    if form.is_bound and not form.is_valid():
        if request.GET.get("format") == "csv":
            return JsonResponse(form.errors, status=400)
        return _page(admin_site, request, form, entries=None, status=400)
    filters = {k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v}
    entries = audit_entries(**filters)
    if request.GET.get("format") == "csv":
        return _csv(entries)
    return _page(admin_site, request, form, entries=entries)


def _page(admin_site, request, form, *, entries, status: int = 200) -> TemplateResponse:
    page = None
    if entries is not None:
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    labels = audit_actions()
    context = {
        **admin_site.each_context(request),
        "title": _("Audit journal"),
        "form": form,
        "page": page,
        "rows": [(entry, labels.get(entry.action, entry.action)) for entry in page or ()],
        "query": query.urlencode(),
        "retention_days": settings.RETENTION_IP_DAYS,
    }
    return TemplateResponse(request, "site/journal.html", context, status=status)


CSV_HEADERS = (
    "date",
    "acteur",
    "role",
    "action",
    "libelle",
    "type_cible",
    "id_cible",
    "territoire",
    "details",
    "ip",
    "navigateur",
)


def _csv_rows(entries) -> Iterator[list]:
    labels = audit_actions()
    yield list(CSV_HEADERS)
    for entry in entries.iterator(chunk_size=1000):
        yield [
            spreadsheet_cell(str(cell))
            for cell in (
                timezone.localtime(entry.at).isoformat(),
                entry.actor_email,
                entry.role,
                entry.action,
                str(labels.get(entry.action, "")),
                entry.target_type,
                entry.target_id,
                entry.territory.name if entry.territory else "",
                ";".join(f"{key}={value}" for key, value in sorted(entry.details.items())),
                entry.ip or "",
                entry.user_agent,
            )
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(entries) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in _csv_rows(entries)), content_type="text/csv"
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="journal-{day}.csv"'
    return response
