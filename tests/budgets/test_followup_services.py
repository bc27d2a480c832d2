# SPDX-License-Identifier: AGPL-3.0-or-later
"""The follow-up's services: a winner's realisation and progress, its dated news with a
photo, who follows it; and every refusal, with nothing written."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carto_concertation.accounts.models import Role
from carto_concertation.budgets.models import Project, ProjectFollower, ProjectUpdate
from carto_concertation.budgets.services.followup import (
    project_follow,
    project_realisation_set,
    project_unfollow,
    project_update_add,
)
from tests.factories.accounts import user_with_role
from tests.factories.territories import TerritoryFactory

from .followup_world import jpeg_upload, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_a_winner_goes_from_study_to_works_to_done(world):
    project = project_realisation_set(
        world.winner, user=world.planner, realisation="study", progress=5
    )
    assert (project.realisation, project.progress, project.status) == ("study", 5, "winner")
    project = project_realisation_set(project, user=world.planner, realisation="works", progress=60)
    assert (project.realisation, project.progress) == ("works", 60)
    project = project_realisation_set(project, user=world.planner, realisation="done")
    project.refresh_from_db()
    assert (project.realisation, project.progress, project.status) == ("done", 100, "done")
    # A completed project may still be followed up (works reopened, say).
    project = project_realisation_set(project, user=world.planner, realisation="works")
    assert project.status == Project.Status.WINNER


def test_abandoning_needs_a_public_reason(world):
    with pytest.raises(ValidationError) as error:
        project_realisation_set(world.winner, user=world.planner, realisation="abandoned")
    assert "abandon_reason" in error.value.message_dict
    world.winner.refresh_from_db()
    assert world.winner.realisation == ""
    project = project_realisation_set(
        world.winner,
        user=world.planner,
        realisation="abandoned",
        abandon_reason="Le terrain est inondable.",
    )
    assert project.abandon_reason == "Le terrain est inondable."


@pytest.mark.parametrize("progress", [140, -1, "beaucoup"])
def test_progress_is_a_percentage(world, progress):
    with pytest.raises(ValidationError) as error:
        project_realisation_set(
            world.winner, user=world.planner, realisation="works", progress=progress
        )
    assert "progress" in error.value.message_dict
    world.winner.refresh_from_db()
    assert (world.winner.realisation, world.winner.progress) == ("", 0)


def test_a_project_that_did_not_win_has_no_follow_up(world):
    with pytest.raises(ValidationError) as error:
        project_update_add(
            world.loser, user=world.planner, date=timezone.localdate(), text="Travaux."
        )
    assert "project" in error.value.message_dict
    with pytest.raises(ValidationError):
        project_realisation_set(world.loser, user=world.planner, realisation="works")
    assert not ProjectUpdate.objects.exists()


def test_only_the_editions_services_write(world):
    other_planner = user_with_role(Role.PLANNER, territory=TerritoryFactory())
    for user in (world.resident, other_planner, None):
        with pytest.raises(PermissionDenied):
            project_update_add(world.winner, user=user, date=timezone.localdate(), text="Travaux.")
        with pytest.raises(PermissionDenied):
            project_realisation_set(world.winner, user=user, realisation="works")
    assert not ProjectUpdate.objects.exists()
    world.winner.refresh_from_db()
    assert world.winner.realisation == ""


def test_a_news_with_a_photo_moves_the_realisation(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        update = project_update_add(
            world.winner,
            user=world.planner,
            date=timezone.localdate() - timedelta(days=2),
            text="  Les travaux commencent.  ",
            photo=jpeg_upload(),
            realisation="works",
            progress=30,
        )
    queued_by = [getattr(callback, "__qualname__", "") for callback in queued]
    assert queued_by.count("project_update_add.<locals>.<lambda>") == 1, (
        "the followers' e-mails are queued once, after the commit"
    )
    assert update.text == "Les travaux commencent."
    assert update.photo.name.endswith(".jpg")
    assert "chantier" not in update.photo.name, "stored under a random name"
    assert (update.realisation, update.progress) == ("works", 30)
    world.winner.refresh_from_db()
    assert (world.winner.realisation, world.winner.progress) == ("works", 30)


def test_a_bad_news_writes_nothing(world, media_root):
    before = {p for p in media_root.rglob("*") if p.is_file()}
    bad = [
        {"text": "  "},
        {"text": "x" * 5001},
        {"date": timezone.localdate() + timedelta(days=3)},
        {"photo": jpeg_upload().__class__("x.jpg", b"not a photo", content_type="image/jpeg")},
        {"realisation": "abandoned"},
        {"progress": 101},
    ]
    for change in bad:
        given = {"date": timezone.localdate(), "text": "Travaux."} | change
        with pytest.raises(ValidationError):
            project_update_add(world.winner, user=world.planner, **given)
    assert not ProjectUpdate.objects.exists()
    assert {p for p in media_root.rglob("*") if p.is_file()} == before
    world.winner.refresh_from_db()
    assert (world.winner.realisation, world.winner.progress) == ("", 0)


def test_residents_follow_and_unfollow_a_winner(world):
    project_follow(world.winner, user=world.resident)
    project_follow(world.winner, user=world.resident)  # twice is once
    assert ProjectFollower.objects.filter(project=world.winner).count() == 1
    project_unfollow(world.winner, user=world.resident)
    project_unfollow(world.winner, user=world.resident)
    assert not ProjectFollower.objects.exists()
    with pytest.raises(ValidationError):
        project_follow(world.loser, user=world.resident)
    with pytest.raises(PermissionDenied):
        project_follow(world.winner, user=None)
