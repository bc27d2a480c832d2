# SPDX-License-Identifier: AGPL-3.0-or-later
"""The Pabulib pages: an agent uploads a ``.pb`` file into a territory they run (a plain
form, no JavaScript needed; the error names the file's line), anyone downloads a published
edition's ``.pb`` once its vote is over."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from carto_concertation.core.throttles import api_scope_rate

from ..api.pabulib import pb_response
from ..selectors.pabulib import edition_for_export, territories_for_import
from ..services.pabulib_io import edition_import_pb


class PabulibImportForm(forms.Form):
    territory = forms.ModelChoiceField(
        label=gettext_lazy("Territory"), queryset=None, empty_label=None
    )
    file = forms.FileField(
        label=gettext_lazy("Pabulib file (.pb)"),
        help_text=gettext_lazy("A UTF-8 .pb file with its META, PROJECTS and VOTES sections."),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories_for_import(user)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=api_scope_rate("budgets_import"), method="POST", block=True)
def pabulib_import(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("budgets.work"):
        raise PermissionDenied(_("Only the agents of a territory may import an edition."))
    posted = request.method == "POST"
    form = PabulibImportForm(
        request.POST if posted else None, request.FILES if posted else None, user=request.user
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                edition = edition_import_pb(
                    territory=form.cleaned_data["territory"],
                    file=form.cleaned_data["file"],
                    user=request.user,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _(
                        "Edition “%(title)s” imported (%(slug)s): %(projects)s projects, %(ballots)s ballots."
                    )
                    % {
                        "title": edition.title,
                        "slug": edition.slug,
                        "projects": edition.projects.count(),
                        "ballots": edition.ballots.count(),
                    },
                )
                return redirect("budgets:pabulib-import")
        status = 400
    return render(request, "budgets/pabulib/import.html", {"form": form}, status=status)


@require_GET
@ratelimit(key="ip", rate=api_scope_rate("heavy_read"), method="GET", block=True)
def pabulib_export(request: HttpRequest, slug: str) -> HttpResponse:
    edition = edition_for_export(slug=slug, user=request.user)
    if edition is None:
        raise Http404(_("No such edition."))
    try:
        return pb_response(edition, user=request.user)
    except PermissionDenied as refusal:
        # The page says why (the site's 403 page does not show the reason).
        context = {"edition": edition, "reason": str(refusal)}
        return render(request, "budgets/pabulib/export_refused.html", context, status=403)
