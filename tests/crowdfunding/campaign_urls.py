# SPDX-License-Identifier: AGPL-3.0-or-later
"""The house's URLs, with a stand-in for the portal part's public project page
(``crowdfunding:project``, which the followers' e-mails link to) while this branch has
none of its own: the real page wins once the portal part is there."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver, include, path

from carto_concertation.crowdfunding.urls import _pages
from carto_concertation.urls import urlpatterns_compose


def _project_stand_in(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug, content_type="text/plain")


_with_project = [*_pages]
if not any(getattr(pattern, "name", None) == "project" for pattern in _pages):
    _with_project.append(path("<slug:slug>/", _project_stand_in, name="project"))

urlpatterns = [
    path("financement/", include((_with_project, "crowdfunding")))
    if isinstance(pattern, URLResolver) and pattern.namespace == "crowdfunding"
    else pattern
    for pattern in urlpatterns_compose()
]
