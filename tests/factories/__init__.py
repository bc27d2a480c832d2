# SPDX-License-Identifier: AGPL-3.0-or-later
"""factory_boy factories for every model of the project, with deterministic geometries
(squares on a Lambert-93 grid, geometry.py), one module per app.

A module's tests stand on these rather than on the demo (``load_demo`` and its real
PLUi stay for the end-to-end tests and the few that need the real zoning). A factory
goes through the service where the service holds an invariant the model alone does not
(each module says which); tests/core/test_factories.py checks that every model has one.
"""

from django.apps import apps

from .accounts import (
    ConsentRecordFactory,
    NotificationPreferenceFactory,
    RoleAssignmentFactory,
    UserFactory,
    user_with_role,
)
from .core import AuditEntryFactory, JobFactory
from .geometry import CELL, ORIGIN_X, ORIGIN_Y, box, lonlat, shape_at, spot, square, wgs84
from .layers import ContextFeatureFactory, ContextLayerFactory, RasterLayerFactory
from .opendata import OpenFileFactory
from .plui_documents import (
    QUADRANTS,
    DocumentPieceFactory,
    DocumentVersionFactory,
    InformationFactory,
    PiecePageFactory,
    PrescriptionFactory,
    RegulationLinkFactory,
    UrbanDocumentFactory,
    ZoneFactory,
    quadrants,
    zoned_plui,
)
from .territories import CommuneFactory, TerritoryFactory, insee_code, luhn_siren

# The participation modules' factories, where they are installed: the backbone's own run
# (tests.settings_backbone) imports the backbone's factories from this package too.
if apps.is_installed("carto_concertation.contributions"):
    from .concertations import (
        THEMES,
        ConcertationFactory,
        PhaseFactory,
        SpaceLayerFactory,
        SpaceModuleFactory,
        ThemeFactory,
        open_phases,
    )
    from .contributions import (
        AnswerTemplateFactory,
        BilanPublicationFactory,
        CommentFactory,
        ContributionFactory,
        ContributionPhotoFactory,
        ContributionZoneFactory,
        FollowFactory,
        IdeasSettingsFactory,
        InternalNoteFactory,
        ModerationActionFactory,
        ReportFactory,
        VoteFactory,
        jpeg,
        place_in,
    )
    from .workshops import WorkshopCaptureFactory, WorkshopFactory

if apps.is_installed("carto_concertation.signalements"):
    from .signalements import (
        ApiClientFactory,
        BannedSenderFactory,
        CategoryFactory,
        CategoryQuestionFactory,
        ReportFollowerFactory,
        ReportPhotoFactory,
        ReportUpdateFactory,
        RouteFactory,
        ServiceFactory,
    )
    from .signalements import ReportFactory as SignalementFactory

if apps.is_installed("carto_concertation.budgets"):
    from .budgets import (
        BallotChoiceFactory,
        BallotFactory,
        DistrictFactory,
        EditionFactory,
        EditionPhaseFactory,
        PaperBallotEntryFactory,
        ParticipationFactory,
        ProjectFactory,
        ProjectFollowerFactory,
        ProjectPhotoFactory,
        ProjectSupporterFactory,
        ProjectUpdateFactory,
        ResultRunFactory,
    )

if apps.is_installed("carto_concertation.surveys"):
    from .surveys import (
        AnswerChoiceFactory,
        AnswerFactory,
        AnswerFeatureFactory,
        ChoiceFactory,
        QuestionFactory,
        QuestionnaireFactory,
        ResponseFactory,
        ResponseLinkFactory,
        SurveyPageFactory,
        ZoneResultFactory,
        every_kind,
    )

if apps.is_installed("carto_concertation.crowdfunding"):
    from .crowdfunding import (
        CrowdfundingFollowerFactory,
        CrowdfundingPhotoFactory,
        CrowdfundingProjectFactory,
        FundingImportFactory,
        FundingUpdateFactory,
        WorksUpdateFactory,
    )

__all__ = [
    "CELL",
    "ORIGIN_X",
    "ORIGIN_Y",
    "QUADRANTS",
    "THEMES",
    "AnswerChoiceFactory",
    "AnswerFactory",
    "AnswerFeatureFactory",
    "AnswerTemplateFactory",
    "ApiClientFactory",
    "AuditEntryFactory",
    "BallotChoiceFactory",
    "BallotFactory",
    "BannedSenderFactory",
    "BilanPublicationFactory",
    "CategoryFactory",
    "CategoryQuestionFactory",
    "ChoiceFactory",
    "CommentFactory",
    "CommuneFactory",
    "ConcertationFactory",
    "ConsentRecordFactory",
    "ContextFeatureFactory",
    "ContextLayerFactory",
    "ContributionFactory",
    "ContributionPhotoFactory",
    "ContributionZoneFactory",
    "CrowdfundingFollowerFactory",
    "CrowdfundingPhotoFactory",
    "CrowdfundingProjectFactory",
    "DistrictFactory",
    "DocumentPieceFactory",
    "DocumentVersionFactory",
    "EditionFactory",
    "EditionPhaseFactory",
    "FollowFactory",
    "FundingImportFactory",
    "FundingUpdateFactory",
    "IdeasSettingsFactory",
    "InformationFactory",
    "InternalNoteFactory",
    "JobFactory",
    "ModerationActionFactory",
    "NotificationPreferenceFactory",
    "OpenFileFactory",
    "PaperBallotEntryFactory",
    "ParticipationFactory",
    "PhaseFactory",
    "PiecePageFactory",
    "PrescriptionFactory",
    "ProjectFactory",
    "ProjectFollowerFactory",
    "ProjectPhotoFactory",
    "ProjectSupporterFactory",
    "ProjectUpdateFactory",
    "QuestionFactory",
    "QuestionnaireFactory",
    "RasterLayerFactory",
    "RegulationLinkFactory",
    "ReportFactory",
    "ReportFollowerFactory",
    "ReportPhotoFactory",
    "ReportUpdateFactory",
    "ResponseFactory",
    "ResponseLinkFactory",
    "ResultRunFactory",
    "RoleAssignmentFactory",
    "RouteFactory",
    "ServiceFactory",
    "SignalementFactory",
    "SpaceLayerFactory",
    "SpaceModuleFactory",
    "SurveyPageFactory",
    "TerritoryFactory",
    "ThemeFactory",
    "UrbanDocumentFactory",
    "UserFactory",
    "VoteFactory",
    "WorksUpdateFactory",
    "WorkshopCaptureFactory",
    "WorkshopFactory",
    "ZoneFactory",
    "ZoneResultFactory",
    "box",
    "every_kind",
    "insee_code",
    "jpeg",
    "lonlat",
    "luhn_siren",
    "open_phases",
    "place_in",
    "quadrants",
    "shape_at",
    "spot",
    "square",
    "user_with_role",
    "wgs84",
    "zoned_plui",
]
