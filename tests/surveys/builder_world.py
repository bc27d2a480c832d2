# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the builder's tests share: a territory with its PLUi and its planner, and a
draft questionnaire on it with two pages (a single choice on the first, a map question on
the second, shown only for one of its choices)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from carto_concertation.surveys.models import Question, Questionnaire
from carto_concertation.surveys.services.questionnaires import (
    condition_set,
    page_create,
    question_create,
    questionnaire_create,
)
from tests.factories.accounts import user_with_role
from tests.factories.plui_documents import zoned_plui
from tests.factories.territories import TerritoryFactory


@dataclass
class BuilderWorld:
    territory: object
    planner: object
    questionnaire: Questionnaire
    mode: Question
    places: Question


def builder_world() -> BuilderWorld:
    territory = TerritoryFactory(communes=2)
    plui = zoned_plui(territory)
    planner = user_with_role("planner", territory)
    now = timezone.now()
    questionnaire = questionnaire_create(
        user=planner,
        territory=territory,
        title="Plan vélo",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        zoning_document_id=plui.pk,
    )
    first = page_create(questionnaire, user=planner, title="Vos trajets")
    mode = question_create(
        first,
        user=planner,
        kind="single",
        code="mode",
        label="Comment vous déplacez-vous ?",
        choices=["Vélo", "Voiture", "À pied"],
        with_other=True,
    )
    second = page_create(questionnaire, user=planner, title="Sur la carte")
    places = question_create(
        second,
        user=planner,
        kind="points",
        code="danger",
        label="Où vous sentez-vous en danger à vélo ?",
        max_count=3,
        marker_comment=True,
        marker_choice_label="Pourquoi ?",
        marker_choices=["Trafic", "Vitesse"],
    )
    condition_set(places, user=planner, question=mode, choices=[mode.choices.get(label="Vélo")])
    return BuilderWorld(territory, planner, questionnaire, mode, places)
