# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the follow-up's tests share: an edition with winners, its planner, a resident."""

import io
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from carto_concertation.accounts.models import Role, User
from carto_concertation.budgets.models import Edition, Project
from tests.factories import UserFactory
from tests.factories.accounts import user_with_role
from tests.factories.budgets import EditionFactory, ProjectFactory


@dataclass
class World:
    edition: Edition
    winner: Project
    other_winner: Project
    loser: Project
    planner: User
    resident: User


def jpeg_upload(name: str = "chantier.jpg", colour=(200, 30, 30)) -> SimpleUploadedFile:
    output = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(output, "JPEG")
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


@pytest.fixture(name="world")
def world_fixture(db) -> World:
    edition = EditionFactory(districts=2, year=2025, phases="realisation")
    return World(
        edition=edition,
        winner=ProjectFactory(edition=edition, title="Verger partagé", status="winner"),
        other_winner=ProjectFactory(edition=edition, title="Abri vélos", status="winner"),
        loser=ProjectFactory(edition=edition, title="Skate-park", status="not_selected"),
        planner=user_with_role(Role.PLANNER, territory=edition.territory),
        resident=UserFactory(),
    )
