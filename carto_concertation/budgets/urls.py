# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's API paths (under /api/v1/budgets/) and pages (under
/budgets/, namespace "budgets"): composed by urls.py from the manifest."""

from django.urls import include, path

from .api import ballots as ballot_api
from .api import editions as editions_api
from .api import followup as followup_api
from .api import pabulib as pabulib_api
from .api import projects as projects_api
from .api import results as results_api
from .views import ballots as ballot_views
from .views import editions as editions_views
from .views import followup as followup_views
from .views import pabulib as pabulib_views
from .views import projects as projects_views
from .views import results as results_views

API = "budgets/"
EDITION = API + "editions/<slug:slug>/"
# A project of an edition, by its number.
PROJECT = EDITION + "projects/<int:number>/"

api_patterns: list = [
    # The editions and their projects (api/projects.py; an agent creates an edition with a
    # POST on the list, api/editions.py's EditionCreateMixin).
    path(API + "editions", projects_api.EditionListApi.as_view(), name="budgets-editions"),
    path(
        API + "editions/<slug:slug>",
        projects_api.EditionDetailApi.as_view(),
        name="budgets-edition",
    ),
    path(EDITION + "projects", projects_api.ProjectListApi.as_view(), name="budgets-projects"),
    path(PROJECT[:-1], projects_api.ProjectDetailApi.as_view(), name="budgets-project"),
    path(
        PROJECT + "support",
        projects_api.ProjectSupportApi.as_view(),
        name="budgets-project-support",
    ),
    # Follow-up of the winners (api/followup.py).
    path(API + "achievements", followup_api.AchievementsApi.as_view(), name="budgets-achievements"),
    path(PROJECT + "updates", followup_api.ProjectNewsApi.as_view(), name="budgets-project-news"),
    path(
        PROJECT + "follow", followup_api.ProjectFollowApi.as_view(), name="budgets-project-follow"
    ),
    # Pabulib files (api/pabulib.py).
    path(API + "import", pabulib_api.PabulibImportApi.as_view(), name="budgets-import"),
    path(EDITION + "export.pb", pabulib_api.PabulibExportApi.as_view(), name="budgets-export-pb"),
    # The editions part: the agents' writes (api/editions.py).
    path(EDITION + "settings", editions_api.EditionSettingsApi.as_view(), name="budgets-settings"),
    path(EDITION + "phases", editions_api.EditionPhasesApi.as_view(), name="budgets-phases"),
    path(EDITION + "districts", editions_api.DistrictsApi.as_view(), name="budgets-districts"),
    path(EDITION + "analysis/merge", editions_api.MergeApi.as_view(), name="budgets-merge"),
    path(
        EDITION + "analysis/<int:number>", editions_api.DecideApi.as_view(), name="budgets-decide"
    ),
    path(EDITION + "ballot-open", editions_api.BallotOpenApi.as_view(), name="budgets-ballot-open"),
    # The ballots (api/ballots.py).
    path(EDITION + "ballot", ballot_api.BallotApi.as_view(), name="budgets-ballot"),
    path(EDITION + "paper", ballot_api.PaperApi.as_view(), name="budgets-paper"),
    path(
        EDITION + "paper/<int:pk>/resolve",
        ballot_api.PaperResolveApi.as_view(),
        name="budgets-paper-resolve",
    ),
    # The results (api/results.py).
    path(EDITION + "results", results_api.EditionResultsApi.as_view(), name="budget-results"),
    path(EDITION + "results/runs", results_api.ResultRunsApi.as_view(), name="budget-result-runs"),
    path(
        EDITION + "results/publish",
        results_api.ResultPublishApi.as_view(),
        name="budget-results-publish",
    ),
]

_pages: list = [
    # The agents' pages (views/editions.py, views/ballots.py), before the "<slug>/" ones.
    path("gestion/", editions_views.manage_home, name="manage"),
    path("gestion/importer/", pabulib_views.pabulib_import, name="pabulib-import"),
    path("realisations/", followup_views.achievements_page, name="achievements"),
    path("gestion/<slug:slug>/suivi/", followup_views.agent_followup, name="agent-followup"),
    path("gestion/<slug:slug>/", editions_views.manage_edition, name="manage-edition"),
    path("gestion/<slug:slug>/analyse/", editions_views.manage_analysis, name="manage-analysis"),
    path("gestion/<slug:slug>/papier/", ballot_views.paper_page, name="paper"),
    path(
        "gestion/<slug:slug>/papier/<int:pk>/",
        ballot_views.paper_resolve_page,
        name="paper-resolve",
    ),
    path(
        "gestion/<slug:slug>/resultats/",
        results_views.results_manage_page,
        name="results-manage",
    ),
    path(
        "gestion/<slug:slug>/resultats/calculer/",
        results_views.results_compute_page,
        name="results-compute",
    ),
    path(
        "gestion/<slug:slug>/resultats/publier/",
        results_views.results_publish_page,
        name="results-publish",
    ),
    # The residents' pages (views/projects.py, views/ballots.py, views/results.py, …).
    path("", projects_views.editions_page, name="editions"),
    path("<slug:slug>/", projects_views.edition_page, name="edition"),
    path("<slug:slug>/projets/<int:number>/", projects_views.project_page, name="project"),
    path("<slug:slug>/proposer/", projects_views.project_propose, name="propose"),
    path(
        "<slug:slug>/proposer/merci/<int:number>/",
        projects_views.project_proposed,
        name="proposed",
    ),
    path("<slug:slug>/vote/", ballot_views.vote_page, name="vote"),
    path("<slug:slug>/vote/merci/", ballot_views.vote_done, name="vote-done"),
    path("<slug:slug>/resultats/", results_views.results_public_page, name="results"),
    path("<slug:slug>/export.pb", pabulib_views.pabulib_export, name="pabulib-export"),
    path(
        "<slug:slug>/projets/<int:number>/suivi/",
        followup_views.project_followup,
        name="project-followup",
    ),
    path(
        "<slug:slug>/projets/<int:number>/suivi/photos/<int:pk>",
        followup_views.news_photo,
        name="news-photo",
    ),
]

page_patterns = [
    path("budgets/", include((_pages, "budgets"))),
]
