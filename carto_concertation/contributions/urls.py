# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas' paths: under /api/v1/, contributions, photos, votes, debate and moderation,
open-data exports and the planners' tools (dashboard, answer templates, bilan); among the
pages, the planners' dashboard. Composed by urls.py from the ideas' manifest."""

from django.urls import path

from carto_concertation.core.csp import self_contained_report

from . import follow_api, idea_page, moderation_api
from .api import ContributionViewSet, PhotoDetailApi, PhotoFileApi, PhotoListApi, VoteApi
from .exports.api import ExportApi
from .planning import dashboard, dashboard_actions, dashboard_api, idea_planning

CONTRIBUTIONS = "concertations/<slug:concertation_slug>/contributions/"
CONTRIBUTION = CONTRIBUTIONS + "<int:pk>/"
COMMENT = "concertations/<slug:concertation_slug>/comments/<int:pk>/"
MODERATION = "concertations/<slug:concertation_slug>/moderation/"
PLANNING = "concertations/<slug:concertation_slug>/"

api_patterns = [
    path(
        CONTRIBUTIONS,
        ContributionViewSet.as_view({"get": "list", "post": "create"}),
        name="contribution-list",
    ),
    path(
        CONTRIBUTIONS + "similar",
        # The action's own settings (no pagination, no list filters), as a router would.
        ContributionViewSet.as_view({"get": "similar"}, **ContributionViewSet.similar.kwargs),
        name="contribution-similar",
    ),
    path(
        CONTRIBUTION,
        ContributionViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="contribution-detail",
    ),
    path(
        CONTRIBUTION + "withdraw",
        ContributionViewSet.as_view({"post": "withdraw"}),
        name="contribution-withdraw",
    ),
    path(CONTRIBUTION + "photos/", PhotoListApi.as_view(), name="contribution-photos"),
    path(
        CONTRIBUTION + "photos/<int:photo_pk>",
        PhotoDetailApi.as_view(),
        name="contribution-photo-delete",
    ),
    path(CONTRIBUTION + "vote", VoteApi.as_view(), name="contribution-vote"),
    path(CONTRIBUTION + "follow", follow_api.FollowApi.as_view(), name="contribution-follow"),
    path(CONTRIBUTION + "me", follow_api.ViewerStateApi.as_view(), name="contribution-mine"),
    path(
        CONTRIBUTION + "comments/",
        moderation_api.CommentListApi.as_view(),
        name="contribution-comments",
    ),
    path(
        CONTRIBUTION + "report",
        moderation_api.ReportApi.as_view(),
        name="contribution-report",
    ),
    path(
        CONTRIBUTION + "moderation",
        moderation_api.ContributionModerationApi.as_view(),
        name="contribution-moderation",
    ),
    path(CONTRIBUTION + "merge", moderation_api.MergeApi.as_view(), name="contribution-merge"),
    path(CONTRIBUTION + "answer", moderation_api.AnswerApi.as_view(), name="contribution-answer"),
    path(
        COMMENT + "report",
        moderation_api.ReportApi.as_view(target="comment"),
        name="comment-report",
    ),
    path(
        COMMENT + "moderation",
        moderation_api.CommentModerationApi.as_view(),
        name="comment-moderation",
    ),
    path(
        MODERATION + "queue", moderation_api.ModerationQueueApi.as_view(), name="moderation-queue"
    ),
    path(MODERATION + "log", moderation_api.ModerationLogApi.as_view(), name="moderation-log"),
    path("photos/<int:pk>.jpg", PhotoFileApi.as_view(), name="contribution-photo"),
    # Open-data exports (issue 7).
    path("concertations/<slug:concertation_slug>/export", ExportApi.as_view(), name="export"),
    # Planners' dashboard and bilan (issue 7).
    path(PLANNING + "stats", dashboard_api.StatsApi.as_view(), name="concertation-stats"),
    path(PLANNING + "stats/zones", dashboard_api.StatsZonesApi.as_view(), name="stats-zones"),
    path(
        PLANNING + "stats/zones/counts",
        dashboard_api.StatsZoneCountsApi.as_view(),
        name="stats-zone-counts",
    ),
    path(
        PLANNING + "stats/communes",
        dashboard_api.StatsCommunesApi.as_view(),
        name="stats-communes",
    ),
    path(
        PLANNING + "stats/ideas",
        dashboard_api.StatsAreaIdeasApi.as_view(),
        name="stats-area-ideas",
    ),
    path(PLANNING + "heatmap", dashboard_api.HeatmapApi.as_view(), name="concertation-heatmap"),
    path(
        PLANNING + "answer-templates/",
        dashboard_api.AnswerTemplateListApi.as_view(),
        name="answer-template-list",
    ),
    path(
        PLANNING + "answer-templates/<int:pk>/",
        dashboard_api.AnswerTemplateDetailApi.as_view(),
        name="answer-template-detail",
    ),
    path(PLANNING + "answers/bulk", dashboard_api.BulkAnswerApi.as_view(), name="answer-bulk"),
    path(PLANNING + "bilans/", dashboard_api.BilanListApi.as_view(), name="bilan-list"),
    path(
        PLANNING + "bilans/<uuid:pk>/<str:fmt>",
        self_contained_report(dashboard_api.BilanDownloadApi.as_view()),
        name="bilan-download",
    ),
]

IDEA = "concertations/<slug:slug>/idees/<int:pk>/"

page_patterns = [
    # An idea's public page (its permalink) and the forms it posts without JavaScript.
    path(IDEA, idea_page.idea_page, name="idea"),
    path(IDEA + "soutien/", idea_page.idea_vote, name="idea-vote"),
    path(IDEA + "commentaires/", idea_page.idea_comment, name="idea-comment"),
    path(IDEA + "suivi/", idea_page.idea_follow, name="idea-follow"),
    path(IDEA + "modifier/", idea_page.idea_edit, name="idea-edit"),
    path(IDEA + "retrait/", idea_page.idea_withdraw, name="idea-withdraw"),
    path(
        "concertations/<slug:slug>/tableau-de-bord/",
        dashboard.dashboard_page,
        name="concertation-dashboard",
    ),
    path(
        "concertations/<slug:slug>/tableau-de-bord/reponses/",
        dashboard_actions.bulk_answer,
        name="dashboard-bulk-answer",
    ),
    path(
        "concertations/<slug:slug>/tableau-de-bord/bilan/",
        dashboard_actions.bilan_start,
        name="dashboard-bilan-start",
    ),
    path(
        "concertations/<slug:slug>/tableau-de-bord/bilan/publication/",
        dashboard_actions.bilan_publication,
        name="bilan-publication",
    ),
    path(
        "concertations/<slug:slug>/idees/<int:pk>/traitement/",
        idea_planning.idea_planning_page,
        name="contribution-planning",
    ),
    # The published bilan, for everyone (Code de l'urbanisme art. L.103-6).
    path(
        "concertations/<slug:slug>/bilan.<str:fmt>",
        self_contained_report(dashboard_actions.bilan_public_download),
        name="concertation-bilan",
    ),
]
