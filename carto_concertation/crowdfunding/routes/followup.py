# SPDX-License-Identifier: AGPL-3.0-or-later
"""The followup part's API paths and pages (composed by crowdfunding/urls.py): the news
of the works and following a project."""

from django.urls import path

from ..api import followup as followup_api
from ..views import followup as followup_views

PROJECT = "crowdfunding/projects/<slug:slug>/"

api_patterns: list = [
    path(PROJECT + "news", followup_api.ProjectNewsApi.as_view(), name="crowdfunding-news"),
    path(PROJECT + "follow", followup_api.ProjectFollowApi.as_view(), name="crowdfunding-follow"),
]
page_patterns: list = [
    path("gestion/<slug:slug>/nouvelles/", followup_views.news_page, name="news"),
    path("<slug:slug>/suivre/", followup_views.follow_page, name="follow"),
    path("<slug:slug>/nouvelles/<int:pk>/photo", followup_views.news_photo, name="news-photo"),
]
