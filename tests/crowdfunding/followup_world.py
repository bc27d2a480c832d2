# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the follow-up's tests share: a funded project (its campaign ended ten days ago)
with its porteur, the territory's planner, a planner of another territory, a resident;
a JPEG to upload."""

import io
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from carto_concertation.accounts.models import Role, User
from carto_concertation.crowdfunding.models import Project
from tests.factories import CrowdfundingProjectFactory, TerritoryFactory, UserFactory
from tests.factories.accounts import user_with_role


@dataclass
class World:
    project: Project
    porteur: User
    planner: User
    other_planner: User
    resident: User


def jpeg_upload(name: str = "chantier.jpg", colour=(200, 30, 30)) -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(output, "JPEG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


def funded(**fields) -> Project:
    today = timezone.localdate()
    return CrowdfundingProjectFactory(
        status=Project.Status.FUNDED,
        campaign_starts_on=today - timedelta(days=50),
        campaign_ends_on=today - timedelta(days=10),
        raised=12_400,
        contributors=87,
        **fields,
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(name="world")
def world_fixture(db) -> World:
    project = funded(title="Toiture solaire de l’école")
    return World(
        project=project,
        porteur=project.submitter,
        planner=user_with_role(Role.PLANNER, territory=project.territory),
        other_planner=user_with_role(Role.PLANNER, territory=TerritoryFactory(communes=1)),
        resident=UserFactory(),
    )
