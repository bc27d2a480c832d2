# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reading questionnaires: which ones residents see, whether one takes answers, its
questions in order, and the perimeter, zones and communes its map questions work on."""

from datetime import datetime

from django.contrib.gis.geos import GEOSGeometry
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from carto_concertation.core.modules import space_get
from carto_concertation.surveys import MODULE
from carto_concertation.territories.models import Commune
from carto_concertation.territories.selectors import module_on
from plui_documents.models import Zone
from plui_documents.selectors import current_versions

from ..models import Choice, Question, Questionnaire, SurveyPage


def questionnaires_public() -> QuerySet[Questionnaire]:
    """The questionnaires residents see: published, in a territory where the module is on."""
    return Questionnaire.objects.filter(module_on(MODULE), is_published=True).select_related(
        "territory"
    )


def questionnaire_public(slug: str) -> Questionnaire | None:
    return questionnaires_public().filter(slug=slug).first()


def questionnaire_open(questionnaire: Questionnaire, at: datetime | None = None) -> bool:
    """Published and between its dates: it takes answers."""
    at = at or timezone.now()
    return questionnaire.is_published and questionnaire.opens_at <= at < questionnaire.closes_at


def questionnaire_has_answers(questionnaire: Questionnaire) -> bool:
    """Whether a response (even a draft) exists: from then on, questions can no longer
    change in a way that breaks earlier answers."""
    return questionnaire.responses.exists()


def questionnaire_pages(questionnaire: Questionnaire) -> list[SurveyPage]:
    """The pages in order, each with its questions in order and their choices (the
    answer choices and the markers' follow-up choices) prefetched."""
    questions = Question.objects.order_by("position").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("for_marker", "position")),
        "shown_if_choices",
    )
    return list(
        questionnaire.pages.order_by("position").prefetch_related(
            Prefetch("questions", queryset=questions), "shown_if_choices"
        )
    )


def questionnaire_questions(questionnaire: Questionnaire) -> list[Question]:
    """Every question, in the order of the pages, then of each page."""
    return [
        question for page in questionnaire_pages(questionnaire) for question in page.questions.all()
    ]


def questionnaire_perimeter(questionnaire: Questionnaire) -> GEOSGeometry:
    """Where map answers may lie: the concertation's perimeter, or the territory's outline
    (in settings.SRID)."""
    if questionnaire.concertation_id is not None:
        space = space_get(questionnaire.concertation_id)
        if space is not None and space.perimeter is not None:
            return space.perimeter
    return questionnaire.territory.geom


def questionnaire_zones(questionnaire: Questionnaire) -> QuerySet[Zone]:
    """The current zones of the questionnaire's PLU/PLUi (none without one)."""
    if questionnaire.zoning_document_id is None:
        return Zone.objects.none()
    return Zone.objects.filter(
        version__in=current_versions(), version__document_id=questionnaire.zoning_document_id
    ).order_by("libelle", "pk")


def questionnaire_communes(questionnaire: Questionnaire) -> QuerySet[Commune]:
    """The communes of the questionnaire's territory, by name."""
    return questionnaire.territory.communes.order_by("name", "pk")
