# SPDX-License-Identifier: AGPL-3.0-or-later
"""The pages of engagement, included at the site's root by urls.py like the backbone's:
the moderators' back office, the report page and the public moderation log of a space."""

from django.urls import path

from . import views

MODERATION = "moderation/<slug:slug>/"
ITEM = MODERATION + "<str:model>/<int:pk>/"

urlpatterns = [
    path("moderation/", views.moderation_home, name="moderation-home"),
    # Three segments, which no space's path has: a space may be called "comptes". Before
    # the items' actions, which would take "bannis" for a model.
    path("moderation/comptes/bannis/", views.moderation_bans, name="moderation-bans"),
    path(
        "moderation/comptes/bannis/<int:pk>/lever/",
        views.moderation_ban_lift,
        name="moderation-ban-lift",
    ),
    path(MODERATION, views.moderation_space, name="moderation-space"),
    # Before the actions' path, which would take "fusion" for an action.
    path(ITEM + "fusion/", views.moderation_merge, name="moderation-merge"),
    path(ITEM + "<str:action>/", views.moderation_act, name="moderation-act"),
    path("signaler/<str:model>/<int:pk>/", views.report_form, name="report-form"),
    path(
        "concertations/<slug:slug>/moderation/",
        views.moderation_log_page,
        name="space-moderation-log",
    ),
]
