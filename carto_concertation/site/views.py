# SPDX-License-Identifier: AGPL-3.0-or-later
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from carto_concertation.core.modules import ModuleManifest, composed
from carto_concertation.territories.selectors import module_enabled_somewhere, territory_list


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The territories and what each space and module shows on the home page (its
    ``home`` slot: the concertations open to the public); a module's, when it is switched
    on in some territory."""
    sections = [
        render_to_string(part.home.template, part.home.context(request), request)
        for part in composed()
        if part.home is not None
        and (not isinstance(part, ModuleManifest) or module_enabled_somewhere(part.name))
    ]

    territories = territory_list().prefetch_related("communes")
    return render(request, "site/home.html", {"sections": sections, "territories": territories})
