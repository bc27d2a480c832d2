# SPDX-License-Identifier: AGPL-3.0-or-later
"""The questionnaire the export tests read, committed once per test module (the
GeoPackage is written by ogr2ogr, which reads PostGIS on a connection of its own).

Three submitted responses, in an order of submission other than their ids' (the workshop
one, submitted at 00:30 in Paris on 10 March, is number 1; the online one is 2; the paper
one, which answers one question only, is 3), a draft and a response to another
questionnaire that no export may show, and people whose traces no export may carry.
"""

import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.core.management import call_command
from django.test import override_settings

from carto_concertation.surveys.models import Question, Questionnaire, Response
from plui_documents.models import Zone
from tests.factories import UserFactory, shape_at, spot, zoned_plui
from tests.factories.surveys import (
    AnswerChoiceFactory,
    AnswerFactory,
    AnswerFeatureFactory,
    QuestionnaireFactory,
    ResponseFactory,
    every_kind,
)

# Typed by the respondents, to be found exactly so in the exports (the formula-looking
# ones behind a quote in the CSV only).
LONG_TEXT = 'Ligne 1 ; « guillemets » "doubles" | barre\nLigne 2 🚲 œ  '
FORMULA_OTHER = '=HYPERLINK("http://exemple.invalid";"clic")'
FORMULA_TEXT = "-2+3"
AT_TEXT = "@SOMME(A1)"
MARKER_COMMENT = "Carrefour dangereux, le soir"
ZONE_COMMENT = "+ de pistes"
DRAFT_TEXT = "Brouillon jamais envoyé"
OTHER_TEXT = "Réponse à un autre questionnaire"
RESPONDENT_KEY = "f" * 64
RELAY_KEY = uuid.UUID("0e3bd4b6-5c1e-4d7a-9f40-6f2b1f2a9c11")


@dataclass
class World:
    questionnaire: Questionnaire
    questions: dict[str, Question]
    online: Response
    workshop: Response
    paper: Response
    draft: Response
    people: list
    zones: list[Zone]


def _at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def _choice(question: Question, position: int, *, for_marker: bool = False):
    return question.choices.get(position=position, for_marker=for_marker)


def _build() -> World:
    questionnaire = QuestionnaireFactory(title="Plan vélo : vos trajets", slug="plan-velo-export")
    territory = questionnaire.territory
    document = zoned_plui(territory)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(zoning_document=document)
    questions = every_kind(questionnaire)
    q = questions
    respondent = UserFactory(email="camille.repond@example.org", pseudonym="Camille Répondante")
    relay = UserFactory(email="dominique.relais@example.org", pseudonym="Dominique Relais")
    # Another questionnaire's response first: the ids of ours are not their numbers.
    elsewhere = ResponseFactory(questionnaire=QuestionnaireFactory(territory=territory))
    AnswerFactory(response=elsewhere, question=q["short_text"], text=OTHER_TEXT)

    online = ResponseFactory(
        questionnaire=questionnaire,
        user=respondent,
        respondent_key=RESPONDENT_KEY,
        submitted_at=_at(10, 9, 15),
    )
    single = AnswerFactory(response=online, question=q["single"])
    AnswerChoiceFactory(answer=single, choice=_choice(q["single"], 1))
    multiple = AnswerFactory(response=online, question=q["multiple"], text=FORMULA_OTHER)
    for position in (0, 2):
        AnswerChoiceFactory(answer=multiple, choice=_choice(q["multiple"], position))
    AnswerFactory(response=online, question=q["short_text"], text=FORMULA_TEXT)
    AnswerFactory(response=online, question=q["long_text"], text=LONG_TEXT)
    AnswerFactory(response=online, question=q["scale"], number=4)
    ranking = AnswerFactory(response=online, question=q["ranking"])
    for rank, position in enumerate((2, 0, 1), start=1):
        AnswerChoiceFactory(answer=ranking, choice=_choice(q["ranking"], position), rank=rank)
    AnswerFactory(response=online, question=q["number"], number="12.5")
    AnswerFactory(response=online, question=q["date"], date=date(2026, 6, 1))
    points = AnswerFactory(response=online, question=q["points"])
    AnswerFeatureFactory(
        answer=points,
        marker_choice=_choice(q["points"], 1, for_marker=True),
        comment=MARKER_COMMENT,
    )
    AnswerFeatureFactory(answer=points)
    start = spot(territory.geom, 30)
    line = AnswerFactory(response=online, question=q["line"])
    AnswerFeatureFactory(answer=line, geom=shape_at(start, "line"))
    area = AnswerFactory(response=online, question=q["area"])
    AnswerFeatureFactory(
        answer=area,
        geom=shape_at(start, "area"),
        marker_choice=_choice(q["area"], 0, for_marker=True),
    )
    zones = list(Zone.objects.filter(version__document=document).order_by("insee", "libelle"))
    picked = AnswerFactory(response=online, question=q["zones"])
    for zone in zones[:2]:
        AnswerFeatureFactory(answer=picked, geom=None, zone=zone, comment=ZONE_COMMENT)
    communes = AnswerFactory(response=online, question=q["communes"])
    commune = territory.communes.order_by("insee").last()
    AnswerFeatureFactory(answer=communes, geom=None, commune=commune)

    workshop = ResponseFactory(
        questionnaire=questionnaire,
        channel=Response.Channel.WORKSHOP,
        key=RELAY_KEY,
        payload_hash="a" * 64,
        entered_by=relay,
        submitted_at=_at(9, 23, 30),
    )
    AnswerChoiceFactory(
        answer=AnswerFactory(response=workshop, question=q["single"]),
        choice=_choice(q["single"], 0),
    )
    AnswerFactory(response=workshop, question=q["short_text"], text=AT_TEXT)
    AnswerFeatureFactory(answer=AnswerFactory(response=workshop, question=q["points"]))
    AnswerFeatureFactory(
        answer=AnswerFactory(response=workshop, question=q["zones"]),
        geom=None,
        zone=zones[-1],
        marker_choice=_choice(q["zones"], 0, for_marker=True),
    )

    paper = ResponseFactory(
        questionnaire=questionnaire, channel=Response.Channel.PAPER, submitted_at=_at(11, 14, 0)
    )
    AnswerChoiceFactory(
        answer=AnswerFactory(response=paper, question=q["single"]), choice=_choice(q["single"], 2)
    )

    draft = ResponseFactory(
        questionnaire=questionnaire, status=Response.Status.DRAFT, submitted_at=None
    )
    AnswerFactory(response=draft, question=q["short_text"], text=DRAFT_TEXT)
    return World(
        questionnaire, questions, online, workshop, paper, draft, [respondent, relay], zones
    )


@contextmanager
def committed_world(django_db_blocker, media_root):
    """The world, committed, for one test module; the database emptied after it."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        world = _build()
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
