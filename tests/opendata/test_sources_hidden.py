# SPDX-License-Identifier: AGPL-3.0-or-later
"""What residents may not see is not in the open data (opendata.features): ideas waiting,
hidden, withdrawn or merged, or of a draft concertation; private, unconfirmed or hidden
signalements; projects of an unpublished budget edition, and its results before they are
published; crowdfunding projects submitted or refused; consultations whose results are
not published, draft responses; a PLU/PLUi's earlier versions; and anything of a module
switched off in the territory. Each collection is read through opendata.features only."""

import json

import pytest
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.budgets.models import Project as BudgetProject
from carto_concertation.budgets.services.results import results_publish
from carto_concertation.concertations.models import Concertation
from carto_concertation.contributions.models import Contribution
from carto_concertation.crowdfunding.models import Project as CrowdfundingProject
from carto_concertation.opendata.collections import collection_get
from carto_concertation.opendata.features import features_all
from carto_concertation.signalements.models import Report
from carto_concertation.surveys.models import Question, Response
from carto_concertation.territories.models import Territory
from tests.factories import (
    AnswerFactory,
    AnswerFeatureFactory,
    ConcertationFactory,
    ContributionFactory,
    CrowdfundingPhotoFactory,
    CrowdfundingProjectFactory,
    DocumentVersionFactory,
    EditionFactory,
    PrescriptionFactory,
    ProjectFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResultRunFactory,
    SignalementFactory,
    TerritoryFactory,
    UserFactory,
    spot,
    user_with_role,
    zoned_plui,
)

pytestmark = pytest.mark.django_db
BASE = "https://carto.example.org"


def features(collection_id: str) -> dict:
    """The collection's features by id, as every open surface reads them."""
    return {f["id"]: f for f in features_all(collection_get(collection_id), BASE)}


def published(collection_id: str) -> str:
    return json.dumps(list(features(collection_id).values()), ensure_ascii=False)


def switch_off(territory_id: int, module: str) -> None:
    Territory.objects.filter(pk=territory_id).update(modules_off=[module])


def test_only_the_ideas_on_the_map_with_their_answers(small_open_concertation):
    concertation = small_open_concertation
    author = UserFactory(email="claude.secret@example.org", pseudonym="Claude Introuvable")
    shown = ContributionFactory(concertation=concertation, author=author)
    answered = ContributionFactory(concertation=concertation)
    Contribution.objects.filter(pk=answered.pk).update(
        status=Contribution.Status.RETAINED,
        answer="Retenue dans le PADD.",
        answer_service="Urbanisme",
        answered_at=timezone.now(),
    )
    unseen = {
        Contribution.Status.SUBMITTED: {},
        Contribution.Status.HIDDEN: {"moderation_reason": "Propos injurieux"},
        Contribution.Status.WITHDRAWN: {},
        Contribution.Status.MERGED: {"merged_into": shown},
    }
    hidden_ids = []
    for status, extra in unseen.items():
        idea = ContributionFactory(concertation=concertation, author=author)
        Contribution.objects.filter(pk=idea.pk).update(status=status, **extra)
        hidden_ids.append(idea.pk)
    draft = ConcertationFactory(territory=concertation.territory)
    in_draft = ContributionFactory(concertation=draft)
    Concertation.objects.filter(pk=draft.pk).update(status=Concertation.Status.DRAFT)

    found = features("contributions")
    assert set(found) == {shown.pk, answered.pk}
    assert in_draft.pk not in found and not set(hidden_ids) & set(found)
    properties = found[answered.pk]["properties"]
    assert properties["answer"] == "Retenue dans le PADD."
    assert properties["status"] == "retained" and properties["answered_at"]
    assert properties["concertation"] == concertation.slug
    assert found[shown.pk]["properties"]["zones"]  # its PLUi zones, with their shares
    text = published("contributions")
    assert "Claude Introuvable" not in text and "claude.secret@example.org" not in text
    assert "Propos injurieux" not in text

    switch_off(concertation.territory_id, "ideas")
    assert features("contributions") == {}


def test_only_the_signalements_anyone_may_read():
    shown = SignalementFactory(author=None, email="dominique.secret@example.org")
    territory = shown.territory
    unconfirmed = SignalementFactory(category=shown.category, state=Report.State.UNCONFIRMED)
    private = SignalementFactory(category=shown.category, is_public=False)
    hidden = SignalementFactory(category=shown.category, is_hidden=True)

    found = features("signalements")
    assert set(found) == {shown.pk}
    assert not {unconfirmed.pk, private.pk, hidden.pk} & set(found)
    assert found[shown.pk]["properties"]["category"] == shown.category.code
    text = published("signalements")
    assert "dominique.secret@example.org" not in text
    assert unconfirmed.author.pseudonym not in text

    switch_off(territory.pk, "signalements")
    assert features("signalements") == {}


def test_budget_projects_of_published_editions_and_results_once_published():
    edition = EditionFactory()
    first, second = ProjectFactory(edition=edition), ProjectFactory(edition=edition)
    unpublished = ProjectFactory(edition=EditionFactory(is_published=False))
    run = ResultRunFactory(
        edition=edition,
        computed_at=timezone.now(),
        selected=[first.pk],
        explanations={
            str(first.pk): {"votes": 12, "selected": True, "reason": "selected"},
            str(second.pk): {"votes": 3, "selected": False, "reason": "no_room"},
        },
    )

    found = features("budgets")
    assert set(found) == {first.pk, second.pk} and unpublished.pk not in found
    for feature in found.values():  # computed, not published: nothing of the results
        properties = feature["properties"]
        assert properties["votes"] is None and properties["selected"] is None
        assert properties["status"] == BudgetProject.Status.ON_BALLOT

    results_publish([run], user=user_with_role(Role.PLANNER, edition.territory))
    found = features("budgets")

    def result(project) -> tuple:
        properties = found[project.pk]["properties"]
        return properties["status"], properties["votes"], properties["selected"]

    assert result(first) == (BudgetProject.Status.WINNER, 12, True)
    assert result(second) == (BudgetProject.Status.NOT_SELECTED, 3, False)

    switch_off(edition.territory_id, "budgets")
    assert features("budgets") == {}


def test_crowdfunding_projects_on_the_portal_map_only():
    submitter = UserFactory(email="porteur.secret@example.org", pseudonym="Porteur Discret")
    shown = CrowdfundingProjectFactory(submitter=submitter)
    photo = CrowdfundingPhotoFactory(project=shown)
    submitted = CrowdfundingProjectFactory(
        territory=shown.territory, status=CrowdfundingProject.Status.SUBMITTED
    )
    refused = CrowdfundingProjectFactory(
        territory=shown.territory,
        status=CrowdfundingProject.Status.REFUSED,
        refusal_reason="Hors du champ du portail.",
    )

    found = features("crowdfunding")
    assert set(found) == {shown.pk} and not {submitted.pk, refused.pk} & set(found)
    properties = found[shown.pk]["properties"]
    assert properties["slug"] == shown.slug
    assert properties["photos"] == [BASE + photo.image.url]
    assert properties["photos"][0].startswith(BASE + "/")
    text = published("crowdfunding")
    assert "porteur.secret@example.org" not in text and "Porteur Discret" not in text

    switch_off(shown.territory_id, "crowdfunding")
    assert features("crowdfunding") == {}


def _zoned_questionnaire(**values):
    questionnaire = QuestionnaireFactory(**values)
    questionnaire.zoning_document = zoned_plui(questionnaire.territory)
    questionnaire.save(update_fields=["zoning_document"])
    question = QuestionFactory(
        page__questionnaire=questionnaire,
        kind=Question.Kind.POINTS,
        marker_choices=2,
        marker_choice_label="Pourquoi ici ?",
    )
    return questionnaire, question


def _marker(question, *, user=None, status=Response.Status.SUBMITTED, choice=None, comment=""):
    questionnaire = question.page.questionnaire
    commune = questionnaire.territory.communes.order_by("pk").first()
    answer = AnswerFactory(
        question=question,
        response__questionnaire=questionnaire,
        response__status=status,
        response__submitted_at=timezone.now() if status == Response.Status.SUBMITTED else None,
        response__user=user,
    )
    return AnswerFeatureFactory(
        answer=answer, geom=spot(commune.geom), marker_choice=choice, comment=comment
    )


def test_survey_results_per_zone_only_once_published_and_aggregated():
    respondent = UserFactory(email="ines.secret@example.org", pseudonym="Inès Discrète")
    questionnaire, question = _zoned_questionnaire(
        results_published=True, results_summary="Merci à toutes et tous."
    )
    because = question.choices.filter(for_marker=True).order_by("position").first()
    _marker(question, user=respondent, choice=because, comment="Devant chez moi, au 3 rue Haute")
    _marker(question)
    _marker(question, status=Response.Status.DRAFT)  # a draft never counts
    _unpublished_results, silent = _zoned_questionnaire(results_published=False)
    _marker(silent)
    _draft, drafted = _zoned_questionnaire(is_published=False, results_published=True)
    _marker(drafted)

    found = list(features("consultations-zones").values())
    assert len(found) == 1
    properties = found[0]["properties"]
    assert properties["questionnaire"] == questionnaire.slug
    assert properties["question"] == question.code
    assert properties["libelle"] == "UA" and properties["markers"] == 2
    assert properties["follow_up"] == [
        {"label": because.label, "count": 1},
        {"label": "Suite 2", "count": 0},
    ]
    assert found[0]["geometry"]["type"] == "MultiPolygon"
    text = published("consultations-zones")
    assert "Inès Discrète" not in text and "ines.secret@example.org" not in text
    assert "rue Haute" not in text

    switch_off(questionnaire.territory_id, "surveys")
    assert features("consultations-zones") == {}


def test_the_zoning_of_current_versions_only():
    territory = TerritoryFactory(communes=1)
    document = zoned_plui(territory)
    earlier = document.current_version
    PrescriptionFactory(version=earlier)
    later = DocumentVersionFactory(document=document, zoned=True)
    current = PrescriptionFactory(version=later)

    zones = features("zone_urba")
    assert zones and {f["properties"]["document"] for f in zones.values()} == {document.idurba}
    assert set(zones) == set(later.zones.values_list("pk", flat=True))
    assert set(features("prescription_surf")) == {current.pk}
