# SPDX-License-Identifier: AGPL-3.0-or-later
"""The page of a concertation (the participatory space). The first module it holds that
gives a page of its own (its manifest's ``space_page``: the ideas' map) renders it, where
that module is on in the territory; otherwise the space's own page says what the space
is and links to its modules."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .selectors import (
    concertation_module_entries,
    concertation_modules_on,
    concertation_public_list,
)


def concertation_page(request: HttpRequest, slug: str) -> HttpResponse:
    concertation = get_object_or_404(concertation_public_list(), slug=slug)
    for manifest in concertation_modules_on(concertation):
        if manifest.space_page is not None:
            return manifest.space_page(request, concertation)
    return render(
        request,
        "concertations/space.html",
        {
            "concertation": concertation,
            "phases": concertation.phases.all(),
            "module_entries": concertation_module_entries(concertation),
        },
    )
