# SPDX-License-Identifier: AGPL-3.0-or-later
"""The campaign's figures: who updates them and when, a figure going down only with a
public reason, each bad input refused by its field with nothing written, and the API."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from carto_concertation.crowdfunding.models import FundingUpdate, Project
from carto_concertation.crowdfunding.services.campaign import figures_update

from .campaign_world import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def _figures(world, user=None, **given):
    return figures_update(user=user or world.porteur, project=world.project, **given)


def test_the_porteur_and_an_agent_update_the_figures_each_kept_with_its_source(world):
    first = _figures(world, raised=2_500, contributors=31)
    second = _figures(world, user=world.agent, raised=4_000, contributors=52)

    world.project.refresh_from_db()
    assert (world.project.raised, world.project.contributors) == (4_000, 52)
    assert world.project.figures_updated_at == second.created_at
    assert [(u.source, u.raised, u.contributors) for u in world.project.funding_updates.all()] == [
        (FundingUpdate.Source.AGENT, 4_000, 52),
        (FundingUpdate.Source.PORTEUR, 2_500, 31),
    ]
    assert first.entered_by == world.porteur


@pytest.mark.parametrize("who", ["resident", "stranger_agent"])
def test_someone_else_may_not_update_the_figures(world, who):
    with pytest.raises(PermissionDenied):
        _figures(world, user=getattr(world, who), raised=100, contributors=1)
    assert not FundingUpdate.objects.exists()


@pytest.mark.parametrize(
    ("raised", "contributors"), [(900, 10), (1_000, 9)], ids=["amount", "contributors"]
)
def test_a_figure_going_down_needs_a_reason_then_shows_it(world, raised, contributors):
    _figures(world, raised=1_000, contributors=10)

    with pytest.raises(ValidationError) as refused:
        _figures(world, raised=raised, contributors=contributors, correction_reason="  ")
    assert list(refused.value.message_dict) == ["correction_reason"]
    world.project.refresh_from_db()
    assert (world.project.raised, world.project.contributors) == (1_000, 10)
    assert FundingUpdate.objects.count() == 1

    update = _figures(
        world,
        raised=raised,
        contributors=contributors,
        correction_reason="Un don remboursé à sa demande",
    )
    assert update.correction_reason == "Un don remboursé à sa demande"
    world.project.refresh_from_db()
    assert (world.project.raised, world.project.contributors) == (raised, contributors)


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"raised": -1, "contributors": 3}, "raised"),
        ({"raised": 10, "contributors": -3}, "contributors"),
        ({"raised": "beaucoup", "contributors": 3}, "raised"),
        ({"raised": 10, "contributors": "2.5"}, "contributors"),
        ({"raised": 10**12, "contributors": 3}, "raised"),
        ({"raised": 10, "contributors": 3, "correction_reason": "x" * 501}, "correction_reason"),
    ],
)
def test_a_bad_figure_is_refused_by_its_field_and_nothing_written(world, given, field):
    with pytest.raises(ValidationError) as refused:
        _figures(world, **given)
    assert list(refused.value.message_dict) == [field]
    assert not FundingUpdate.objects.exists()


@pytest.mark.parametrize(
    ("status", "ended_days_ago", "open_"),
    [
        (Project.Status.ACCEPTED, None, False),
        (Project.Status.SUBMITTED, None, False),
        (Project.Status.INAUGURATED, 5, False),
        (Project.Status.FUNDED, 30, True),
        (Project.Status.NOT_FUNDED, 31, False),
    ],
)
def test_the_figures_move_during_the_campaign_and_30_days_after(
    world, status, ended_days_ago, open_
):
    today = timezone.localdate()
    project = world.project
    project.status = status
    if ended_days_ago is not None:
        project.campaign_starts_on = today - timedelta(days=ended_days_ago + 40)
        project.campaign_ends_on = today - timedelta(days=ended_days_ago)
    else:
        project.campaign_starts_on = today + timedelta(days=3)
        project.campaign_ends_on = today + timedelta(days=33)
    project.save()
    if open_:
        _figures(world, raised=10, contributors=1)
        assert FundingUpdate.objects.count() == 1
    else:
        with pytest.raises(ValidationError) as refused:
            _figures(world, raised=10, contributors=1)
        assert list(refused.value.message_dict) == ["project"]
        assert not FundingUpdate.objects.exists()


def test_the_final_figures_settle_whether_the_campaign_was_funded(world):
    today = timezone.localdate()
    project = world.project
    project.campaign_starts_on, project.campaign_ends_on = (
        today - timedelta(days=50),
        today - timedelta(days=5),
    )
    project.status, project.raised = Project.Status.NOT_FUNDED, 9_800
    project.save()

    _figures(world, raised=10_050, contributors=120)
    project.refresh_from_db()
    assert project.status == Project.Status.FUNDED

    _figures(world, raised=9_990, contributors=120, correction_reason="Deux paiements rejetés")
    project.refresh_from_db()
    assert project.status == Project.Status.NOT_FUNDED


# The API.


def _api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _url(project) -> str:
    return f"/api/v1/crowdfunding/projects/{project.slug}/figures"


def test_the_api_records_figures_and_names_a_refused_field(world):
    answer = _api(world.porteur).post(
        _url(world.project), {"raised": 3_200, "contributors": 40}, format="json"
    )
    assert answer.status_code == 201, answer.content
    assert (answer.json()["raised"], answer.json()["source"]) == (3_200, "porteur")

    answer = _api(world.agent).post(
        _url(world.project), {"raised": 3_000, "contributors": 40}, format="json"
    )
    assert answer.status_code == 400
    assert list(answer.json()) == ["correction_reason"]

    answer = _api(world.agent).post(
        _url(world.project), {"raised": -5, "contributors": 40}, format="json"
    )
    assert answer.status_code == 400
    assert "raised" in answer.json()
    assert FundingUpdate.objects.count() == 1


def test_the_api_hides_a_project_from_who_may_not_manage_it(world):
    body = {"raised": 1, "contributors": 1}
    assert _api().post(_url(world.project), body, format="json").status_code in (401, 403)
    assert _api(world.resident).post(_url(world.project), body, format="json").status_code == 404
    answer = _api(world.stranger_agent).post(_url(world.project), body, format="json")
    assert answer.status_code == 404
    assert not FundingUpdate.objects.exists()


def test_the_history_is_public_with_its_reasons_and_no_one_named(world):
    _figures(world, raised=1_000, contributors=10)
    _figures(world, user=world.agent, raised=950, contributors=10, correction_reason="Remboursé")

    answer = _api().get(_url(world.project))
    assert answer.status_code == 200
    history = answer.json()
    assert [(row["raised"], row["correction_reason"]) for row in history] == [
        (950, "Remboursé"),
        (1_000, ""),
    ]
    text = answer.content.decode()
    assert '"entered_by"' not in text
    for person in (world.porteur, world.agent):
        assert person.email not in text


def test_the_history_of_a_project_not_yet_public_is_its_managers_only(world):
    world.project.status = Project.Status.SUBMITTED
    world.project.save()
    assert _api().get(_url(world.project)).status_code == 404
    assert _api(world.resident).get(_url(world.project)).status_code == 404
    assert _api(world.porteur).get(_url(world.project)).status_code == 200
