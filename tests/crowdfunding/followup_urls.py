# SPDX-License-Identifier: AGPL-3.0-or-later
"""The site's URLs for the follow-up's tests, with a stand-in for the portal part's
project page (``crowdfunding:project``) while that part is not merged yet: the follow
button goes back to it and the e-mails link to it. Once the portal part is in, its own
page is used and this adds nothing."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import RequestContext, Template
from django.urls import URLResolver, include, path

from carto_concertation.crowdfunding.models import Project
from carto_concertation.urls import urlpatterns_compose

PROJECT_PAGE = Template(
    '{% extends "base.html" %}{% block content %}<h1>{{ project.title }}</h1>'
    '{% include "crowdfunding/followup/_project_section.html" %}{% endblock %}'
)


def project_stand_in(request, slug):
    """The project's page, reduced to its title and the follow-up's section."""
    project = get_object_or_404(Project, slug=slug, status__in=Project.PUBLIC_STATUSES)
    return HttpResponse(PROJECT_PAGE.render(RequestContext(request, {"project": project})))


def _with_project_page(pattern):
    if not (isinstance(pattern, URLResolver) and pattern.namespace == "crowdfunding"):
        return pattern
    pages = list(pattern.url_patterns)
    if any(getattr(page, "name", None) == "project" for page in pages):
        return pattern
    pages.append(path("<slug:slug>/", project_stand_in, name="project"))
    return path("financement/", include((pages, "crowdfunding")))


urlpatterns = [_with_project_page(pattern) for pattern in urlpatterns_compose()]
handler404 = "carto_concertation.core.views.not_found"
handler500 = "carto_concertation.core.views.server_error"
