# SPDX-License-Identifier: AGPL-3.0-or-later
"""The consultation's demo (the ``demo`` slot of the manifest), on the demo territory: a
Plan vélo questionnaire, open, with every kind of question a mobility planner asks (map
questions among them, the PLUi's zones when the territory has one, a condition), a few
hundred generated responses and its first results published; a closed sondage with its
results; a draft. The Plan vélo belongs to the territory's first public concertation
(which then holds the module), or stands alone on the territory.

The rows are written through the models, in bulk (the builder's and answering part's
services check one resident's input at a time; the demo writes hundreds at once).
Drawn from ``random.Random(SEED)``: the same demo every time."""

import random
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.core.modules import (
    DemoBackbone,
    MapSpace,
    space_module_add,
    space_public,
    space_slugs_in_territory,
)
from carto_concertation.surveys import MODULE
from carto_concertation.territories.models import Territory
from plui_documents.models import UrbanDocument

from ..models import Choice, Question, Questionnaire, SurveyPage
from ..selectors.questionnaires import questionnaire_questions
from .answers import DemoWorld, responses_generate
from .content import NAVETTE, NAVETTE_SUMMARY, PLAN_VELO, STATIONNEMENT, SUMMARY, DemoQuestionnaire

SEED = 20
PLAN_VELO_RESPONSES = 300
NAVETTE_RESPONSES = 60


def surveys_demo(backbone: DemoBackbone) -> str | None:
    """Once, on the demo territory only."""
    territory = backbone.territory
    if territory is None or Questionnaire.objects.filter(territory=territory).exists():
        return None
    rng = random.Random(SEED)  # noqa: S311 (a demo, drawn the same every time)
    # Whole days, as an organiser sets them: opening and closing at midnight.
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    document = UrbanDocument.objects.filter(territory=territory).order_by("pk").first()
    space = _space(territory)
    planner = backbone.accounts.get("planner")

    plan = _questionnaire(
        PLAN_VELO,
        territory,
        opens=today - timedelta(days=20),
        closes=today + timedelta(days=25),
        concertation_id=space.pk if space else None,
        zoning=document,
        summary=SUMMARY,
        created_by=planner,
    )
    world = DemoWorld.of(plan, rng)
    counts = responses_generate(
        plan,
        _build(plan, PLAN_VELO, zoning=document is not None),
        world,
        total=PLAN_VELO_RESPONSES,
        relay=backbone.accounts.get("relay"),
        resident=backbone.accounts.get("resident"),
    )
    navette = _questionnaire(
        NAVETTE,
        territory,
        opens=today - timedelta(days=70),
        closes=today - timedelta(days=40),
        summary=NAVETTE_SUMMARY,
        created_by=planner,
        respondents=Questionnaire.Respondents.DEVICE,
    )
    responses_generate(
        navette,
        _build(navette, NAVETTE, zoning=False),
        DemoWorld.of(navette, rng),
        total=NAVETTE_RESPONSES,
    )
    draft = _questionnaire(
        STATIONNEMENT,
        territory,
        opens=today + timedelta(days=10),
        closes=today + timedelta(days=40),
        created_by=planner,
        published=False,
    )
    _build(draft, STATIONNEMENT, zoning=False)
    if space is not None and MODULE not in space.modules:
        space_module_add(space.slug, MODULE)
    return _(
        "Demo consultation: “%(title)s” open with %(responses)s responses (%(paper)s on "
        "paper or in a workshop), a closed sondage and a draft"
    ) % {"title": plan.title, "responses": counts.submitted, "paper": counts.relayed}


def _space(territory: Territory) -> MapSpace | None:
    """The territory's first public space, the Plan vélo's concertation."""
    for slug in space_slugs_in_territory(territory.pk):
        space = space_public(slug)
        if space is not None:
            return space
    return None


def _questionnaire(
    content: DemoQuestionnaire,
    territory: Territory,
    *,
    opens: datetime,
    closes: datetime,
    created_by,
    concertation_id: int | None = None,
    zoning: UrbanDocument | None = None,
    summary: str = "",
    published: bool = True,
    respondents: str = Questionnaire.Respondents.ACCOUNT,
) -> Questionnaire:
    return Questionnaire.objects.create(
        territory=territory,
        concertation_id=concertation_id,
        zoning_document=zoning,
        title=content.title,
        slug=content.slug,
        description=content.description,
        opens_at=opens,
        closes_at=closes,
        respondents=respondents,
        is_published=published,
        results_published=bool(summary),
        results_summary=summary,
        created_by=created_by,
    )


def _build(
    questionnaire: Questionnaire, content: DemoQuestionnaire, *, zoning: bool
) -> list[Question]:
    """Its pages, questions and choices, in order; the conditions set on the choices
    of earlier questions. Answers the questions as the selector reads them (their page,
    choices and conditions fetched: the responses are drawn without a query more)."""
    questions: dict[str, Question] = {}
    for page_position, page_content in enumerate(content.pages):
        page = SurveyPage.objects.create(
            questionnaire=questionnaire,
            position=page_position,
            title=page_content.title,
            description=page_content.description,
        )
        kept = [q for q in page_content.questions if zoning or not q.needs_zoning]
        for position, item in enumerate(kept):
            low, high = item.scale or (None, None)
            question = Question.objects.create(
                page=page,
                position=position,
                code=item.code,
                kind=item.kind,
                label=item.label,
                help_text=item.help_text,
                required=item.required,
                with_other=item.with_other,
                min_count=item.min_count,
                max_count=item.max_count,
                min_value=low,
                max_value=high,
                min_label=item.scale_labels[0],
                max_label=item.scale_labels[1],
                marker_comment=item.kind in Question.GEOMETRY_KINDS,
                marker_choice_label=item.marker_choice_label,
                shown_if_question=questions[item.shown_if[0]] if item.shown_if else None,
            )
            Choice.objects.bulk_create(
                [
                    *(
                        Choice(question=question, position=n, label=label)
                        for n, label in enumerate(item.choices)
                    ),
                    *(
                        Choice(question=question, position=n, label=label, for_marker=True)
                        for n, label in enumerate(item.marker_choices)
                    ),
                ]
            )
            if item.shown_if:
                condition = questions[item.shown_if[0]].choices.get(label=item.shown_if[1])
                question.shown_if_choices.add(condition)
            questions[item.code] = question
    return questionnaire_questions(questionnaire)
