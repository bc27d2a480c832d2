# SPDX-License-Identifier: AGPL-3.0-or-later
"""The follow-up's rules, through the services: who posts news of the works and when,
the inauguration (once), taking a news back, following, and what an account's deletion
takes with it. Each refusal writes nothing."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from carto_concertation.accounts.services import user_delete
from carto_concertation.crowdfunding.models import Project, ProjectFollower, WorksUpdate
from carto_concertation.crowdfunding.services.followup import (
    news_delete,
    project_follow,
    project_unfollow,
    works_news_post,
)
from tests.factories import CrowdfundingPhotoFactory, CrowdfundingProjectFactory, UserFactory
from tests.factories.accounts import PASSWORD

from .followup_world import jpeg_upload, world_fixture  # noqa: F401

pytestmark = [pytest.mark.django_db]
TODAY = timezone.localdate


def post(world, user=None, **given) -> WorksUpdate:
    fields = {"date": TODAY(), "text": "La charpente est renforcée.", **given}
    return works_news_post(user=user or world.porteur, project=world.project, **fields)


def test_the_porteur_posts_a_news_with_a_photo_without_its_metadata(world):
    upload = jpeg_upload()
    update = post(world, photo=upload, text="  Les panneaux sont posés.\n\nMerci à tous !  ")
    update.refresh_from_db()
    assert update.text == "Les panneaux sont posés.\n\nMerci à tous !"
    assert update.author == world.porteur and not update.inaugurated
    assert update.photo.name.startswith("crowdfunding/updates/")
    assert "chantier" not in update.photo.name, "stored under a random name"
    with Image.open(update.photo.open("rb")) as image:
        assert image.format == "JPEG" and not image.getexif()


def test_an_agent_of_the_territory_posts_too(world):
    assert post(world, user=world.planner).author == world.planner


@pytest.mark.parametrize("who", ["resident", "other_planner", "anonymous"])
def test_no_one_else_posts_a_news(world, who):
    user = AnonymousUser() if who == "anonymous" else getattr(world, who)
    with pytest.raises(PermissionDenied):
        post(world, user=user)
    assert not WorksUpdate.objects.exists()


@pytest.mark.parametrize("status", ["submitted", "accepted", "campaign", "not_funded", "refused"])
def test_news_of_the_works_follow_a_funded_campaign_only(world, status):
    Project.objects.filter(pk=world.project.pk).update(status=status, refusal_reason="Hors sujet")
    with pytest.raises(ValidationError) as refused:
        post(world)
    assert "project" in refused.value.message_dict
    assert not WorksUpdate.objects.exists()


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"date": TODAY() + timedelta(days=1)}, "date"),
        ({"date": TODAY() - timedelta(days=11)}, "date"),  # before the campaign's end
        ({"date": "2026-01-01"}, "date"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"photo": SimpleUploadedFile("plan.jpg", b"not an image", "image/jpeg")}, "photo"),
    ],
)
def test_bad_input_names_its_field_and_writes_nothing(world, given, field):
    with pytest.raises(ValidationError) as refused:
        post(world, inaugurated=True, **given)
    assert field in refused.value.message_dict
    assert not WorksUpdate.objects.exists()
    world.project.refresh_from_db()
    assert world.project.status == Project.Status.FUNDED


def test_the_day_the_campaign_ends_is_a_date_of_news(world):
    assert post(world, date=world.project.campaign_ends_on).date == world.project.campaign_ends_on


def test_the_inauguration_happens_once_and_later_news_follow(world):
    post(world, inaugurated=True, text="Inauguration avec l’école.")
    world.project.refresh_from_db()
    assert world.project.status == Project.Status.INAUGURATED
    with pytest.raises(ValidationError) as refused:
        post(world, inaugurated=True)
    assert "inaugurated" in refused.value.message_dict
    later = post(world, text="Un an de production : 41 MWh.")
    assert not later.inaugurated
    assert WorksUpdate.objects.count() == 2


def test_an_agent_takes_a_news_back_and_its_photo_goes(world, django_capture_on_commit_callbacks):
    update = post(world, photo=jpeg_upload(), inaugurated=True)
    photo_name = update.photo.name
    with pytest.raises(PermissionDenied):
        news_delete(user=world.porteur, update=update)
    assert WorksUpdate.objects.filter(pk=update.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        news_delete(user=world.planner, update=update)
    assert not WorksUpdate.objects.filter(pk=update.pk).exists()
    assert not default_storage.exists(photo_name)
    world.project.refresh_from_db()
    assert world.project.status == Project.Status.FUNDED, "the mistaken inauguration undone"


def test_taking_back_a_plain_news_leaves_the_inauguration(world):
    post(world, inaugurated=True)
    plain = post(world, text="Le compteur est posé.")
    news_delete(user=world.planner, update=plain)
    world.project.refresh_from_db()
    assert world.project.status == Project.Status.INAUGURATED


def test_following_is_idempotent_and_so_is_unfollowing(world):
    first = project_follow(user=world.resident, project=world.project)
    assert project_follow(user=world.resident, project=world.project) == first
    assert ProjectFollower.objects.filter(user=world.resident).count() == 1
    project_unfollow(user=world.resident, project=world.project)
    project_unfollow(user=world.resident, project=world.project)
    assert not ProjectFollower.objects.exists()


@pytest.mark.parametrize("status", ["submitted", "refused"])
def test_a_project_not_on_the_portal_or_refused_is_not_followed(world, status):
    Project.objects.filter(pk=world.project.pk).update(status=status, refusal_reason="Hors sujet")
    world.project.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        project_follow(user=world.resident, project=world.project)
    assert "project" in refused.value.message_dict
    assert not ProjectFollower.objects.exists()


def test_following_needs_an_account(world):
    with pytest.raises(PermissionDenied):
        project_follow(user=AnonymousUser(), project=world.project)
    with pytest.raises(PermissionDenied):
        project_unfollow(user=AnonymousUser(), project=world.project)


def test_a_deleted_account_takes_its_undecided_projects_and_leaves_the_public_ones(
    world, django_capture_on_commit_callbacks
):
    porteur = UserFactory()
    undecided = CrowdfundingProjectFactory(submitter=porteur, status=Project.Status.SUBMITTED)
    photo = CrowdfundingPhotoFactory(project=undecided)
    in_campaign = CrowdfundingProjectFactory(submitter=porteur)
    project_follow(user=porteur, project=world.project)
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=porteur, password=PASSWORD)
    assert not Project.objects.filter(pk=undecided.pk).exists()
    assert not default_storage.exists(photo.image.name)
    in_campaign.refresh_from_db()
    assert in_campaign.status == Project.Status.CAMPAIGN and in_campaign.submitter is None
    assert in_campaign.porteur_name == "Association Énergies citoyennes"
    assert not ProjectFollower.objects.filter(project=world.project).exists()
