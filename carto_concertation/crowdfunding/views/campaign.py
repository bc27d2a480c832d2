# SPDX-License-Identifier: AGPL-3.0-or-later
"""The campaign's page for its porteur and the territory's agents, in French and without
JavaScript: the figures form, the upload of the platform's export (its report shown line
by line when a line is refused, and then nothing is written), and the history of the
figures with their sources and reasons. Writes go through the services."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from carto_concertation.core.throttles import page_throttled

from ..selectors.campaign import figures_history
from ..selectors.projects import project_managed
from ..services.campaign import FINAL_FIGURES_DAYS, REASON_MAX, figures_open, figures_update
from ..services.funding_csv import LAYOUTS, FundingExportRefused, funding_import

THROTTLE_SCOPE = "crowdfunding_figures"


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Reason of the correction"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Only when a figure goes down (a refund, a typing error): shown in public."
        ),
    )


class FiguresForm(forms.Form):
    raised = forms.IntegerField(label=gettext_lazy("Amount raised (euros)"), min_value=0)
    contributors = forms.IntegerField(label=gettext_lazy("Contributors"), min_value=0)
    correction_reason = _reason_field()


class FundingImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The platform's export (CSV)"),
        help_text=gettext_lazy(
            "Read whole or not at all; only the totals are kept, no name or e-mail."
        ),
    )
    correction_reason = _reason_field()


def _errors_onto(form: forms.Form, exc: ValidationError) -> None:
    """A service's errors under the form's fields (elsewhere: the form's own)."""
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
@require_http_methods(["GET", "POST"])
def campaign_page(request: HttpRequest, slug: str) -> HttpResponse:
    project = project_managed(request.user, slug)
    if project is None:
        raise Http404
    figures_form = FiguresForm(
        prefix="figures", initial={"raised": project.raised, "contributors": project.contributors}
    )
    import_form = FundingImportForm(prefix="import")
    report_lines = []
    if request.method == "POST":
        if refused := page_throttled(request, THROTTLE_SCOPE):
            return refused
        action = request.POST.get("action")
        if action == "figures":
            figures_form = FiguresForm(request.POST, prefix="figures")
            if figures_form.is_valid():
                try:
                    figures_update(user=request.user, project=project, **figures_form.cleaned_data)
                except ValidationError as exc:
                    _errors_onto(figures_form, exc)
                else:
                    messages.success(request, _("The figures are updated."))
                    return redirect("crowdfunding:campaign", slug=project.slug)
        elif action == "import":
            import_form = FundingImportForm(request.POST, request.FILES, prefix="import")
            if import_form.is_valid():
                try:
                    record, report = funding_import(
                        user=request.user,
                        project=project,
                        upload=import_form.cleaned_data["file"],
                        correction_reason=import_form.cleaned_data["correction_reason"],
                    )
                except FundingExportRefused as refusal:
                    _errors_onto(import_form, refusal)
                    report_lines = refusal.report.lines
                except ValidationError as exc:
                    _errors_onto(import_form, exc)
                else:
                    messages.success(
                        request,
                        _(
                            "Export imported: %(lines)s lines read, %(counted)s counted, "
                            "%(set_aside)s set aside; %(raised)s € from %(contributors)s "
                            "contributors."
                        )
                        % {
                            "lines": record.lines,
                            "counted": record.counted,
                            "set_aside": record.set_aside,
                            "raised": report.raised,
                            "contributors": report.contributors,
                        },
                    )
                    return redirect("crowdfunding:campaign", slug=project.slug)
        else:
            return HttpResponse(_("Choose what to send."), status=400, content_type="text/plain")
    refused_form = figures_form.is_bound or import_form.is_bound
    return render(
        request,
        "crowdfunding/campaign/manage.html",
        {
            "project": project,
            # Back to the agents' review of the project, or to the porteur's projects.
            "is_agent": request.user.has_perm("crowdfunding.review", project),
            "figures_form": figures_form,
            "import_form": import_form,
            "report_lines": report_lines,
            "history": figures_history(project),
            "figures_open": figures_open(project),
            "final_figures_days": FINAL_FIGURES_DAYS,
            "layouts": LAYOUTS,
        },
        status=400 if refused_form else 200,
    )
